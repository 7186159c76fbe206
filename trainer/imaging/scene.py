"""Per-plane world maps, built once and cached: labels, boundary normals and textured backscatter.

The maps cover the scenario's section on a fine grid (GRID_MM per pixel). Labels index the plane's
structures in painter order; two extra labels stand for coupling gel above the skin and for
injectate. Breathing structures are drawn at their deepest excursion: the lung layer cuts the
image at the pleura's current depth every frame (see `lung.py`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import cv2
import numpy as np
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon

from trainer.imaging import fascia
from trainer.imaging.fibres import FibreView, fibre_view
from trainer.imaging.textures import texture
from trainer.scenario.model import Plane, Scenario, Structure
from trainer.tissue import ACOUSTICS, BREATHING, SOFT_TISSUE, VESSELS, TissueKind

SHEATHED = frozenset({TissueKind.SKIN, TissueKind.FAT, TissueKind.MUSCLE})  # fascia where two meet
GRID_MM = 0.1
MARGIN_MM = 30.0  # beyond the section's sides the anatomy is continued (a fan reaches wider than it)
NORMAL_LINE_PX = 5
COUPLING = 254  # label of gel between a curved face and the skin, and of anything outside the body
INJECTATE = 253
UNIT_NORMAL = 127.0  # normals are stored as uint8: 128 + 127 * component


@dataclass(frozen=True, slots=True)
class WorldGrid:
    """Fine grid over the section: pixel (gz, gx) centres at x0 + gx * GRID_MM, gz * GRID_MM."""

    x0_mm: float
    width_px: int
    height_px: int

    @classmethod
    def of(cls, sc: Scenario) -> WorldGrid:
        x0, x1 = sc.x_range_mm
        width = round((x1 - x0 + 2.0 * MARGIN_MM) / GRID_MM)
        return cls(x0 - MARGIN_MM, width, round(sc.depth_mm / GRID_MM))

    def to_grid(self, x_mm: np.ndarray, z_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Float32 grid coordinates (for cv2.remap) of world points."""
        return (
            ((x_mm - self.x0_mm) / GRID_MM).astype(np.float32),
            (np.asarray(z_mm) / GRID_MM).astype(np.float32),
        )


@dataclass(frozen=True)
class PlaneMaps:
    """Everything the frame loop reads about one plane."""

    labels: np.ndarray  # uint8 (H, W): structure index, COUPLING, INJECTATE
    normals: np.ndarray  # uint8 (H, W, 2): boundary normal (x, z) near each boundary
    echo: np.ndarray  # float32 (H, W): backscatter amplitude times texture
    impedance: np.ndarray  # float32 (256,) per label
    attenuation: np.ndarray  # float32 (256,) dB/cm/MHz per label
    specular: np.ndarray  # float32 (256,) per label
    breathing: np.ndarray  # bool (256,): pleura and lung labels
    fat: np.ndarray  # bool (256,): fat labels
    soft_attenuation: float  # mean dB/cm/MHz of the plane's soft tissue (the scanner preset's TGC)
    excursion_mm: float


class TextureAtlas:
    """Tissue textures over the whole world grid, one per (kind, fibre angle, angle out of the image),
    made on first use.

    Anchored to the world like the speckle, so a plane cut a little further out of plane reuses them:
    a new plane costs a rasterisation, not a texture synthesis."""

    def __init__(self, grid: WorldGrid, seed: int) -> None:
        self.grid = grid
        self.seed = seed
        self._maps: dict[tuple[TissueKind, float | None, float], np.ndarray | None] = {}

    def factor(
        self, kind: TissueKind, fibre_deg: float | None, out_of_plane_deg: float = 0.0
    ) -> np.ndarray | None:
        key = (kind, fibre_deg, out_of_plane_deg)
        if key not in self._maps:
            name = f"{kind.value}:{fibre_deg}" + (f":{out_of_plane_deg}" if out_of_plane_deg else "")
            rng = np.random.default_rng([self.seed, zlib.crc32(name.encode()), 7])
            shape = (self.grid.height_px, self.grid.width_px)
            made = texture(kind, shape, GRID_MM, rng, fibre_deg, out_of_plane_deg)
            self._maps[key] = None if made is None else made.astype(np.float16)
        return self._maps[key]

    def muscle(self, view: FibreView) -> np.ndarray | None:
        """Muscle seen at `view`: the long-axis and short-axis textures blended by its share."""
        along = self.factor(TissueKind.MUSCLE, view.in_plane_deg)
        if view.long_axis >= 1.0 or along is None:
            return along
        across = self.factor(TissueKind.MUSCLE, view.in_plane_deg, 90.0)
        if view.long_axis <= 0.0 or across is None:
            return across
        return cv2.addWeighted(along, view.long_axis, across, 1.0 - view.long_axis, 0.0, dtype=cv2.CV_32F)


def build_plane_maps(sc: Scenario, plane: Plane, grid: WorldGrid, atlas: TextureAtlas) -> PlaneMaps:
    excursion = sc.physiology.pleura_excursion_mm
    regions = [_drawn_region(s, excursion) for s in plane.structures]
    labels = np.full((grid.height_px, grid.width_px), COUPLING, dtype=np.uint8)
    for i, region in enumerate(regions):
        _fill(labels, region, grid, i)
    normals = np.full((grid.height_px, grid.width_px, 2), (128, 255), dtype=np.uint8)
    for s in plane.structures:
        _draw_normals(normals, _drawn_geometry(s, excursion), grid)
    _continue_sideways(labels, grid)
    _continue_sideways(normals, grid)
    echo = _echo_map(plane, labels, atlas)
    return PlaneMaps(labels, normals, echo, *_tables(plane), _soft_attenuation(plane, labels), excursion)


def _continue_sideways(image: np.ndarray, grid: WorldGrid) -> None:
    """Fill the side margins with the section's edge columns: the layers carry on beyond it."""
    m = round(MARGIN_MM / GRID_MM)
    image[:, :m] = image[:, m : m + 1]
    image[:, grid.width_px - m :] = image[:, grid.width_px - m - 1 : grid.width_px - m]


def _drawn_region(s: Structure, excursion_mm: float) -> Polygon:
    shape = s.lookup_region
    return affinity.translate(shape, 0.0, excursion_mm) if s.kind in BREATHING else shape


def _drawn_geometry(s: Structure, excursion_mm: float) -> Polygon:
    shape = s.geometry
    return affinity.translate(shape, 0.0, excursion_mm) if s.kind in BREATHING else shape


def _rings(shape: Polygon | MultiPolygon) -> tuple[list[np.ndarray], list[np.ndarray]]:
    parts = shape.geoms if isinstance(shape, MultiPolygon) else [shape]
    outer = [np.asarray(p.exterior.coords) for p in parts]
    holes = [np.asarray(r.coords) for p in parts for r in p.interiors]
    return outer, holes


def _to_px(ring: np.ndarray, grid: WorldGrid) -> np.ndarray:
    gx, gz = grid.to_grid(ring[:, 0], ring[:, 1])
    return np.round(np.stack([gx, gz], axis=1) * 16.0).astype(np.int32)  # 4 fractional bits


def _fill(labels: np.ndarray, shape: Polygon, grid: WorldGrid, value: int) -> None:
    outer, holes = _rings(shape)
    mask = np.zeros(labels.shape, dtype=np.uint8)
    cv2.fillPoly(mask, [_to_px(r, grid) for r in outer], 1, shift=4)
    if holes:
        cv2.fillPoly(mask, [_to_px(r, grid) for r in holes], 0, shift=4)
    labels[mask.astype(bool)] = value


def _draw_normals(normals: np.ndarray, shape: Polygon, grid: WorldGrid) -> None:
    outer, holes = _rings(shape)
    for ring in outer + holes:
        pts = _to_px(ring, grid)
        d = np.diff(ring, axis=0)
        lengths = np.hypot(d[:, 0], d[:, 1])
        for k in np.nonzero(lengths > 1e-9)[0]:
            nx, nz = -d[k, 1] / lengths[k], d[k, 0] / lengths[k]
            colour = (int(128 + UNIT_NORMAL * nx), int(128 + UNIT_NORMAL * nz))
            cv2.line(normals, tuple(pts[k]), tuple(pts[k + 1]), colour, NORMAL_LINE_PX, cv2.LINE_8, 4)


def _echo_map(plane: Plane, labels: np.ndarray, atlas: TextureAtlas) -> np.ndarray:
    """Backscatter times the world-anchored texture of each structure's tissue."""
    amplitude = np.zeros(256, dtype=np.float32)
    groups: dict[tuple[TissueKind, float | FibreView | None], list[int]] = {}
    for i, s in enumerate(plane.structures):
        amplitude[i] = ACOUSTICS[s.kind].backscatter
        fibres = (
            fibre_view(s.fibre_deg or 0.0, plane.orientation_deg) if s.kind == TissueKind.MUSCLE else None
        )
        groups.setdefault((s.kind, fibres or s.fibre_deg), []).append(i)
    echo = amplitude[labels]
    for (kind, fibre), members in groups.items():
        factor = atlas.muscle(fibre) if isinstance(fibre, FibreView) else atlas.factor(kind, fibre)
        if factor is None:
            continue
        member = np.zeros(256, dtype=np.uint8)
        member[members] = 1
        inside = cv2.LUT(labels, member).view(bool)
        np.multiply(echo, factor, out=echo, where=inside, casting="unsafe")
    soft = np.zeros(256, dtype=bool)
    soft[[i for i, s in enumerate(plane.structures) if s.kind in SHEATHED]] = True
    rng = np.random.default_rng([atlas.seed, zlib.crc32(plane.name.encode()), 7])
    fascia.add_sheets(echo, fascia.sheet_weight(labels, soft, GRID_MM, rng), rng, GRID_MM)
    return echo


def _tables(plane: Plane) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    gel, fluid = ACOUSTICS[TissueKind.GEL], ACOUSTICS[TissueKind.FLUID]
    impedance = np.full(256, gel.impedance_mrayl, dtype=np.float32)
    attenuation = np.full(256, 0.0, dtype=np.float32)
    specular = np.full(256, 0.0, dtype=np.float32)
    breathing = np.zeros(256, dtype=bool)
    fat = np.zeros(256, dtype=bool)
    impedance[INJECTATE], attenuation[INJECTATE], specular[INJECTATE] = (
        fluid.impedance_mrayl,
        fluid.attenuation_db_cm_mhz,
        fluid.specular,
    )
    for i, s in enumerate(plane.structures):
        a = ACOUSTICS[s.kind]
        impedance[i], attenuation[i], specular[i] = a.impedance_mrayl, a.attenuation_db_cm_mhz, a.specular
        breathing[i] = s.kind in BREATHING
        fat[i] = s.kind == TissueKind.FAT
    return impedance, attenuation, specular, breathing, fat


def _soft_attenuation(plane: Plane, labels: np.ndarray) -> float:
    """Area-weighted attenuation of the plane's soft tissue (skin, fat, muscle, gel)."""
    counts = cv2.calcHist([labels], [0], None, [256], [0, 256]).ravel()[: len(plane.structures)]
    soft = [
        (counts[i], ACOUSTICS[s.kind].attenuation_db_cm_mhz)
        for i, s in enumerate(plane.structures)
        if s.kind in SOFT_TISSUE
    ]
    total = sum(c for c, _ in soft)
    return float(sum(c * a for c, a in soft) / total) if total else 0.7


def vessel_indices(plane: Plane) -> list[int]:
    """Labels of the plane's vessels (for pulsation and Doppler)."""
    return [i for i, s in enumerate(plane.structures) if s.kind in VESSELS]
