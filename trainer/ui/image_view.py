"""The ultrasound image on screen: the B-mode frame kept at its aspect, a cm depth scale, the
orientation marker, the Doppler layer, and (guided mode) outlines, labels, target and suggested path."""

from __future__ import annotations

import numpy as np
import pygame
import shapely
from shapely.geometry import Polygon
from shapely.geometry import box as world_box
from shapely.geometry.base import BaseGeometry

from trainer.imaging import ImageGeometry
from trainer.probe import field_of_view
from trainer.scenario.model import Plane, Scenario
from trainer.simulation import Simulation
from trainer.tissue import TissueKind
from trainer.ui import theme
from trainer.ui.diagram import draw_dotted
from trainer.ui.image_worker import FormedImage
from trainer.ui.widgets import text

LABELLED_KINDS = {
    TissueKind.MUSCLE,
    TissueKind.BONE,
    TissueKind.PLEURA,
    TissueKind.ARTERY,
    TissueKind.CARTILAGE,
    TissueKind.LIGAMENT,
    TissueKind.FORAMEN,
    TissueKind.NEURAXIS,
    TissueKind.FLUID,
    TissueKind.VEIN,
    TissueKind.FAT,
    TissueKind.NERVE,
}


def visible_parts(plane: Plane, within: BaseGeometry) -> tuple[BaseGeometry, ...]:
    """Each structure's part inside `within` minus what is painted over it (where its label can
    go). From the top of the painting down, one union a structure: a plane of the 3D patient has
    dozens of structures reaching far beyond the image, so everything is clipped to `within` first."""
    x0, z0, x1, z1 = within.bounds
    clipped = [shapely.clip_by_rect(s.geometry, x0, z0, x1, z1) for s in plane.structures]
    parts: list[BaseGeometry] = []
    covered: BaseGeometry | None = None
    for g in reversed(clipped):
        parts.append(g if covered is None else g.difference(covered))
        covered = g if covered is None else covered.union(g)
    return tuple(reversed(parts))


def _polygons(g: BaseGeometry) -> list[Polygon]:
    return [p for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon) and not p.is_empty]


GUIDE_MARGIN_PX = 120  # the overlay reaches this far beyond the image, to shift with a sliding probe


class ImageView:
    """Places the frame in the largest rectangle of its aspect inside the area it is given."""

    def __init__(self) -> None:
        self.area = pygame.Rect(0, 0, 0, 0)
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._guide_key: tuple[object, ...] | None = None
        self._guide_layer: pygame.Surface | None = None
        self._guide_x_mm = 0.0  # where the probe was when the overlay was drawn
        self._last_x_mm = 0.0
        self._image: FormedImage | None = None
        self._surface: pygame.Surface | None = None

    def layout(self, area: pygame.Rect, frame_size: tuple[int, int]) -> None:
        self.area = area
        fw, fh = frame_size
        scale = min(area.width / fw, area.height / fh)
        self.rect = pygame.Rect(0, 0, round(fw * scale), round(fh * scale))
        self.rect.center = area.center

    def to_screen(
        self, sim: Simulation, frame_shape: tuple[int, int], x_mm: np.ndarray, z_mm: np.ndarray
    ) -> np.ndarray:
        """Screen pixels (N, 2) of world points, through the one world-to-image transform."""
        geometry = ImageGeometry.of(sim.probe, frame_shape[1], frame_shape[0])
        rows, cols = geometry.world_to_pixel(np.asarray(x_mm, dtype=float), np.asarray(z_mm, dtype=float))
        sx = self.rect.width / frame_shape[1]
        sy = self.rect.height / frame_shape[0]
        return np.stack(
            [self.rect.left + np.asarray(cols) * sx, self.rect.top + np.asarray(rows) * sy], axis=1
        )

    def draw_image(self, surface: pygame.Surface, image: FormedImage | None, mirrored: bool = False) -> None:
        """The newest image from the worker (the previous one while the worker is late), left-right
        mirrored in an orientation test."""
        if image is not None and image is not self._image:
            h, w = image.bgra.shape[:2]
            self._image, self._surface = image, pygame.image.frombuffer(image.bgra.data, (w, h), "BGRA")
            if mirrored:
                self._surface = pygame.transform.flip(self._surface, True, False)
        if self._surface is None:
            pygame.draw.rect(surface, (0, 0, 0), self.rect)
        elif self._surface.get_size() != self.rect.size:  # the window was just resized
            surface.blit(pygame.transform.scale(self._surface, self.rect.size), self.rect)
        else:
            surface.blit(self._surface, self.rect)

    def draw_scale(
        self,
        surface: pygame.Surface,
        sim: Simulation,
        frame_shape: tuple[int, int],
        fonts: theme.Fonts,
        left: str,
        right: str,
    ) -> None:
        """Depth ticks every 5 mm with cm labels, and the orientation of each side of the image."""
        depth = sim.probe.depth_mm
        zs = np.arange(0.0, depth + 1e-6, 5.0)
        pts = self.to_screen(sim, frame_shape, np.full_like(zs, sim.probe.x_mm), zs)
        x = self.rect.right + 4
        small = fonts.regular(14)
        for z, (_, y) in zip(zs, pts, strict=True):
            major = round(z) % 10 == 0
            pygame.draw.line(surface, theme.TEXT, (x, y), (x + (12 if major else 6), y), 2 if major else 1)
            if major and z > 0:
                text(surface, small, f"{z / 10:.0f}", (x + 16, y), theme.TEXT, "midleft")
        text(surface, small, "cm", (x + 16, self.rect.top), theme.MUTED, "topleft")
        top = self.rect.top - 4
        pygame.draw.circle(surface, theme.ACCENT, (self.rect.left + 8, top - 8), 6)
        text(surface, small, left, (self.rect.left + 20, top), theme.TEXT, "bottomleft")
        text(surface, small, right, (self.rect.right, top), theme.TEXT, "bottomright")

    def draw_guides(
        self,
        surface: pygame.Surface,
        sim: Simulation,
        frame_shape: tuple[int, int],
        sc: Scenario,
        path: tuple[tuple[float, float], tuple[float, float]],
        alpha: float,
        fonts: theme.Fonts,
    ) -> None:
        """Guided-mode overlay: outlines and names, the target, hazards and a suggested path.

        The overlay is drawn again when the view changes (plane, depth, window, needle in or out).
        While the probe slides along the plane the last overlay moves with it (the image is a
        Cartesian picture of the plane, so a slide is a shift), and is drawn afresh once the probe
        stops or has slid GUIDE_MARGIN_PX."""
        if alpha <= 0.0:
            return
        p = sim.probe
        key: tuple[object, ...] = (sim.plane.key, p.y_mm, p.depth_mm, frame_shape, tuple(self.rect))
        key += (round(alpha, 3), sim.needle.inserted, fonts.scale)
        shift = round(self._mm_to_px(sim, frame_shape) * (self._guide_x_mm - p.x_mm))
        stopped = p.x_mm == self._last_x_mm
        self._last_x_mm = p.x_mm
        stale = key != self._guide_key or self._guide_layer is None
        if stale or (shift and (stopped or abs(shift) > GUIDE_MARGIN_PX)):
            self._guide_layer = self._guide_surface(sim, frame_shape, sc, path, fonts)
            self._guide_layer.set_alpha(round(255 * alpha))
            self._guide_key, self._guide_x_mm, shift = key, p.x_mm, 0
        assert self._guide_layer is not None
        surface.blit(self._guide_layer, (self.rect.left - GUIDE_MARGIN_PX + shift, self.rect.top))

    @property
    def _layer_origin(self) -> tuple[int, int]:
        """Where the overlay layer's top left corner is on screen when not shifted."""
        return self.rect.left - GUIDE_MARGIN_PX, self.rect.top

    def _guide_clip(self, sim: Simulation, frame_shape: tuple[int, int]) -> BaseGeometry:
        """The field of view, and the bands beyond the image's left and right edges."""
        k = self._mm_to_px(sim, frame_shape)
        ((x0_px, _),) = self.to_screen(sim, frame_shape, np.array([0.0]), np.array([0.0]))
        left_mm = (self.rect.left - x0_px) / k
        right_mm = (self.rect.right - x0_px) / k
        margin_mm, deep = GUIDE_MARGIN_PX / k, sim.probe.depth_mm + 5.0
        bands = [
            world_box(left_mm - margin_mm, -5.0, left_mm, deep),
            world_box(right_mm, -5.0, right_mm + margin_mm, deep),
        ]
        return shapely.union_all([field_of_view(sim.probe), *bands])

    def _mm_to_px(self, sim: Simulation, frame_shape: tuple[int, int]) -> float:
        """Screen pixels per millimetre along the plane."""
        (a, _), (b, _) = self.to_screen(sim, frame_shape, np.array([0.0, 10.0]), np.array([5.0, 5.0]))
        return float(b - a) / 10.0

    def _guide_surface(
        self,
        sim: Simulation,
        frame_shape: tuple[int, int],
        sc: Scenario,
        path: tuple[tuple[float, float], tuple[float, float]],
        fonts: theme.Fonts,
    ) -> pygame.Surface:
        """The overlay for the current view on a transparent surface the image's height and
        GUIDE_MARGIN_PX wider on each side: inside the image only what the beam reaches, beyond its
        edges everything (shown only while the overlay shifts with a sliding probe)."""
        layer = pygame.Surface((self.rect.width + 2 * GUIDE_MARGIN_PX, self.rect.height), pygame.SRCALPHA)
        plane = sim.plane
        small = fonts.regular(14)
        placed: list[pygame.Rect] = []
        fov = self._guide_clip(sim, frame_shape)
        for s, shown in zip(plane.structures, visible_parts(plane, fov), strict=True):
            if s.kind not in LABELLED_KINDS:
                continue
            colour = theme.HAZARD if s.name in sc.critical else theme.STRUCTURE
            if not s.is_layer:
                for part in _polygons(s.geometry.intersection(fov)):
                    pts = self._outline(sim, frame_shape, part.exterior.coords)
                    if len(pts) > 2:
                        pygame.draw.polygon(layer, colour, pts, 2)
            self._label(layer, small, s.name, shown.intersection(fov), sim, frame_shape, colour, placed)
        if plane.y_mm == 0.0:
            pygame.draw.polygon(
                layer, theme.TARGET, self._outline(sim, frame_shape, sc.target.exterior.coords), 3
            )
            seen = shapely.LineString(path).intersection(fov)
            if isinstance(seen, shapely.LineString) and not seen.is_empty:
                ends = self.to_screen(sim, frame_shape, *np.asarray(seen.coords, dtype=float)[[0, -1]].T)
                a, b = ends - np.array(self._layer_origin)
                radius = 1 if sim.needle.inserted else 3  # fine dots once the real needle shows
                draw_dotted(
                    layer,
                    theme.SUGGESTED,
                    (round(a[0]), round(a[1])),
                    (round(b[0]), round(b[1])),
                    radius=radius,
                )
        return layer

    def _outline(
        self, sim: Simulation, frame_shape: tuple[int, int], coords: object
    ) -> list[tuple[int, int]]:
        """Points of a world outline in the overlay layer's own pixels."""
        arr = np.asarray(coords, dtype=float)
        pts = self.to_screen(sim, frame_shape, arr[:, 0], arr[:, 1]) - np.array(self._layer_origin)
        return [(round(x), round(y)) for x, y in pts]

    def _label(
        self,
        layer: pygame.Surface,
        font: pygame.font.Font,
        name: str,
        geometry: BaseGeometry,
        sim: Simulation,
        frame_shape: tuple[int, int],
        colour: tuple[int, int, int],
        placed: list[pygame.Rect],
    ) -> None:
        if geometry.is_empty or geometry.area < 1.0:
            return
        p = geometry.representative_point()
        ((x, y),) = self.to_screen(sim, frame_shape, np.array([p.x]), np.array([p.y]))
        img = font.render(name.replace("_", " "), True, theme.TEXT)
        left, top = self._layer_origin
        box = img.get_rect(center=(round(x) - left, round(y) - top)).inflate(6, 2)
        if not layer.get_rect().contains(box) or box.collidelist(placed) >= 0:
            return
        placed.append(box)
        pygame.draw.rect(layer, (*theme.blend(colour, (0, 0, 0), 0.55), 220), box, border_radius=3)
        layer.blit(img, img.get_rect(center=box.center))
