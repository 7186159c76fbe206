"""Drive the real game loop headless: post input events, run frames, read the screens."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pygame

from trainer.ui.app import App
from trainer.ui.launch import start_pygame
from trainer.ui.screen import Screen

OPEN: list[App] = []  # closed after each test (tests/ui/conftest.py): no thread outlives its test


class Harness:
    """An App in a temporary data folder; unexpected errors are collected, not shown."""

    def __init__(self, data_dir: Path, size: tuple[int, int] = (1366, 768)) -> None:
        start_pygame()
        self.app = App(data_dir, size)
        OPEN.append(self.app)
        self.errors: list[Exception] = []
        self.app.report_error = self.errors.append  # type: ignore[method-assign]

    def show(self, screen: Screen) -> Screen:
        self.app.show(screen)
        return screen

    @property
    def screen(self) -> Screen:
        return self.app.screen

    def frames(self, n: int = 1) -> None:
        for _ in range(n):
            self.app.tick()
            self.app.frame += 1
        if self.errors:
            raise self.errors[0]

    def post(self, kind: int, **attrs: object) -> None:
        pygame.event.post(pygame.event.Event(kind, **attrs))

    def click(self, button_name: str) -> None:
        pos = self.screen.button(button_name).rect.center
        self.click_at(pos)

    def click_at(self, pos: tuple[int, int], button: int = 1) -> None:
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=button)
        self.post(pygame.MOUSEBUTTONUP, pos=pos, button=button)
        self.frames(2)

    def key(self, key: int, frames: int = 1) -> None:
        self.post(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        self.post(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)
        self.frames(frames)

    def hold(self, key: int, frames: int) -> None:
        """Hold a key down for `frames` frames."""
        self.post(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        self.frames(frames)
        self.post(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)
        self.frames(1)

    def hold_until(self, key: int, done: Callable[[], bool], max_frames: int = 3600) -> int:
        """Hold a key, watching each frame, and let go once `done()`; returns the frames held."""
        self.post(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        held = 0
        while not done() and held < max_frames:
            self.frames(1)
            held += 1
        self.post(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)
        self.frames(1)
        return held

    def wait_for(self, kind: type, timeout_s: float = 60.0) -> Screen:
        """Run frames until the top screen is a `kind` (a screen loading in the background)."""
        give_up = time.monotonic() + timeout_s
        while not isinstance(self.screen, kind) and time.monotonic() < give_up:
            self.frames(1)
            time.sleep(0.005)
        assert isinstance(self.screen, kind), f"still on {type(self.screen).__name__}"
        return self.screen

    def type(self, s: str) -> None:
        self.post(pygame.TEXTINPUT, text=s)
        self.frames(1)

    def wheel(self, notches: int, times: int = 1) -> None:
        for _ in range(times):
            self.post(
                pygame.MOUSEWHEEL, x=0, y=notches, flipped=False, precise_x=0.0, precise_y=float(notches)
            )
            self.frames(1)
