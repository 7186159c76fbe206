"""Injectate in the image: fluid where the boluses are and tissue pushed aside around them.

The core's `Injectate.source_points` is evaluated once per injectate state on a coarse world grid;
each frame only samples that map, so sliding the probe over a spread costs two remaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from trainer.imaging.scene import GRID_MM, WorldGrid
from trainer.injectate import Injectate

COARSE = 2  # fine grid pixels per displacement-map pixel


@dataclass(frozen=True)
class DisplacementMap:
    """Per coarse world pixel, float32 (H, W, 3): where its tissue came from (fine-grid x and z) and
    whether it is fluid (1) or not (0)."""

    channels: np.ndarray


def displacement_map(injectate: Injectate, grid: WorldGrid) -> DisplacementMap:
    step = np.float32(GRID_MM * COARSE)
    x = np.float32(grid.x0_mm) + np.arange(grid.width_px // COARSE + 1, dtype=np.float32)[None, :] * step
    z = np.arange(grid.height_px // COARSE + 1, dtype=np.float32)[:, None] * step
    source_x, source_z, fluid = injectate.displace(x, z)
    source_x, source_z = np.broadcast_arrays(source_x, source_z)
    fine_x, fine_z = grid.to_grid(source_x, source_z)
    return DisplacementMap(np.dstack([fine_x, fine_z, fluid.astype(np.float32)]))


def displaced(
    d: DisplacementMap, grid: WorldGrid, grid_x: np.ndarray, grid_z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fine-grid sampling coordinates after displacement, and the fluid mask, for beam samples.

    The map is smooth, so it is read at every other sample and line and resized up."""
    cx, cz = grid_x[::2, ::2] * np.float32(1.0 / COARSE), grid_z[::2, ::2] * np.float32(1.0 / COARSE)
    coarse = cv2.remap(d.channels, cx, cz, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    size = (grid_x.shape[1], grid_x.shape[0])
    sx, sz, fluid = (cv2.resize(c, size, interpolation=cv2.INTER_LINEAR) for c in cv2.split(coarse))
    return sx, sz, fluid > 0.5
