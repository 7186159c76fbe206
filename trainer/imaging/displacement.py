"""Injectate in the image: fluid where the boluses are and tissue pushed aside around them.

The core's `Injectate.source_points` is evaluated once per injectate state on a coarse world grid;
each frame only samples that map, so sliding the probe over a spread costs two remaps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from trainer.imaging.scene import GRID_MM, WorldGrid
from trainer.injectate import Injectate

OUT_OF_PLANE_SHARE = 0.6  # a bolus reaches this share of its largest in-plane semi-axis out of plane [E]
Y_STEP_MM = 0.25  # the probe's elevation is rounded to this for the section (and the cached map)


def section(injectate: Injectate, y_mm: float) -> Injectate:
    """The boluses as the slice `y_mm` out of plane cuts them: each an ellipsoid, so its section
    shrinks by sqrt(1 - (y / c)^2) and vanishes beyond its out-of-plane semi-axis c."""
    y = round(y_mm / Y_STEP_MM) * Y_STEP_MM
    boluses = []
    for b in injectate.boluses:
        c = OUT_OF_PLANE_SHARE * max(b.semi_axes_mm)
        if abs(y) >= c:
            continue
        k = float(np.sqrt(1.0 - (y / c) ** 2))
        boluses.append(replace(b, semi_axes_mm=(b.semi_axes_mm[0] * k, b.semi_axes_mm[1] * k)))
    return Injectate(tuple(boluses))


COARSE = 2  # fine grid pixels per displacement-map pixel
WINDOW_SNAP_MM = 10.0


@dataclass(frozen=True)
class DisplacementMap:
    """Per coarse world pixel, float32 (H, W, 3): where its tissue came from (fine-grid x and z) and
    whether it is fluid (1) or not (0)."""

    channels: np.ndarray
    origin: tuple[int, int] = (0, 0)  # coarse (column, row) of channels[0, 0]


Window = tuple[int, int, int, int]  # coarse columns [c0, c1) and rows [r0, r1) the map covers


def map_window(grid: WorldGrid, bounds_mm: tuple[float, float, float, float]) -> Window:
    """The coarse cells around a world box (min x, min z, max x, max z), snapped outward to
    WINDOW_SNAP_MM so that small probe moves keep the same window (and the cached map)."""
    cell_mm = GRID_MM * COARSE
    snap = WINDOW_SNAP_MM
    x0, z0, x1, z1 = bounds_mm
    x0, x1 = np.floor(x0 / snap) * snap - snap, np.ceil(x1 / snap) * snap + snap
    z0, z1 = max(0.0, np.floor(z0 / snap) * snap), np.ceil(z1 / snap) * snap + snap
    cols, rows = grid.width_px // COARSE + 1, grid.height_px // COARSE + 1
    c0 = int(np.clip((x0 - grid.x0_mm) // cell_mm, 0, cols - 1))
    c1 = int(np.clip((x1 - grid.x0_mm) // cell_mm + 2, c0 + 1, cols))
    r0 = int(np.clip(z0 // cell_mm, 0, rows - 1))
    r1 = int(np.clip(z1 // cell_mm + 2, r0 + 1, rows))
    return c0, c1, r0, r1


def displacement_map(injectate: Injectate, grid: WorldGrid, window: Window) -> DisplacementMap:
    """The map over `window` only: the beam never samples the tissue outside the field of view."""
    c0, c1, r0, r1 = window
    step = np.float32(GRID_MM * COARSE)
    x = np.float32(grid.x0_mm) + np.arange(c0, c1, dtype=np.float32)[None, :] * step
    z = np.arange(r0, r1, dtype=np.float32)[:, None] * step
    source_x, source_z, fluid = injectate.displace(x, z)
    source_x, source_z = np.broadcast_arrays(source_x, source_z)
    fine_x, fine_z = grid.to_grid(source_x, source_z)
    return DisplacementMap(np.dstack([fine_x, fine_z, fluid.astype(np.float32)]), (c0, r0))


def displaced(
    d: DisplacementMap, grid: WorldGrid, grid_x: np.ndarray, grid_z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fine-grid sampling coordinates after displacement, and the fluid share (0-1, soft over the
    coarse map's cell: the edge of a spread is not razor sharp), for beam samples.

    The map is smooth, so it is read at every other sample and line and resized up."""
    c0, r0 = d.origin
    cx = grid_x[::2, ::2] * np.float32(1.0 / COARSE) - np.float32(c0)
    cz = grid_z[::2, ::2] * np.float32(1.0 / COARSE) - np.float32(r0)
    coarse = cv2.remap(d.channels, cx, cz, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    size = (grid_x.shape[1], grid_x.shape[0])
    sx, sz, fluid = (cv2.resize(c, size, interpolation=cv2.INTER_LINEAR) for c in cv2.split(coarse))
    return sx, sz, np.clip(fluid, 0.0, 1.0)
