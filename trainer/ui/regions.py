"""Parts of a screen that are drawn again only when what they show changes (the rest of the window
is left as it is, and only the changed rectangles are sent to the display)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pygame

from trainer.ui import theme


class Regions:
    def __init__(self) -> None:
        self._keys: dict[str, Hashable] = {}

    def forget(self, name: str | None = None) -> None:
        """Region `name` (or every region) is drawn again next time."""
        if name is None:
            self._keys.clear()
        else:
            self._keys.pop(name, None)

    def paint(
        self,
        surface: pygame.Surface,
        name: str,
        rect: pygame.Rect,
        key: Hashable,
        draw: Callable[[pygame.Surface], None],
        clear: bool = True,
    ) -> pygame.Rect | None:
        """Draw region `name` inside `rect` if `key` changed; returns the rectangle drawn, if any.
        `clear=False` for a region its drawing covers completely (an opaque image)."""
        if name in self._keys and self._keys[name] == key:
            return None
        self._keys[name] = key
        clip = surface.get_clip()
        surface.set_clip(rect)
        if clear:
            surface.fill(theme.BACKGROUND, rect)
        draw(surface)
        surface.set_clip(clip)
        return rect.copy()
