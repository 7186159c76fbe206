"""Tissue textures as multiplicative backscatter maps, anchored to the world (sonoanatomy section 3).

Each function returns a float32 factor map of the requested shape (grid pixels of `px_mm`) with
mean near 1: the renderer multiplies the tissue's backscatter by it before speckle is added.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from trainer.tissue import TissueKind

COARSE_SIGMA_PX = 4.0  # a blur wider than this many pixels is made on a grid coarsened to match


def streaks(
    shape: tuple[int, int],
    angle_deg: float,
    length_mm: float,
    width_mm: float,
    px_mm: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Zero-mean, unit-variance noise stretched into streaks along `angle_deg` (from +x, down)."""
    h, w = shape
    a = np.radians(angle_deg)
    src_w = int(np.ceil(w * abs(np.cos(a)) + h * abs(np.sin(a)))) + 8  # the rotated box, no more
    src_h = int(np.ceil(w * abs(np.sin(a)) + h * abs(np.cos(a)))) + 8
    sx, sy = max(length_mm / px_mm, 0.5), max(width_mm / px_mm, 0.5)
    fx, fy = max(1, int(sx // COARSE_SIGMA_PX)), max(1, int(sy // COARSE_SIGMA_PX))
    noise = rng.standard_normal((-(-src_h // fy), -(-src_w // fx)), dtype=np.float32)
    blurred = cv2.GaussianBlur(noise, (0, 0), sigmaX=sx / fx, sigmaY=sy / fy, borderType=cv2.BORDER_REFLECT)
    if fx > 1 or fy > 1:  # a long blur is smooth: made on a coarse grid and interpolated up
        blurred = cv2.resize(blurred, (src_w, src_h), interpolation=cv2.INTER_LINEAR)
    turn = cv2.getRotationMatrix2D((src_w / 2.0, src_h / 2.0), -angle_deg, 1.0)
    turn[:, 2] += np.array([(w - src_w) / 2.0, (h - src_h) / 2.0])
    out = cv2.warpAffine(blurred, turn, (w, h), flags=cv2.INTER_LINEAR)
    return (out - out.mean()) / max(float(out.std()), 1e-6)


def _bright_lines(s: np.ndarray, threshold: float, base: float, gain: float) -> np.ndarray:
    """Base level plus bright lines where the streak field exceeds `threshold` sigmas."""
    return (base + gain * np.clip(s - threshold, 0.0, None)).astype(np.float32)


PERIMYSIUM_SPACING_MM = 0.9  # fascicle bundles: bright perimysial septa about a millimetre apart [E]
PERIMYSIUM_LENGTH_MM = 9.0  # how far one septum runs along the fibres before fading [E]


def muscle(
    shape: tuple[int, int], px_mm: float, rng: np.random.Generator, fibre_deg: float, out_of_plane_deg: float
) -> np.ndarray:
    """Hypoechoic fascicles between bright perimysial septa running along the fibres: long lines
    (pennate) when the fibres lie in the image, short dots (starry sky) as they leave it."""
    along = abs(math.cos(math.radians(out_of_plane_deg)))
    length = max(PERIMYSIUM_LENGTH_MM * along, 0.15)
    septa = streaks(shape, fibre_deg, length, 0.06, px_mm, rng)
    bundles = streaks(shape, fibre_deg, 2.0 * length, PERIMYSIUM_SPACING_MM, px_mm, rng)
    lines = _bright_lines(septa, 1.0, 0.0, 2.6) * (0.6 + 0.4 * np.tanh(1.5 + bundles))
    return (0.42 + lines).astype(np.float32)


def fat(shape: tuple[int, int], px_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Dark fat lobules between thin bright septa that lie nearly parallel to the skin."""
    septa = streaks(shape, float(rng.uniform(-5.0, 5.0)), 7.0, 0.06, px_mm, rng)
    lobules = streaks(shape, 0.0, 1.6, 0.9, px_mm, rng)
    dark = (0.45 + 0.15 * np.tanh(lobules)).astype(np.float32)
    return dark + _bright_lines(septa, 1.3, 0.0, 3.4)


def texture(
    kind: TissueKind,
    shape: tuple[int, int],
    px_mm: float,
    rng: np.random.Generator,
    fibre_deg: float | None = None,
    out_of_plane_deg: float = 0.0,
) -> np.ndarray | None:
    """The texture factor map for a tissue kind, or None for plain speckle. `fibre_deg` is the fibres'
    angle in the image (from +x, turning down); `out_of_plane_deg` how far they leave the image."""
    angle = 0.0 if fibre_deg is None else fibre_deg
    if kind == TissueKind.MUSCLE:
        return muscle(shape, px_mm, rng, angle, out_of_plane_deg)
    if kind == TissueKind.FAT:
        return fat(shape, px_mm, rng)
    if kind in (TissueKind.LIGAMENT, TissueKind.FASCIA):
        fibrils = streaks(shape, angle, 3.0, 0.08, px_mm, rng)
        return _bright_lines(fibrils, 0.3, 0.6, 0.6)
    if kind == TissueKind.SKIN:
        return _bright_lines(streaks(shape, 0.0, 1.0, 0.15, px_mm, rng), -0.5, 0.7, 0.4)
    if kind == TissueKind.NERVE:
        fascicles = streaks(shape, 0.0, 0.25, 0.25, px_mm, rng)
        return (1.0 - 0.6 * (fascicles > 0.7)).astype(np.float32)
    return None
