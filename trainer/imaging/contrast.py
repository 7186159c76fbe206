"""Measured tissue contrast in a displayed frame: the numbers docs/imaging.md reports per scenario.

Regions come from the anatomy, not from the image: a layer's body is its pixels at least
INSET_MM from any other structure; a fascial plane is the band within SHEET_MM of a boundary
between two soft-tissue layers, and its level is the brightest pixel of each column of that band
(the sheet undulates by a fraction of a millimetre), averaged along the plane.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.scenario.model import Plane
from trainer.tissue import TissueKind

INSET_MM = 1.0
SHEET_MM = 0.9
SOFT_LAYERS = (TissueKind.FAT, TissueKind.MUSCLE)


@dataclass(frozen=True, slots=True)
class LayerContrast:
    """Mean displayed grey of fat bodies, muscle bodies and the fascial planes between muscles."""

    fat: float
    muscle: float
    fascia: float


def label_image(plane: Plane, geo: ImageGeometry, in_view: np.ndarray) -> np.ndarray:
    """Index of the structure at each displayed pixel (-1 outside the field of view)."""
    rows, cols = np.indices((geo.height_px, geo.width_px))
    x, z = geo.pixel_to_world(rows, cols)
    found = plane.index_at(x.ravel(), z.ravel()).reshape(rows.shape)
    return np.where(in_view, found, -1)


def _bodies(labels: np.ndarray, indices: list[int], inset_px: int) -> np.ndarray:
    mask = np.isin(labels, indices).astype(np.uint8)
    kernel = np.ones((2 * inset_px + 1, 2 * inset_px + 1), dtype=np.uint8)
    return cv2.erode(mask, kernel).astype(bool) if indices else np.zeros(labels.shape, dtype=bool)


def layer_contrast(grey: np.ndarray, plane: Plane, geo: ImageGeometry, in_view: np.ndarray) -> LayerContrast:
    """Contrast of one frame; NaN for a region the view does not contain."""
    labels = label_image(plane, geo, in_view)
    kinds = {i: s.kind for i, s in enumerate(plane.structures)}
    inset = max(1, round(INSET_MM / geo.mm_per_px))
    fat = _bodies(labels, [i for i, k in kinds.items() if k == TissueKind.FAT], inset)
    muscle_ids = [i for i, k in kinds.items() if k == TissueKind.MUSCLE]
    muscle = _bodies(labels, muscle_ids, inset)
    return LayerContrast(_mean(grey, fat), _mean(grey, muscle), _sheet_level(grey, labels, muscle_ids, geo))


def _mean(grey: np.ndarray, mask: np.ndarray) -> float:
    return float(grey[mask].mean()) if mask.any() else float("nan")


def _sheet_level(grey: np.ndarray, labels: np.ndarray, muscles: list[int], geo: ImageGeometry) -> float:
    """Mean over columns of the brightest pixel near a muscle-muscle boundary."""
    is_muscle = np.isin(labels, muscles)
    boundary = np.zeros(labels.shape, dtype=bool)
    boundary[1:] = is_muscle[1:] & is_muscle[:-1] & (labels[1:] != labels[:-1])
    half = max(1, round(SHEET_MM / geo.mm_per_px))
    levels = []
    for r, c in zip(*np.nonzero(boundary), strict=True):
        levels.append(grey[max(0, r - half) : r + half + 1, c].max())
    return float(np.mean(levels)) if levels else float("nan")
