"""A rectangle whose content may be taller than itself: the wheel over it scrolls, a bar shows where."""

from __future__ import annotations

import pygame

from trainer.ui import theme

WHEEL_PX = 40


class ScrollArea:
    """Content is laid out from `top` (which moves as it scrolls); only rows wholly inside `rect`
    are drawn, so nothing is ever half shown or drawn over the edge."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.content_px = 0
        self.offset_px = 0
        self._pointer = (-1, -1)

    def layout(self, rect: pygame.Rect) -> None:
        self.rect = rect
        self._clamp()

    def set_content(self, height_px: int) -> None:
        self.content_px = height_px
        self._clamp()

    @property
    def overflows(self) -> bool:
        return self.content_px > self.rect.height

    @property
    def top(self) -> int:
        """Screen y of the content's first row."""
        return self.rect.top - self.offset_px

    def shows(self, rect: pygame.Rect) -> bool:
        return self.rect.contains(rect)

    def handle(self, event: pygame.event.Event) -> bool:
        """Follow the pointer; scroll on the wheel over the area. True when the event was used."""
        if event.type == pygame.MOUSEMOTION:
            self._pointer = event.pos
        elif event.type == pygame.MOUSEWHEEL and self.overflows and self.rect.collidepoint(self._pointer):
            self.scroll_by(-event.y * WHEEL_PX)
            return True
        return False

    def scroll_by(self, px: int) -> None:
        self.offset_px += px
        self._clamp()

    def scroll_to_show(self, y_px: int, height_px: int) -> None:
        """Scroll just enough that content rows y..y+height (from the content's top) are in view."""
        if y_px < self.offset_px:
            self.offset_px = y_px
        elif y_px + height_px > self.offset_px + self.rect.height:
            self.offset_px = y_px + height_px - self.rect.height
        self._clamp()

    def _clamp(self) -> None:
        self.offset_px = max(0, min(self.offset_px, self.content_px - self.rect.height))

    def draw_bar(self, surface: pygame.Surface) -> None:
        """A thin bar at the right edge when there is more than fits."""
        if not self.overflows:
            return
        track = pygame.Rect(self.rect.right - 4, self.rect.top, 3, self.rect.height)
        share = self.rect.height / self.content_px
        thumb = track.copy()
        thumb.height = max(12, round(track.height * share))
        thumb.top = track.top + round((track.height - thumb.height) * self.offset_px / self.scroll_range)
        pygame.draw.rect(surface, theme.PANEL_EDGE, track, border_radius=2)
        pygame.draw.rect(surface, theme.MUTED, thumb, border_radius=2)

    @property
    def scroll_range(self) -> int:
        return max(1, self.content_px - self.rect.height)
