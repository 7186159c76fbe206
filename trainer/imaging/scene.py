"""Per-plane world maps, built once and cached: labels, boundary normals and textured backscatter.

The maps cover the scenario's section on a fine grid (GRID_MM per pixel). Labels index the plane's
structures in painter order; two extra labels stand for coupling gel above the skin and for
injectate. Breathing structures are drawn at their deepest excursion: the lung layer cuts the
image at the pleura's current depth every frame (see `lung.py`).
"""

from __future__ import annotations

import math
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
    """Fine grid over one plane's maps: pixel (gz, gx) centres at x0 + gx * GRID_MM, gz * GRID_MM.

    `x0_px` is the grid's first column counted from scene x = 0: the column of the world-anchored
    textures and speckle (periodic fields, see `periodic_columns`) that it shows."""

    x0_px: int
    width_px: int
    height_px: int
    margin_px: int = 0  # side columns that continue the section's edge (2D scenarios)

    @property
    def x0_mm(self) -> float:
        return self.x0_px * GRID_MM

    @classmethod
    def of(cls, sc: Scenario, plane: Plane) -> WorldGrid:
        """The grid over a 3D patient plane's window, or over a 2D scenario's section and margins."""
        height = round(sc.depth_mm / GRID_MM)
        if plane.x_range_mm is not None:
            c0, c1 = (round(v / GRID_MM) for v in plane.x_range_mm)
            return cls(c0, c1 - c0, height)
        x0, x1 = sc.x_range_mm
        margin = round(MARGIN_MM / GRID_MM)
        return cls(round(x0 / GRID_MM) - margin, round((x1 - x0) / GRID_MM) + 2 * margin, height, margin)

    def to_grid(self, x_mm: np.ndarray, z_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Float32 grid coordinates (for cv2.remap) of world points."""
        return (
            ((x_mm - self.x0_mm) / GRID_MM).astype(np.float32),
            (np.asarray(z_mm) / GRID_MM).astype(np.float32),
        )


PERIOD_STEP_PX = 256
WRAP_BLEND_MM = 10.0  # a periodic field's seam is cross-faded over this width


def period_px(sc: Scenario) -> int:
    """Width of the scene's periodic world fields: at least any of its plane windows, at least 2048."""
    if sc.anatomy is not None:
        widest = 2.0 * sc.anatomy.window_half_mm / GRID_MM + 2
    else:
        widest = WorldGrid.of(sc, sc.primary).width_px
    return max(2048, PERIOD_STEP_PX * math.ceil(widest / PERIOD_STEP_PX))


def make_periodic(field: np.ndarray, period: int) -> np.ndarray:
    """A field (H, period + blend) made seamless across its left and right edges: the first columns
    are cross-faded (with power-preserving weights) into the columns past the period."""
    blend = field.shape[1] - period
    mean = np.float32(field.mean())
    out = field[:, :period].astype(np.float32)
    t = (np.arange(blend, dtype=np.float32) + 0.5) * np.float32(math.pi / 2.0 / blend)
    out[:, :blend] = mean + np.sin(t) * (out[:, :blend] - mean) + np.cos(t) * (field[:, period:] - mean)
    return out


def periodic_columns(field: np.ndarray, grid: WorldGrid, shift_px: tuple[int, int] = (0, 0)) -> np.ndarray:
    """A periodic world field's columns under a grid (rows and columns first shifted by `shift_px`):
    a view of the field when the window does not wrap around its period."""
    period = field.shape[1]
    c0 = (grid.x0_px + shift_px[1]) % period
    if c0 + grid.width_px <= period:
        out = field[:, c0 : c0 + grid.width_px]
    else:
        out = np.concatenate([field[:, c0:], field[:, : c0 + grid.width_px - period]], axis=1)
    return np.roll(out, shift_px[0], axis=0)[: grid.height_px] if shift_px[0] else out[: grid.height_px]


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
    grid: WorldGrid  # where the maps lie in the scene


class TextureAtlas:
    """Tissue textures as periodic world fields, one per (kind, fibre angle, angle out of the image),
    made on first use.

    Anchored to the world like the speckle, so a plane cut a little further out of plane, or a
    window further along the back, reuses them: a new plane costs a rasterisation, not a texture
    synthesis."""

    def __init__(self, height_px: int, period: int, seed: int) -> None:
        self.height_px = height_px
        self.period = period
        self.seed = seed
        self._maps: dict[tuple[TissueKind, float | None, float], np.ndarray | None] = {}
        self._sheets: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def _shape(self) -> tuple[int, int]:
        return self.height_px, self.period + round(WRAP_BLEND_MM / GRID_MM)

    def factor(
        self, kind: TissueKind, fibre_deg: float | None, grid: WorldGrid, out_of_plane_deg: float = 0.0
    ) -> np.ndarray | None:
        key = (kind, fibre_deg, out_of_plane_deg)
        if key not in self._maps:
            name = f"{kind.value}:{fibre_deg}" + (f":{out_of_plane_deg}" if out_of_plane_deg else "")
            rng = np.random.default_rng([self.seed, zlib.crc32(name.encode()), 7])
            made = texture(kind, self._shape, GRID_MM, rng, fibre_deg, out_of_plane_deg)
            self._maps[key] = None if made is None else make_periodic(made, self.period).astype(np.float16)
        field = self._maps[key]
        return None if field is None else periodic_columns(field, grid)

    def sheets(self, grid: WorldGrid) -> tuple[np.ndarray, np.ndarray]:
        """The fascial sheets' undulation (pixels) and echo under a grid, made once for every plane."""
        if self._sheets is None:
            rng = np.random.default_rng([self.seed, zlib.crc32(b"fascia"), 7])
            wave = make_periodic(fascia.undulation(self._shape, GRID_MM, rng), self.period)
            echo = make_periodic(fascia.fibrils(self._shape, GRID_MM, rng), self.period)
            self._sheets = wave, echo
        wave, echo = self._sheets
        return periodic_columns(wave, grid), periodic_columns(echo, grid)

    def muscle(self, view: FibreView, grid: WorldGrid) -> np.ndarray | None:
        """Muscle seen at `view`: the long-axis and short-axis textures blended by its share."""
        along = self.factor(TissueKind.MUSCLE, view.in_plane_deg, grid)
        if view.long_axis >= 1.0 or along is None:
            return along
        across = self.factor(TissueKind.MUSCLE, view.in_plane_deg, grid, 90.0)
        if view.long_axis <= 0.0 or across is None:
            return across
        return cv2.addWeighted(along, view.long_axis, across, 1.0 - view.long_axis, 0.0, dtype=cv2.CV_32F)


def build_plane_maps(sc: Scenario, plane: Plane, atlas: TextureAtlas) -> PlaneMaps:
    grid = WorldGrid.of(sc, plane)
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
    echo = _echo_map(plane, labels, atlas, grid)
    return PlaneMaps(
        labels, normals, echo, *_tables(plane), _soft_attenuation(plane, labels), excursion, grid
    )


def _continue_sideways(image: np.ndarray, grid: WorldGrid) -> None:
    """Fill the side margins with the section's edge columns: the layers carry on beyond it."""
    m = grid.margin_px
    if not m:
        return
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
    """Paint a structure's label, working only in its bounding box."""
    outer, holes = _rings(shape)
    rings = [_to_px(r, grid) for r in outer]
    points = np.concatenate(rings) >> 4
    c0, r0 = np.maximum(points.min(axis=0) - 1, 0)
    c1, r1 = np.minimum(points.max(axis=0) + 2, (labels.shape[1], labels.shape[0]))
    if c0 >= c1 or r0 >= r1:
        return
    offset = np.array([c0, r0], dtype=np.int32) << 4
    mask = np.zeros((r1 - r0, c1 - c0), dtype=np.uint8)
    cv2.fillPoly(mask, [r - offset for r in rings], 1, shift=4)
    if holes:
        cv2.fillPoly(mask, [_to_px(r, grid) - offset for r in holes], 0, shift=4)
    labels[r0:r1, c0:c1][mask.view(bool)] = value


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


def _echo_map(plane: Plane, labels: np.ndarray, atlas: TextureAtlas, grid: WorldGrid) -> np.ndarray:
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
        factor = (
            atlas.muscle(fibre, grid) if isinstance(fibre, FibreView) else atlas.factor(kind, fibre, grid)
        )
        if factor is None:
            continue
        member = np.zeros(256, dtype=np.uint8)
        member[members] = 1
        inside = cv2.LUT(labels, member).view(bool)
        np.multiply(echo, factor, out=echo, where=inside, casting="unsafe")
    soft = np.zeros(256, dtype=bool)
    soft[[i for i, s in enumerate(plane.structures) if s.kind in SHEATHED]] = True
    wave, sheet = atlas.sheets(grid)
    fascia.add_sheets(echo, fascia.sheet_weight(labels, soft, GRID_MM, wave), sheet)
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
