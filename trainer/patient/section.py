"""The beam plane's cut through the 3D patient, as the 2D structures imaging and tracking consume.

Section coordinates: x_mm along the image (the frame's U axis plus a shift), z_mm depth below the skin
along the beam. The probe flattens the skin under its face, so every beam column starts at z = 0 on
the skin and the structures below keep their depth below the skin along that column.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from trainer.patient.body import Patient
from trainer.patient.frame import Frame
from trainer.patient.layers import LAYERS, LayerFields
from trainer.patient.solids import cut
from trainer.scenario.model import Structure
from trainer.tissue import TissueKind

COLUMN_STEP_MM = 1.0
MIN_LAYER_MM = 0.05


@lru_cache(maxsize=8)
def layer_fields(patient: Patient) -> LayerFields:
    return LayerFields(patient)


def skin_depth_along(patient: Patient, frame: Frame, u_mm: np.ndarray, y_mm: float) -> np.ndarray:
    """Distance along the beam from the frame's plane to the skin, per column."""
    t = np.zeros_like(u_mm)
    for _ in range(5):
        p = frame.to_world(u_mm, y_mm, t)
        f = p[:, 2] - patient.skin_z(p[:, 0], p[:, 1])
        t = t - f / frame.w[2]
    return t


def _boundaries(
    patient: Patient, frame: Frame, u_mm: np.ndarray, y_mm: float, t_skin: np.ndarray
) -> np.ndarray:
    """(layers - 1, columns) depth below the skin of each layer floor along each beam column."""
    fields = layer_fields(patient)
    p = frame.to_world(u_mm, y_mm, t_skin)
    depth = fields.floors(p[:, 0], p[:, 1])
    for _ in range(3):
        pts = frame.to_world(u_mm[None, :], y_mm, t_skin[None, :] + depth)
        flat = pts.reshape(-1, 3)
        floors = fields.floors(flat[:, 0], flat[:, 1]).reshape(len(depth), len(depth), -1)
        want = np.stack([floors[k, k] for k in range(len(depth))])
        depth = depth + (want - depth) * frame.w[2]
    depth = np.maximum.accumulate(np.maximum(depth, MIN_LAYER_MM), axis=0)
    return depth + np.arange(len(depth))[:, None] * MIN_LAYER_MM


def section(
    patient: Patient,
    frame: Frame,
    y_mm: float,
    x_range_mm: tuple[float, float],
    floor_mm: float,
    x_shift_mm: float = 0.0,
) -> tuple[Structure, ...]:
    """Structures in painter order (layers, then solids) on the plane `y_mm` along the frame's V."""
    u = np.arange(x_range_mm[0] - x_shift_mm - 2.0, x_range_mm[1] - x_shift_mm + 2.0 + 1e-9, COLUMN_STEP_MM)
    t_skin = skin_depth_along(patient, frame, u, y_mm)
    floors = _boundaries(patient, frame, u, y_mm, t_skin)
    xs = u + x_shift_mm
    out = list(_layer_structures(xs, floors, floor_mm))
    out += _solid_structures(patient, frame, y_mm, u, t_skin, x_shift_mm, x_range_mm, floor_mm)
    return tuple(out)


def _band(xs: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> Polygon:
    return Polygon(np.concatenate([np.stack([xs, top], 1), np.stack([xs[::-1], bottom[::-1]], 1)]))


def _layer_structures(xs: np.ndarray, floors: np.ndarray, floor_mm: float) -> list[Structure]:
    deepest = np.full_like(xs, max(floor_mm, float(floors[-1].max()) + 1.0))
    tops = [np.zeros_like(xs), *floors]
    bottoms = [*floors, deepest]
    return [
        Structure(
            name=layer.name,
            kind=layer.kind,
            geometry=_band(xs, top, bottom),
            is_layer=True,
            fill=_band(xs, top, deepest + 50.0),
            fibre_deg=layer.fibre_deg,
        )
        for layer, top, bottom in zip(LAYERS, tops, bottoms, strict=True)
    ]


def _solid_structures(
    patient: Patient,
    frame: Frame,
    y_mm: float,
    u: np.ndarray,
    t_skin: np.ndarray,
    x_shift_mm: float,
    x_range_mm: tuple[float, float],
    floor_mm: float,
) -> list[Structure]:
    origin = frame.origin + y_mm * frame.v
    bounds = (float(u[0]), -5.0, float(u[-1]), float(t_skin.max()) + floor_mm + 5.0)
    index, polys = cut(patient.pieces, origin, frame.v, (frame.u, frame.w), bounds)
    if len(index) == 0:
        return []
    owners = patient.owner[index]
    window = box(*bounds)
    seen = shapely.intersects(polys, window)
    owners, polys = owners[seen], polys[seen]

    def warp(coords: np.ndarray) -> np.ndarray:
        return np.stack(
            [coords[:, 0] + x_shift_mm, coords[:, 1] - np.interp(coords[:, 0], u, t_skin)], axis=1
        )

    clip = box(x_range_mm[0], 0.0, x_range_mm[1], floor_mm)
    out: list[Structure] = []
    for owner in np.unique(owners):
        solid = patient.solids[int(owner)]
        shape = shapely.union_all(polys[owners == owner])
        shape = _clipped(shapely.transform(shape, warp), clip)
        out += _named_parts(solid.name, solid.kind, shape, solid.note)
    return out


def _clipped(shape: object, clip: Polygon) -> object:
    """The shape within the clip; a shape the skin warp folded (a self-crossing outline, seen once
    in a run of trainee profiles) is made valid first instead of failing the cut."""
    try:
        return shapely.intersection(shape, clip)
    except shapely.errors.GEOSException:
        return shapely.intersection(shapely.make_valid(shape), clip)


def _named_parts(name: str, kind: TissueKind, shape: object, note: str) -> list[Structure]:
    """One structure per polygon: the largest keeps the name, others get '.2', '.3'."""
    if isinstance(shape, Polygon):
        parts = [shape]
    elif isinstance(shape, MultiPolygon):
        parts = sorted(shape.geoms, key=lambda g: -g.area)
    else:
        parts = [g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon)]
    parts = [p for p in parts if p.area > 0.05]
    return [
        Structure(name=name if k == 0 else f"{name}.{k + 1}", kind=kind, geometry=p, note=note)
        for k, p in enumerate(parts)
    ]
