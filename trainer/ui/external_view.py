"""The outside view under the image: skin line, probe, the needle's shaft outside the body, entry marker.

It shows what a clinician sees of their own hands, never the anatomy. Clicking on it punctures the skin.
"""

from __future__ import annotations

import math

import pygame

from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.controls import EntryMarker
from trainer.ui.diagram import WorldView, draw_dashed
from trainer.ui.widgets import text

SKIN = (214, 170, 150)
PROBE = (190, 196, 205)


class ExternalView:
    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.view: WorldView | None = None

    def layout(self, rect: pygame.Rect, x_range: tuple[float, float]) -> None:
        self.rect = rect
        self.view = WorldView(rect, x_range)

    @property
    def skin_y(self) -> int:
        return self.rect.top + round(self.rect.height * 0.62)

    def point(self, x_mm: float, height_mm: float) -> tuple[int, int]:
        """Screen point of a position along the skin and a height above it."""
        assert self.view is not None
        return self.view.point(x_mm, 0.0)[0], round(self.skin_y - height_mm * self.view.scale)

    def x_mm(self, pos: tuple[int, int]) -> float | None:
        """The skin position under the mouse, or None when the mouse is elsewhere."""
        if self.view is None or not self.rect.collidepoint(pos):
            return None
        return self.view.x_mm(pos[0])

    def draw(
        self,
        surface: pygame.Surface,
        sim: Simulation,
        marker: EntryMarker | None,
        fonts: theme.Fonts,
        left: str,
        right: str,
    ) -> None:
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        pygame.draw.rect(surface, (24, 28, 34), self.rect, border_radius=6)
        body = pygame.Rect(self.rect.left, self.skin_y, self.rect.width, self.rect.bottom - self.skin_y)
        pygame.draw.rect(
            surface, (60, 44, 40), body, border_bottom_left_radius=6, border_bottom_right_radius=6
        )
        pygame.draw.line(surface, SKIN, (self.rect.left, self.skin_y), (self.rect.right, self.skin_y), 3)
        self._probe(surface, sim)
        if sim.needle.inserted:
            n = sim.needle
            self._shaft(surface, n.entry_x_mm, n.angle_deg, n.length_mm - n.depth_mm, theme.TEXT)
        elif marker is not None:
            ok = not sim.probe.covers_skin(marker.x_mm)
            colour = theme.NEEDLE_PATH if ok else theme.DANGER
            self._shaft(surface, marker.x_mm, marker.angle_deg, sim.needle.length_mm, colour, dashed=True)
            label = f"{marker.skin_angle_deg:.0f}°" if ok else "under the probe"
            text(surface, fonts.regular(14), label, self.point(marker.x_mm, -3.0), colour, "midtop")
        surface.set_clip(clip)
        small = fonts.regular(14)
        text(surface, small, f"◀ {left}", (self.rect.left + 8, self.rect.top + 6), theme.MUTED)
        text(surface, small, f"{right} ▶", (self.rect.right - 8, self.rect.top + 6), theme.MUTED, "topright")

    def _probe(self, surface: pygame.Surface, sim: Simulation) -> None:
        p = sim.probe
        half = p.skin_half_width_mm
        left, _ = self.point(p.x_mm - half, 0.0)
        right, _ = self.point(p.x_mm + half, 0.0)
        height = round((self.skin_y - self.rect.top) * 0.45)
        body = pygame.Rect(left, self.skin_y - height, right - left, height)
        pygame.draw.rect(surface, PROBE, body, border_top_left_radius=10, border_top_right_radius=10)
        pygame.draw.circle(surface, theme.ACCENT, (left + 8, body.top + 8), 4)  # orientation marker side

    def _shaft(
        self,
        surface: pygame.Surface,
        entry_x_mm: float,
        angle_deg: float,
        outside_mm: float,
        colour: tuple[int, int, int],
        dashed: bool = False,
    ) -> None:
        """The shaft from the skin back to the hub (outside the body: opposite the insertion direction)."""
        a = math.radians(angle_deg)
        hub = (entry_x_mm - outside_mm * math.cos(a), outside_mm * math.sin(a))
        start, end = self.point(entry_x_mm, 0.0), self.point(*hub)
        if dashed:
            draw_dashed(surface, colour, start, end, width=3)
        else:
            pygame.draw.line(surface, colour, start, end, 3)
        pygame.draw.circle(surface, colour, end, 6)
