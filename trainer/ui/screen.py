"""The screen protocol every game screen follows: handle input, update, draw; drawing changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from trainer.ui import theme
from trainer.ui.widgets import Button, text

if TYPE_CHECKING:
    from trainer.ui.app import App


class Screen:
    """Base screen: a list of buttons, a title, and the app it belongs to."""

    title = ""

    def __init__(self, app: App) -> None:
        self.app = app
        self.buttons: list[Button] = []

    @property
    def fonts(self) -> theme.Fonts:
        return self.app.fonts

    def button(self, name: str) -> Button:
        """A button by name (the UI tests click through these)."""
        return next(b for b in self.buttons if b.name == name)

    def layout(self, size: tuple[int, int]) -> None:
        """Place widgets for a window of `size` (called on enter and on resize)."""

    def handle(self, event: pygame.event.Event) -> None:
        for b in self.buttons:
            if b.handle(event):
                return
        self.on_event(event)

    def on_event(self, event: pygame.event.Event) -> None:
        """Events no button consumed."""

    def update(self, dt_s: float) -> None:
        """Advance the screen's own state by one fixed step."""

    def animating(self) -> bool:
        """True while the screen changes by itself (a moving image, a playing replay): it is then
        drawn every frame. Other screens are drawn again only after input or a layout change."""
        return False

    def close(self) -> None:
        """The screen leaves the game: stop any thread it started (may be called more than once)."""

    def draw(self, surface: pygame.Surface) -> None:
        """The whole screen."""
        surface.fill(theme.BACKGROUND)
        if self.title:
            text(surface, self.fonts.bold(28), self.title, (self.pad, self.pad))
        self.draw_body(surface)
        font = self.fonts.regular(16)
        for b in self.buttons:
            b.draw(surface, font)
        for b in self.buttons:
            b.draw_tooltip(surface, font)

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Draw what changed since the last frame; returns the rectangles to show. By default the
        whole screen is drawn again."""
        self.draw(surface)
        return [surface.get_rect()]

    def draw_body(self, surface: pygame.Surface) -> None:
        """Screen-specific drawing under the buttons."""

    @property
    def pad(self) -> int:
        return round(24 * self.fonts.scale)

    def row_height(self) -> int:
        return round(44 * self.fonts.scale)
