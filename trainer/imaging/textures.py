"""Tissue textures as multiplicative backscatter maps, anchored to the world (sonoanatomy section 3).

Each function returns a float32 factor map of the requested shape (grid pixels of `px_mm`) with
mean near 1: the renderer multiplies the tissue's backscatter by it before speckle is added.
"""

from __future__ import annotations

import cv2
import numpy as np

from trainer.tissue import TissueKind


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
    noise = rng.standard_normal((src_h, src_w), dtype=np.float32)
    sx, sy = max(length_mm / px_mm, 0.5), max(width_mm / px_mm, 0.5)
    blurred = cv2.GaussianBlur(noise, (0, 0), sigmaX=sx, sigmaY=sy, borderType=cv2.BORDER_REFLECT)
    turn = cv2.getRotationMatrix2D((src_w / 2.0, src_h / 2.0), -angle_deg, 1.0)
    turn[:, 2] += np.array([(w - src_w) / 2.0, (h - src_h) / 2.0])
    out = cv2.warpAffine(blurred, turn, (w, h), flags=cv2.INTER_LINEAR)
    return (out - out.mean()) / max(float(out.std()), 1e-6)


def _bright_lines(s: np.ndarray, threshold: float, base: float, gain: float) -> np.ndarray:
    """Base level plus bright lines where the streak field exceeds `threshold` sigmas."""
    return (base + gain * np.clip(s - threshold, 0.0, None)).astype(np.float32)


def texture(
    kind: TissueKind,
    shape: tuple[int, int],
    px_mm: float,
    rng: np.random.Generator,
    fibre_deg: float | None = None,
) -> np.ndarray | None:
    """The texture factor map for a tissue kind, or None for plain speckle."""
    if kind == TissueKind.MUSCLE:
        angle = 0.0 if fibre_deg is None else fibre_deg
        fibres = streaks(shape, angle, 6.0, 0.08, px_mm, rng)
        return _bright_lines(fibres, 0.9, 0.6, 2.6)
    if kind == TissueKind.FAT:
        septa = streaks(shape, float(rng.uniform(-6.0, 6.0)), 6.0, 0.1, px_mm, rng)
        lobules = streaks(shape, 0.0, 1.2, 0.8, px_mm, rng)
        return _bright_lines(septa, 1.4, 0.7, 2.5) * (1.0 + 0.25 * np.tanh(lobules)).astype(np.float32)
    if kind in (TissueKind.LIGAMENT, TissueKind.FASCIA):
        fibrils = streaks(shape, 0.0 if fibre_deg is None else fibre_deg, 3.0, 0.08, px_mm, rng)
        return _bright_lines(fibrils, 0.3, 0.6, 0.6)
    if kind == TissueKind.SKIN:
        return _bright_lines(streaks(shape, 0.0, 1.0, 0.15, px_mm, rng), -0.5, 0.7, 0.4)
    if kind == TissueKind.NERVE:
        fascicles = streaks(shape, 0.0, 0.25, 0.25, px_mm, rng)
        return (1.0 - 0.6 * (fascicles > 0.7)).astype(np.float32)
    return None
