"""Overlays drawn over the screen below them: controls help, the pause menu, errors, and questions.

Each is a card with a heading, text in one or more scrolling columns, and buttons along its foot.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from trainer.logs import log_file
from trainer.ui import audit, theme
from trainer.ui.app import App
from trainer.ui.bindings import GAMEPAD_HELP, INTENTS, MOUSE_HELP, intent_label
from trainer.ui.screen import Screen
from trainer.ui.text_column import Block, TextColumn, heading, pair, para
from trainer.ui.widgets import Button, fit, panel, text

MIN_COLUMN_PX = 380  # at scale 1: narrower than this, columns are stacked into one


class Overlay(Screen):
    """Dims the screen below and draws a centred card."""

    card_size = (900, 620)
    heading = ""
    heading_colour = theme.TEXT

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.below = app.stack[-1] if app.stack else None
        self.card = pygame.Rect(0, 0, 0, 0)
        self.columns: list[TextColumn] = []
        self._backdrop: pygame.Surface | None = None

    def blocks(self) -> list[list[Block]]:
        """The card's text: one list of blocks per column (stacked when the card is narrow)."""
        return []

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        cw = min(w - 2 * self.pad, round(self.card_size[0] * self.fonts.scale))
        ch = min(h - 2 * self.pad, round(self.card_size[1] * self.fonts.scale))
        self.card = pygame.Rect((w - cw) // 2, (h - ch) // 2, cw, ch)
        self._backdrop = None
        self.place_buttons()
        self._place_columns()

    def place_buttons(self) -> None:
        row, gap = self.row_height(), round(12 * self.fonts.scale)
        bw = (self.card.width - (len(self.buttons) + 1) * gap) // max(1, len(self.buttons))
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(self.card.left + gap + i * (bw + gap), self.card.bottom - gap - row, bw, row)

    def _place_columns(self) -> None:
        pad = self.pad
        top = self.card.top + pad + self.fonts.bold(22).get_linesize() + pad // 2
        bottom = min((b.rect.top for b in self.buttons), default=self.card.bottom) - pad // 2
        content = pygame.Rect(self.card.left + pad, top, self.card.width - 2 * pad, bottom - top)
        columns = self.blocks()
        if len(columns) > 1 and content.width < len(columns) * MIN_COLUMN_PX * self.fonts.scale:
            columns = [[b for column in columns for b in column]]
        width = (content.width - (len(columns) - 1) * pad) // max(1, len(columns))
        self.columns = []
        for i, blocks in enumerate(columns):
            column = TextColumn()
            column.layout(
                pygame.Rect(content.left + i * (width + pad), top, width, content.height), blocks, self.fonts
            )
            self.columns.append(column)

    def handle(self, event: pygame.event.Event) -> None:
        if any(c.handle(event) for c in self.columns):
            return
        super().handle(event)

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
        font = self.fonts.bold(22)
        words = fit(font, self.heading, self.card.width - 2 * self.pad)
        text(surface, font, words, (self.card.left + self.pad, self.card.top + self.pad), self.heading_colour)
        for column in self.columns:
            column.draw(surface, self.fonts)
        for b in self.buttons:
            b.draw(surface, self.fonts.regular(16))
        for b in self.buttons:
            b.draw_tooltip(surface, self.fonts.regular(16))


KEY_GROUPS = (
    ("probe", "Probe hand"),
    ("needle", "Needle hand (keys instead of the mouse)"),
    ("imaging", "Imaging"),
    ("game", "Game"),
)


class HelpOverlay(Overlay):
    """Every binding: keyboard (as remapped), mouse and gamepad."""

    card_size = (1100, 740)
    heading = "Controls"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.buttons = [Button("close", "Close (F1 / Esc)", app.pop)]

    def blocks(self) -> list[list[Block]]:
        sc = getattr(self.below, "sc", None)  # during a procedure, name directions anatomically
        key_px = self.fonts.mono(14).size("PAGE DOWN ")[0]
        keys: list[Block] = []
        for hand, words in KEY_GROUPS:
            keys.append(heading(words))
            for intent in (i for i in INTENTS if i.hand == hand):
                keys.append(
                    pair(self.app.bindings.key_name(intent.name), intent_label(intent.name, sc), key_px, True)
                )
        what_px = round(200 * self.fonts.scale)
        other: list[Block] = []
        for words, rows in (("Mouse: the needle hand", MOUSE_HELP), ("Gamepad", GAMEPAD_HELP)):
            other.append(heading(words))
            other += [pair(what, does, what_px, colour=theme.MUTED) for what, does in rows]
        other.append(para("Keys can be remapped in Settings.", theme.MUTED))
        return [keys, other]

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_F1, pygame.K_RETURN):
            self.app.pop()


class PauseOverlay(Overlay):
    """Resume, restart or leave; the attempt in progress is kept until you choose."""

    card_size = (640, 300)
    heading = "Paused"

    def __init__(self, app: App, restart: Callable[[], None], leave: Callable[[], None]) -> None:
        super().__init__(app)
        self.buttons = [
            Button("resume", "Resume (Esc)", app.pop),
            Button("restart", "Restart", restart),
            Button("quit_attempt", "Quit to menu", leave),
        ]

    def blocks(self) -> list[list[Block]]:
        return [
            [
                para(
                    "Time is stopped. Restart begins the same anatomy again; Quit to menu drops this "
                    "practice attempt without recording it (pause is not available in an exam).",
                    theme.MUTED,
                )
            ]
        ]

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()


class ErrorOverlay(Overlay):
    """An unexpected error: what happened, that the attempt is safe, and what to do."""

    card_size = (760, 360)
    heading = "Something went wrong"
    heading_colour = theme.WARN

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

    def blocks(self) -> list[list[Block]]:
        log_path = log_file()  # the platform's log folder (trainer/logs.py)
        return [
            [
                para(self.message),
                para(
                    "Your attempt in progress is kept. Continue to carry on, or go to the main menu (the "
                    f"attempt is saved as unfinished). Details are in {log_path}; please include that "
                    "file if you report the problem."
                ),
            ]
        ]


class ConfirmOverlay(Overlay):
    """A question with two answers; Enter says yes, Esc says no."""

    card_size = (680, 300)

    def __init__(
        self, app: App, question: str, words: str, yes: tuple[str, Callable[[], None]], no: str = "Cancel"
    ) -> None:
        super().__init__(app)
        self.heading, self.words = question, words
        self._yes = yes[1]
        self.buttons = [Button("yes", yes[0], self.accept), Button("no", no, app.pop)]

    def accept(self) -> None:
        self.app.pop()
        self._yes()

    def blocks(self) -> list[list[Block]]:
        return [[para(self.words, theme.MUTED)]]

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.accept()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
