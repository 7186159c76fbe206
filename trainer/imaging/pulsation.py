"""Arterial pulsation: each artery's neighbourhood is warped radially so the lumen swells in systole.

The tissue pass draws arteries at rest; per frame, pixels near an artery read the rest image at the
radius they had before the wall pushed outward (the same mapping the core uses for needle contact).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.physiology import artery_scale
from trainer.scenario.model import Physiology, Plane, Structure
from trainer.tissue import TissueKind

REACH = 2.0  # the warp fades out at this many radii from the centre


def draw(
    envelope: np.ndarray, plane: Plane, geo: ImageGeometry, physiology: Physiology, time_s: float
) -> list[tuple[slice, slice]]:
    """Warp each artery in view to its current size; returns the rectangles changed."""
    k = artery_scale(physiology, time_s)
    if k <= 1.0 + 1e-6:
        return []
    rects = []
    for s in plane.of_kind(TissueKind.ARTERY):
        rect = _warp(envelope, s, geo, k)
        if rect is not None:
            rects.append(rect)
    return rects


def _warp(
    envelope: np.ndarray, artery: Structure, geo: ImageGeometry, k: float
) -> tuple[slice, slice] | None:
    c = artery.geometry.centroid
    radius = math.sqrt(artery.geometry.area / math.pi)
    reach = REACH * k * radius
    corners_x = np.array([c.x - reach, c.x + reach, c.x - reach, c.x + reach])
    corners_z = np.array([c.y - reach, c.y - reach, c.y + reach, c.y + reach])
    si, sj = geo.world_to_beam(corners_x, corners_z)
    rows = slice(max(0, math.floor(si.min())), min(geo.n_samples, math.ceil(si.max()) + 1))
    cols = slice(max(0, math.floor(sj.min())), min(geo.n_lines, math.ceil(sj.max()) + 1))
    if rows.stop - rows.start < 2 or cols.stop - cols.start < 2:
        return None
    x, z = (a[rows, cols] for a in geo.beam_world_mm)
    rho = np.hypot(x - c.x, z - c.y) / radius
    rest = np.where(rho <= k, rho / k, 1.0 + (rho - k) * (REACH * k - 1.0) / ((REACH - 1.0) * k))
    ratio = np.where(rho > 1e-9, rest / np.maximum(rho, 1e-9), 1.0 / k)
    ratio = np.where(rho >= REACH * k, 1.0, ratio)
    src_i, src_j = geo.world_to_beam(c.x + (x - c.x) * ratio, c.y + (z - c.y) * ratio)
    envelope[rows, cols] = cv2.remap(
        envelope,
        src_j.astype(np.float32),
        src_i.astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return rows, cols
