"""The anatomy as a labelled cross-section drawing (briefing, thumbnails, replay of the needle path)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pygame
from shapely.geometry import Polygon

from trainer.scenario.model import Plane
from trainer.tissue import TissueKind
from trainer.ui import theme

FILL: dict[TissueKind, tuple[int, int, int]] = {
    TissueKind.SKIN: (214, 170, 150),
    TissueKind.FAT: (236, 214, 150),
    TissueKind.MUSCLE: (178, 84, 84),
    TissueKind.FASCIA: (230, 230, 220),
    TissueKind.LIGAMENT: (220, 220, 200),
    TissueKind.BONE: (245, 240, 225),
    TissueKind.CARTILAGE: (120, 170, 200),
    TissueKind.PLEURA: (170, 150, 210),
    TissueKind.LUNG: (90, 100, 130),
    TissueKind.ARTERY: (200, 40, 40),
    TissueKind.VEIN: (60, 80, 190),
    TissueKind.NERVE: (240, 220, 60),
    TissueKind.NEURAXIS: (150, 190, 240),
    TissueKind.FORAMEN: (110, 120, 150),
    TissueKind.GEL: (150, 160, 150),
    TissueKind.FLUID: (40, 60, 90),
}


class WorldView:
    """Maps world mm (x along the plane, z depth) into a screen rectangle, same scale on both axes."""

    def __init__(
        self, rect: pygame.Rect, x_range: tuple[float, float], depth_mm: float | None = None
    ) -> None:
        """Fit the x range (and the depth, when given) into `rect`."""
        self.rect = rect
        self.x0 = x_range[0]
        self.scale = rect.width / (x_range[1] - x_range[0])
        if depth_mm is not None:
            self.scale = min(self.scale, rect.height / depth_mm)

    def point(self, x_mm: float, z_mm: float) -> tuple[int, int]:
        return round(self.rect.left + (x_mm - self.x0) * self.scale), round(self.rect.top + z_mm * self.scale)

    def points(self, coords: Iterable[Sequence[float]]) -> list[tuple[int, int]]:
        return [self.point(c[0], c[1]) for c in coords]

    def x_mm(self, px: float) -> float:
        return self.x0 + (px - self.rect.left) / self.scale


def draw_polygon(
    surface: pygame.Surface, view: WorldView, poly: Polygon, colour: tuple[int, int, int], width: int = 0
) -> None:
    pts = view.points(poly.exterior.coords)
    if len(pts) >= 3:
        pygame.draw.polygon(surface, colour, pts, width)


def draw_plane(surface: pygame.Surface, view: WorldView, plane: Plane) -> None:
    """Each structure filled in painter order, outlined faintly."""
    clip = surface.get_clip()
    surface.set_clip(view.rect)
    for s in plane.structures:
        draw_polygon(surface, view, s.geometry, FILL[s.kind])
    for s in plane.structures:
        if not s.is_layer:
            draw_polygon(surface, view, s.geometry, theme.blend(FILL[s.kind], (0, 0, 0), 0.4), 1)
    surface.set_clip(clip)


def draw_labels(
    surface: pygame.Surface, view: WorldView, plane: Plane, font: pygame.font.Font, names: Iterable[str]
) -> None:
    """Names at each structure's representative point on a dark backing; crowded ones are skipped."""
    placed: list[pygame.Rect] = []
    for s in plane.structures:
        if s.name not in names:
            continue
        p = s.geometry.intersection(view_box(view)).representative_point()
        if p.is_empty:
            continue
        img = font.render(s.name.replace("_", " "), True, theme.TEXT)
        box = img.get_rect(center=view.point(p.x, p.y)).inflate(6, 2)
        if not view.rect.contains(box) or box.collidelist(placed) >= 0:
            continue
        placed.append(box)
        pygame.draw.rect(surface, (0, 0, 0), box, border_radius=3)
        surface.blit(img, img.get_rect(center=box.center))


def view_box(view: WorldView) -> Polygon:
    """The world region a view shows."""
    r = view.rect
    x0, x1 = view.x_mm(r.left), view.x_mm(r.right)
    return Polygon([(x0, 0), (x1, 0), (x1, r.height / view.scale), (x0, r.height / view.scale)])


def draw_dashed(
    surface: pygame.Surface,
    colour: tuple[int, int, int],
    a: tuple[int, int],
    b: tuple[int, int],
    dash_px: int = 8,
    width: int = 2,
) -> None:
    length = max(1.0, ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5)
    n = int(length // dash_px)
    for i in range(0, n, 2):
        t0, t1 = i / n, min(1.0, (i + 1) / n)
        pygame.draw.line(
            surface,
            colour,
            (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
            (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
            width,
        )


def draw_dotted(
    surface: pygame.Surface,
    colour: tuple[int, int, int],
    a: tuple[int, int],
    b: tuple[int, int],
    gap_px: int = 9,
    radius: int = 2,
) -> None:
    """Round dots from a to b: the style of a suggestion (dashes are the trainee's own needle)."""
    length = max(1.0, ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5)
    n = max(1, int(length // gap_px))
    for i in range(n + 1):
        t = i / n
        pygame.draw.circle(
            surface, colour, (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t)), radius
        )
