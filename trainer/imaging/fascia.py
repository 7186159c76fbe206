"""Fascial planes: the thin collagen sheets between soft-tissue layers, drawn into the echo map.

Wherever two different soft-tissue structures meet (skin/fat, fat/muscle, muscle/muscle) a sheet
about half a millimetre thick lies between them. It is bright (dense collagen, fibres along the
sheet) and never ruler-straight: it undulates by a fraction of a millimetre over centimetres.
The labels keep their exact boundary (the needle and assessment use it); only the echo follows the
wavy sheet.
"""

from __future__ import annotations

import cv2
import numpy as np

from trainer.imaging.textures import streaks

THICKNESS_MM = 0.45  # sheet thickness (sigma of its profile is a third of this) [E]
WAVE_MM = 0.35  # how far the sheet strays from the label boundary (sigma) [E]
WAVE_LENGTH_MM = 7.0  # along-sheet correlation length of the undulation [E]
ECHO = 3.2  # the sheet's backscatter relative to unit speckle (fascia/tendon are hyperechoic)


def undulation(shape: tuple[int, int], px_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Float32 (H, W): how far (pixels, down) the sheet strays from the label boundary."""
    return streaks(shape, 0.0, WAVE_LENGTH_MM, 2.0, px_mm, rng) * np.float32(WAVE_MM / px_mm)


def fibrils(shape: tuple[int, int], px_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Float32 (H, W): the sheets' echo with its fibrillar grain along them."""
    return np.float32(ECHO) * (0.75 + 0.25 * np.tanh(streaks(shape, 0.0, 2.5, 0.1, px_mm, rng)))


def sheet_weight(labels: np.ndarray, soft: np.ndarray, px_mm: float, wave: np.ndarray) -> np.ndarray:
    """Float32 (H, W) in [0, 1]: how much of each pixel is fascial sheet, its boundary displaced by
    the world-anchored `wave` (from `undulation`)."""
    is_soft = cv2.LUT(labels, soft.astype(np.uint8).reshape(1, -1)).astype(bool)
    edge = np.zeros(labels.shape, dtype=np.float32)
    edge[1:] = (labels[1:] != labels[:-1]) & is_soft[1:] & is_soft[:-1]
    h, w = labels.shape
    cols, rows = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    wavy = cv2.remap(edge, cols, rows + wave, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    sigma = THICKNESS_MM / 3.0 / px_mm
    band = cv2.GaussianBlur(wavy, (1, 0), sigmaX=0.1, sigmaY=sigma)
    peak = 1.0 / (np.sqrt(2.0 * np.pi) * sigma)
    return np.clip(band / np.float32(peak), 0.0, 1.0)


def add_sheets(echo: np.ndarray, weight: np.ndarray, sheet: np.ndarray) -> None:
    """Blend the sheets (echo from `fibrils`) into the echo map in place."""
    echo *= 1.0 - weight
    echo += weight * sheet
