"""Overlays drawn over the screen below them: controls help, the pause menu, and errors."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from trainer.logs import log_file
from trainer.ui import audit, theme
from trainer.ui.app import App
from trainer.ui.bindings import GAMEPAD_HELP, INTENTS, MOUSE_HELP, intent_label
from trainer.ui.screen import Screen
from trainer.ui.widgets import Button, panel, paragraph, text


class Overlay(Screen):
    """Dims the screen below and draws a centred card."""

    card_size = (900, 620)

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.below = app.stack[-1] if app.stack else None
        self.card = pygame.Rect(0, 0, 0, 0)
        self._backdrop: pygame.Surface | None = None

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        cw = min(w - 2 * self.pad, round(self.card_size[0] * self.fonts.scale))
        ch = min(h - 2 * self.pad, round(self.card_size[1] * self.fonts.scale))
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)
        self._backdrop = None
        self.place_buttons()

    def place_buttons(self) -> None:
        row, gap = self.row_height(), round(12 * self.fonts.scale)
        bw = (self.card.width - (len(self.buttons) + 1) * gap) // max(1, len(self.buttons))
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(self.card.left + gap + i * (bw + gap), self.card.bottom - gap - row, bw, row)

    def draw(self, surface: pygame.Surface) -> None:
        """The screen below, dimmed (drawn once: it does not move while covered), then the card."""
        if self._backdrop is None or self._backdrop.get_size() != surface.get_size():
            if self.below is not None:
                self.below.draw(surface)
            shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            shade.fill((0, 0, 0, 170))
            surface.blit(shade, (0, 0))
            self._backdrop = surface.copy()
        else:
            surface.blit(self._backdrop, (0, 0))
        audit.forget()  # what is under the card is covered, not laid out with it
        panel(surface, self.card, name=type(self).__name__)
        self.draw_card(surface)
        for b in self.buttons:
            b.draw(surface, self.fonts.regular(16))

    def draw_card(self, surface: pygame.Surface) -> None:
        """What the card shows."""


KEY_GROUPS = (
    ("probe", "Probe hand"),
    ("needle", "Needle hand (keys instead of the mouse)"),
    ("imaging", "Imaging"),
    ("game", "Game"),
)


class HelpOverlay(Overlay):
    """Every binding: keyboard (as remapped), mouse and gamepad."""

    card_size = (1100, 740)

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.buttons = [Button("close", "Close (F1 / Esc)", app.pop)]

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_F1, pygame.K_RETURN):
            self.app.pop()

    def draw_card(self, surface: pygame.Surface) -> None:
        pad = self.pad
        text(surface, self.fonts.bold(22), "Controls", (self.card.left + pad, self.card.top + pad))
        body, mono = self.fonts.regular(14), self.fonts.mono(14)
        line = body.get_linesize() + 2
        col_w = (self.card.width - 3 * pad) // 2
        x, y0 = self.card.left + pad, self.card.top + pad + round(40 * self.fonts.scale)
        y = y0
        sc = getattr(self.below, "sc", None)  # during a procedure, name directions anatomically
        for hand, heading in KEY_GROUPS:
            text(surface, self.fonts.bold(15), heading, (x, y), theme.ACCENT)
            y += line + 2
            for intent in (i for i in INTENTS if i.hand == hand):
                text(surface, mono, f"{self.app.bindings.key_name(intent.name):>10}", (x, y))
                label = intent_label(intent.name, sc)
                text(surface, body, label, (x + round(120 * self.fonts.scale), y), theme.MUTED)
                y += line
            y += line // 3
        x, y = self.card.left + 2 * pad + col_w, y0
        for heading, rows in (("Mouse: the needle hand", MOUSE_HELP), ("Gamepad", GAMEPAD_HELP)):
            text(surface, self.fonts.bold(15), heading, (x, y), theme.ACCENT)
            y += line + 2
            for what, does in rows:
                text(surface, body, what, (x, y))
                text(surface, body, does, (x + round(210 * self.fonts.scale), y), theme.MUTED)
                y += line
            y += line // 2
        paragraph(
            surface,
            body,
            "Keys can be remapped in Settings.",
            pygame.Rect(x, y, col_w, 2 * line),
            theme.MUTED,
        )


class PauseOverlay(Overlay):
    """Resume, restart or leave; the attempt in progress is kept until you choose."""

    card_size = (640, 300)

    def __init__(self, app: App, restart: Callable[[], None], leave: Callable[[], None]) -> None:
        super().__init__(app)
        self.buttons = [
            Button("resume", "Resume (Esc)", app.pop),
            Button("restart", "Restart", restart),
            Button("quit_attempt", "Quit to menu", leave),
        ]

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()

    def draw_card(self, surface: pygame.Surface) -> None:
        text(
            surface,
            self.fonts.bold(24),
            "Paused",
            (self.card.centerx, self.card.top + self.pad),
            anchor="midtop",
        )
        paragraph(
            surface,
            self.fonts.regular(15),
            "Time is stopped. Restart begins the same anatomy again; Quit to menu drops this practice "
            "attempt without recording it (pause is not available in an exam).",
            self.card.inflate(-2 * self.pad, -3 * self.pad).move(0, self.pad),
            theme.MUTED,
        )


class ErrorOverlay(Overlay):
    """An unexpected error: what happened, that the attempt is safe, and what to do."""

    card_size = (760, 360)

    def __init__(self, app: App, exc: Exception) -> None:
        super().__init__(app)
        self.message = f"{type(exc).__name__}: {exc}"[:300]
        self.buttons = [Button("continue", "Continue", app.pop), Button("menu", "Main menu", self.menu)]

    def menu(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        for s in self.app.stack:
            keep = getattr(s, "on_quit", None)
            if keep is not None:
                keep()
        self.app.show(MenuScreen(self.app))

    def draw_card(self, surface: pygame.Surface) -> None:
        text(
            surface,
            self.fonts.bold(22),
            "Something went wrong",
            (self.card.left + self.pad, self.card.top + self.pad),
            theme.WARN,
        )
        log_path = log_file()
        words = (
            f"{self.message}\n\nYour attempt in progress is kept. Continue to carry on, or go to the "
            f"main menu (the attempt is saved as unfinished). Details are in {log_path}; please "
            "include that file if you report the problem."
        )
        box = self.card.inflate(-2 * self.pad, -2 * self.pad).move(0, round(40 * self.fonts.scale))
        paragraph(surface, self.fonts.regular(15), words, box)
