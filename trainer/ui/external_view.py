"""The outside view under the image: skin line, probe, the needle's shaft outside the body, the entry
point with its angle, and (when the trainee may see it) the suggested entry.

It shows what a clinician sees of their own hands, never the anatomy. Clicking on it punctures the
skin. The trainee's needle is yellow and dashed while aimed, white and solid once in; a suggestion
is always purple and dotted. Labels sit in the band under the skin line, inside the view at any size.
"""

from __future__ import annotations

import math

import pygame

from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.controls import EntryMarker
from trainer.ui.diagram import WorldView, draw_dashed, draw_dotted
from trainer.ui.widgets import text

SKIN = (214, 170, 150)
PROBE = (190, 196, 205)
SKIN_LINE_SHARE = 0.62  # the skin line's height in the view, from the top


class ExternalView:
    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.view: WorldView | None = None
        self.half_width_mm = 60.0
        self.skin_y = 0

    def layout(self, rect: pygame.Rect, x_range: tuple[float, float], label_px: int) -> None:
        """`x_range`: the stretch of skin shown (it follows the probe along the back);
        `label_px`: the height of a label line; the band under the skin holds two of them."""
        self.rect = rect
        self.half_width_mm = (x_range[1] - x_range[0]) / 2.0
        self.view = WorldView(rect, x_range)
        band = 2 * label_px + 10
        self.skin_y = rect.top + min(round(rect.height * SKIN_LINE_SHARE), rect.height - band)

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
        suggested: tuple[float, float] | None,
        fonts: theme.Fonts,
        names: tuple[str, str],
    ) -> None:
        """`suggested`: (entry x, shaft angle) of the suggested approach, or None."""
        x = sim.probe.x_mm
        self.view = WorldView(self.rect, (x - self.half_width_mm, x + self.half_width_mm))
        pygame.draw.rect(surface, (24, 28, 34), self.rect, border_radius=6)
        body = pygame.Rect(self.rect.left, self.skin_y, self.rect.width, self.rect.bottom - self.skin_y)
        pygame.draw.rect(
            surface, (60, 44, 40), body, border_bottom_left_radius=6, border_bottom_right_radius=6
        )
        pygame.draw.line(surface, SKIN, (self.rect.left, self.skin_y), (self.rect.right, self.skin_y), 3)
        self._probe(surface, sim)
        small = fonts.regular(14)
        if suggested is not None:
            self._suggestion(surface, sim, *suggested, small)
        n = sim.needle
        if n.inserted:
            self._shaft(surface, n.entry_x_mm, n.angle_deg, n.length_mm - n.depth_mm, theme.TEXT)
            self._entry(surface, n.entry_x_mm, f"{n.skin_angle_deg:.0f}°", theme.TEXT, small)
        elif marker is not None:
            ok = not sim.probe.covers_skin(marker.x_mm)
            colour = theme.NEEDLE_PATH if ok else theme.DANGER
            self._shaft(surface, marker.x_mm, marker.angle_deg, sim.needle.length_mm, colour, dashed=True)
            label = f"{marker.skin_angle_deg:.0f}° planned" if ok else "under the probe"
            self._entry(surface, marker.x_mm, label, colour, small)
        text(surface, small, f"◀ {names[0]}", (self.rect.left + 8, self.rect.top + 4), theme.MUTED)
        text(
            surface, small, f"{names[1]} ▶", (self.rect.right - 8, self.rect.top + 4), theme.MUTED, "topright"
        )

    def _probe(self, surface: pygame.Surface, sim: Simulation) -> None:
        p = sim.probe
        half = p.skin_half_width_mm
        left, _ = self.point(p.x_mm - half, 0.0)
        right, _ = self.point(p.x_mm + half, 0.0)
        height = round((self.skin_y - self.rect.top) * 0.45)
        body = pygame.Rect(left, self.skin_y - height, right - left, height)
        pygame.draw.rect(surface, PROBE, body, border_top_left_radius=10, border_top_right_radius=10)
        pygame.draw.circle(surface, theme.ACCENT, (left + 8, body.top + 8), 4)  # orientation marker side

    def _hub(self, entry_x_mm: float, angle_deg: float, outside_mm: float) -> tuple[int, int]:
        """Where the shaft leaves the view: back from the skin, opposite the insertion direction."""
        a = math.radians(angle_deg)
        return self.point(entry_x_mm - outside_mm * math.cos(a), outside_mm * math.sin(a))

    def _shaft(
        self,
        surface: pygame.Surface,
        entry_x_mm: float,
        angle_deg: float,
        outside_mm: float,
        colour: tuple[int, int, int],
        dashed: bool = False,
    ) -> None:
        start, end = self.point(entry_x_mm, 0.0), self._hub(entry_x_mm, angle_deg, outside_mm)
        if dashed:
            draw_dashed(surface, colour, start, end, width=3)
        else:
            pygame.draw.line(surface, colour, start, end, 3)
        pygame.draw.circle(surface, colour, end, 6)

    def _entry(
        self,
        surface: pygame.Surface,
        x_mm: float,
        label: str,
        colour: tuple[int, int, int],
        font: pygame.font.Font,
    ) -> None:
        """The entry point on the skin, and its label just under the skin line."""
        x, y = self.point(x_mm, 0.0)
        pygame.draw.circle(surface, colour, (x, y), 5)
        self._label(surface, font, label, x, self.skin_y + 4, colour, "midtop")

    def _suggestion(
        self,
        surface: pygame.Surface,
        sim: Simulation,
        entry_x_mm: float,
        angle_deg: float,
        font: pygame.font.Font,
    ) -> None:
        """The suggested entry: a dotted shaft, a triangle on the skin, a label low in the band."""
        x, y = self.point(entry_x_mm, 0.0)
        draw_dotted(surface, theme.SUGGESTED, (x, y), self._hub(entry_x_mm, angle_deg, sim.needle.length_mm))
        pygame.draw.polygon(surface, theme.SUGGESTED, [(x, y + 1), (x - 6, y + 10), (x + 6, y + 10)])
        skin_angle = min(angle_deg, 180.0 - angle_deg)
        self._label(
            surface,
            font,
            f"suggested {skin_angle:.0f}°",
            x,
            self.rect.bottom - 2,
            theme.SUGGESTED,
            "midbottom",
        )

    def _label(
        self,
        surface: pygame.Surface,
        font: pygame.font.Font,
        words: str,
        x: int,
        y: int,
        colour: tuple[int, int, int],
        anchor: str,
    ) -> None:
        """A label kept inside the view, whatever the window size."""
        img_rect = font.size(words)
        box = pygame.Rect(0, 0, *img_rect)
        setattr(box, anchor, (x, y))
        box.clamp_ip(self.rect.inflate(-8, -4))
        text(surface, font, words, box.topleft, colour)
