"""Pleura and lung, redrawn every frame: the pleural line at its current depth, sliding texture along
it, A-lines at whole multiples of the skin-pleura distance and a fading shimmer below.

The tissue pass drew the pleura at its deepest excursion, so everything above the current line is
real tissue; below it the beam meets air and only these artifacts remain (sonoanatomy section 3).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.scene import PlaneMaps
from trainer.imaging.tissue_frame import DB_TO_NEPER, TissueFrame, receiver_noise
from trainer.physiology import lung_slide_mm, pleura_shift_mm
from trainer.scenario.model import Physiology

PLEURA_GAIN = 16.0  # the pleural line against unit speckle (soft tissue to air reflects 99.9 %)
PLEURA_LINE_MM = 0.45  # axial half-thickness of the bright line
SPECULAR_POWER = 2.0
A_LINE_DECAY = 0.45  # amplitude ratio between successive reverberations
A_LINES = 5
SHIMMER = 0.06  # the sliding lung texture just below the line, relative to the line
SHIMMER_DEPTH_MM = 4.0


def pleura_rows(tissue: TissueFrame, maps: PlaneMaps) -> np.ndarray:
    """First sample of pleura or lung down each line (n_samples where the line never meets it)."""
    hit = cv2.LUT(tissue.labels, maps.breathing.astype(np.uint8).reshape(1, -1)).astype(bool)
    first = np.argmax(hit, axis=0)
    return np.where(hit.any(axis=0), first, tissue.labels.shape[0])


def draw(
    envelope: np.ndarray,
    tissue: TissueFrame,
    deep_rows: np.ndarray,
    maps: PlaneMaps,
    geo: ImageGeometry,
    physiology: Physiology,
    time_s: float,
    frequency_mhz: float,
) -> list[tuple[slice, slice]]:
    """Cut the envelope at the pleura's current depth and draw the air artifacts below it."""
    lines = np.nonzero(deep_rows < geo.n_samples)[0]
    if lines.size == 0:
        return []
    rise_mm = maps.excursion_mm - pleura_shift_mm(physiology, time_s)
    cos_phi = np.cos(geo.line_angles_rad[lines])
    surface = deep_rows[lines] - rise_mm / cos_phi / geo.sample_mm  # fractional sample of the line
    rows = slice(max(0, math.floor(surface.min()) - 1), geo.n_samples)
    cols = slice(int(lines[0]), int(lines[-1]) + 1)
    keep = lines - cols.start
    deep = deep_rows[lines]
    level = np.zeros(cols.stop - cols.start, dtype=np.float32)
    level[keep] = (
        PLEURA_GAIN * tissue.transmission[deep, lines] * tissue.incidence[deep, lines] ** SPECULAR_POWER
    )
    top = np.full(level.shape, np.inf, dtype=np.float32)
    top[keep] = surface
    r = np.arange(rows.start, rows.stop, dtype=np.float32).reshape(-1, 1)
    below = (r - top) * np.float32(geo.sample_mm)  # mm under the current line
    slide = lung_slide_mm(physiology, time_s)
    depth_loss = np.exp(
        -DB_TO_NEPER * 2.0 * maps.soft_attenuation * frequency_mhz / 10.0 * np.maximum(below, 0.0)
    )  # what the preset TGC will give back
    r_mid = geo.sample_ranges_mm[(rows.start + rows.stop) // 2]
    texture = _slid(tissue.speckle[rows, cols], slide / float(geo.line_spacing_mm(r_mid)))
    shimmer = SHIMMER * texture * np.exp(-np.maximum(below, 0.0) / SHIMMER_DEPTH_MM)
    art = level * depth_loss * (_reverberations(r, top, below, geo.sample_mm) + shimmer)
    art = cv2.magnitude(art.astype(np.float32), receiver_noise(geo.n_samples, geo.n_lines)[rows, cols])
    region = envelope[rows, cols]
    envelope[rows, cols] = np.where(below >= 0.0, art, region)
    return [(rows, cols)]


def _slid(speckle: np.ndarray, lines: float) -> np.ndarray:
    """The speckle texture moved sideways by a fractional number of lines (wrapping at the ends)."""
    whole = math.floor(lines)
    t = np.float32(lines - whole)
    moved = np.roll(speckle, whole, axis=1) * (1 - t) + np.roll(speckle, whole + 1, axis=1) * t
    return cv2.GaussianBlur(moved, (0, 0), 0.8)


def _reverberations(r: np.ndarray, top: np.ndarray, below_mm: np.ndarray, sample_mm: float) -> np.ndarray:
    """The pleural line and its A-line copies at k times its distance from the face."""
    out = np.exp(-0.5 * (np.maximum(below_mm, 0.0) / PLEURA_LINE_MM) ** 2)
    face_to_line = top + 0.5
    for k in range(2, A_LINES + 2):
        offset_mm = (r + 0.5 - k * face_to_line) * sample_mm
        width_mm = PLEURA_LINE_MM * math.sqrt(k)
        out += A_LINE_DECAY ** (k - 1) * np.exp(-0.5 * (offset_mm / width_mm) ** 2)
    return out.astype(np.float32)
