"""A screen that builds the next one's slow parts on a background thread, with a progress bar.

Nothing typed or clicked while it loads is passed on: the next screen starts with no input queued
(a second Enter on the briefing must not puncture the skin).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import pygame

from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.widgets import Button, paragraph, text

T = TypeVar("T")
Progress = Callable[[float, str], None]


class LoadingScreen(Screen, Generic[T]):
    def __init__(
        self,
        app: App,
        title: str,
        build: Callable[[Progress], T],
        then: Callable[[T], Screen],
    ) -> None:
        super().__init__(app)
        self.title = title
        self.then = then
        self.share, self.stage = 0.0, "Starting"
        self.problem = ""
        self._result: T | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._build, args=(build,), name="loading", daemon=True)
        self._thread.start()
        self.buttons = [Button("menu", "Back to menu", self.to_menu)]

    def _build(self, build: Callable[[Progress], T]) -> None:
        try:
            self._result = build(self._progress)
        except Exception as exc:  # shown on this screen, with the way back
            self._error = exc

    def _progress(self, share: float, stage: str) -> None:
        self.share, self.stage = share, stage

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def update(self, dt_s: float) -> None:
        if not self.done or self.problem:
            return
        if self._error is not None:
            self.problem = f"This could not be opened: {self._error}"
            self.layout(self.app.window.get_size())
            return
        assert self._result is not None
        self.app.show(self.then(self._result))

    def animating(self) -> bool:
        return not self.problem

    def close(self) -> None:
        self._thread.join()  # a background build must not outlive its screen

    def to_menu(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.show(MenuScreen(self.app))

    def layout(self, size: tuple[int, int]) -> None:
        """The way back appears only when the build failed."""
        w, h = size
        bw = round(220 * self.fonts.scale)
        row = self.row_height()
        shown = pygame.Rect((w - bw) // 2, h // 2 + 3 * row, bw, row)
        self.button("menu").rect = shown if self.problem else pygame.Rect(0, 0, 0, 0)

    def draw_body(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        width = min(round(520 * self.fonts.scale), w - 2 * self.pad)
        bar = pygame.Rect((w - width) // 2, h // 2, width, round(12 * self.fonts.scale))
        body = self.fonts.regular(16)
        if self.problem:
            box = pygame.Rect(bar.left, bar.top, bar.width, 2 * self.row_height())
            paragraph(surface, body, self.problem, box, theme.WARN)
            return
        pygame.draw.rect(surface, theme.BUTTON, bar, border_radius=6)
        filled = bar.copy()
        filled.width = max(6, round(bar.width * self.share))
        pygame.draw.rect(surface, theme.ACCENT, filled, border_radius=6)
        text(surface, body, f"{self.stage}…", (bar.centerx, bar.top - 10), theme.MUTED, "midbottom")
