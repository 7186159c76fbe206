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
    step = GRID_MM * COARSE
    gz, gx = np.mgrid[0: grid.height_px // COARSE + 1, 0: grid.width_px // COARSE + 1]
    x, z = grid.x0_mm + gx * step, gz * step
    fluid = injectate.fluid_mask(x, z).astype(np.float32)
    fine_x, fine_z = grid.to_grid(*injectate.source_points(x, z))
    return DisplacementMap(np.dstack([fine_x, fine_z, fluid]))


def displaced(d: DisplacementMap, grid: WorldGrid, grid_x: np.ndarray, grid_z: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fine-grid sampling coordinates after displacement, and the fluid mask, for beam samples.

    The map is smooth, so it is read at every other sample and line and resized up."""
    cx, cz = grid_x[::2, ::2] * np.float32(1.0 / COARSE), grid_z[::2, ::2] * np.float32(1.0 / COARSE)
    coarse = cv2.remap(d.channels, cx, cz, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    size = (grid_x.shape[1], grid_x.shape[0])
    sx, sz, fluid = (cv2.resize(c, size, interpolation=cv2.INTER_LINEAR) for c in cv2.split(coarse))
    return sx, sz, fluid > 0.5
