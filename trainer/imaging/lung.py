"""Pleura and lung, redrawn every frame: the pleural line at its current depth, sliding texture along
it, A-lines at whole multiples of the face-to-pleura range, a grey lung field and comet tails.

The tissue pass drew the pleura at its deepest excursion, so everything above the current line is
real tissue; below it the beam meets air and only artifacts remain (sonoanatomy section 3):
- the pleural line: soft tissue to air reflects 99.9 %;
- A-lines: the echo bounces between the pleura and the probe face, so copies appear at k times the
  range along each scan line (arcs on a curvilinear probe), each weaker than the one above;
- the lung field: reverberation noise in the air-filled lung reads as grey texture that slides with
  the visceral pleura, strongest just under the line and fading with depth;
- comet tails: ring-down at small fluid-air foci in the visceral pleura, narrow vertical streaks
  moving with the lung; a few of them reach the bottom of the image (B-lines).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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
LUNG_FIELD = 0.05  # the sliding grey lung texture just below the line, relative to the line [E]
LUNG_FIELD_DEPTH_MM = 20.0  # and how quickly it fades with depth (beyond what the TGC gives back)
COMET_SPACING_MM = 14.0  # comet tails along the visceral pleura (a few per intercostal space) [E]
COMET_LEVEL = 0.35  # a comet tail's brightness at its start, relative to the pleural line
COMET_LENGTH_MM = (3.0, 12.0)  # most fade within millimetres; ...
B_LINE_SHARE = 0.15  # ... some run to the bottom of the image (B-lines)
COMET_WIDTH_MM = 0.35
COMET_SEED = 1 << 16  # comet positions belong to the lung (the same in every scene), not to a seed


@dataclass(frozen=True)
class Pleura:
    """Where each line meets the pleura at its deepest (n_samples where it never does), and the
    scatterer texture from the highest the pleura reaches down (the lung field slides it)."""

    deep_rows: np.ndarray
    texture_top: int
    texture: np.ndarray


def pleura_rows(tissue: TissueFrame, maps: PlaneMaps, geo: ImageGeometry) -> Pleura:
    """Found once per tissue pass; the frame loop only slices it."""
    hit = cv2.LUT(tissue.labels, maps.breathing.astype(np.uint8).reshape(1, -1)).astype(bool)
    first = np.argmax(hit, axis=0)
    deep = np.where(hit.any(axis=0), first, tissue.labels.shape[0])
    cos_edge = math.cos(geo.half_angle_rad)
    top = max(0, int(deep.min() - 2.0 * maps.excursion_mm / cos_edge / geo.sample_mm) - 2)
    top = min(top, geo.n_samples)
    return Pleura(deep, top, tissue.speckle(slice(top, geo.n_samples), slice(0, geo.n_lines)))


def draw(
    envelope: np.ndarray,
    tissue: TissueFrame,
    pleura: Pleura,
    maps: PlaneMaps,
    geo: ImageGeometry,
    physiology: Physiology,
    time_s: float,
    frequency_mhz: float,
    air: Callable[[np.ndarray], np.ndarray] | None = None,
) -> list[tuple[slice, slice]]:
    """Cut the envelope at the pleura's current depth and draw the air artifacts below it. `air`
    tells which image x (at the pleura) have a pneumothorax under them: there nothing slides and
    no comet tails form, the pleural line and its A-lines stay."""
    deep_rows = pleura.deep_rows
    lines = np.nonzero(deep_rows < geo.n_samples)[0]
    if lines.size == 0:
        return []
    x_line = geo.beam_world_mm[0][np.minimum(deep_rows[lines], geo.n_samples - 1), lines]
    cols = slice(int(lines[0]), int(lines[-1]) + 1)
    keep = lines - cols.start
    stopped = np.zeros(cols.stop - cols.start, dtype=bool)
    if air is not None:
        stopped[keep] = air(x_line)
    rise_mm = maps.excursion_mm - np.where(stopped[keep], 0.0, pleura_shift_mm(physiology, time_s))
    cos_phi = np.cos(geo.line_angles_rad[lines])
    surface = deep_rows[lines] - rise_mm / cos_phi / geo.sample_mm  # fractional sample of the line
    rows = slice(max(0, math.floor(surface.min()) - 1), geo.n_samples)
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
    still = pleura.texture[rows.start - pleura.texture_top :, cols]
    texture = _slid(still, slide / float(geo.line_spacing_mm(r_mid)))
    if stopped.any():
        texture[:, stopped] = cv2.GaussianBlur(still, (0, 0), 0.8)[:, stopped]
    under = np.maximum(below, 0.0)
    field = LUNG_FIELD * texture * np.exp(-under / LUNG_FIELD_DEPTH_MM)
    art = level * depth_loss * (_reverberations(r, top, below, geo.sample_mm) + field)
    touched, tails = comet_tails(x_line - slide, under[:, keep])
    sliding = ~stopped[keep[touched]]
    on, tails = keep[touched][sliding], tails[:, sliding]
    art[:, on] += level[on] * depth_loss[:, on] * tails
    art = cv2.magnitude(art.astype(np.float32), receiver_noise(geo.n_samples, geo.n_lines)[rows, cols])
    region = envelope[rows, cols]
    envelope[rows, cols] = np.where(below >= 0.0, art, region)
    return [(rows, cols)]


@lru_cache(maxsize=256)
def _comet(cell: int) -> tuple[float, float]:
    """Where in its lattice cell the comet tail sits (mm) and how far it reaches (mm)."""
    rng = np.random.default_rng(cell + COMET_SEED)
    x_c = (cell + rng.uniform(0.2, 0.8)) * COMET_SPACING_MM
    return float(x_c), float(np.inf if rng.uniform() < B_LINE_SHARE else rng.uniform(*COMET_LENGTH_MM))


def comet_tails(x_mm: np.ndarray, under_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertical ring-down streaks under fixed points of the visceral pleura (lung-frame x): the
    indices of the lines they touch and their echo there (samples below the line x those lines).
    Each line takes the nearest comet; positions and lengths are drawn once per lattice cell."""
    first = math.floor(float(x_mm.min()) / COMET_SPACING_MM) - 1
    last = math.ceil(float(x_mm.max()) / COMET_SPACING_MM) + 1
    centres, lengths = (np.array(v) for v in zip(*(_comet(c) for c in range(first, last + 1)), strict=True))
    nearest = np.argmin(np.abs(x_mm[:, None] - centres[None, :]), axis=1)
    offset = (x_mm - centres[nearest]) / COMET_WIDTH_MM
    lines = np.nonzero(np.abs(offset) < 3.0)[0]
    across = COMET_LEVEL * np.exp(-0.5 * offset[lines] ** 2)
    tails = across * np.exp(-under_mm[:, lines] / lengths[nearest[lines]])
    return lines, tails.astype(np.float32)


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
