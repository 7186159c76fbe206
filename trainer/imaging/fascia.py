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


def sheet_weight(labels: np.ndarray, soft: np.ndarray, px_mm: float, rng: np.random.Generator) -> np.ndarray:
    """Float32 (H, W) in [0, 1]: how much of each pixel is fascial sheet."""
    is_soft = cv2.LUT(labels, soft.astype(np.uint8).reshape(1, -1)).astype(bool)
    edge = np.zeros(labels.shape, dtype=np.float32)
    edge[1:] = (labels[1:] != labels[:-1]) & is_soft[1:] & is_soft[:-1]
    wave = streaks(labels.shape, 0.0, WAVE_LENGTH_MM, 2.0, px_mm, rng) * np.float32(WAVE_MM / px_mm)
    h, w = labels.shape
    cols, rows = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    source_rows = (rows + wave).astype(np.float32)
    wavy = cv2.remap(edge, cols, source_rows, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    sigma = THICKNESS_MM / 3.0 / px_mm
    band = cv2.GaussianBlur(wavy, (1, 0), sigmaX=0.1, sigmaY=sigma)
    peak = 1.0 / (np.sqrt(2.0 * np.pi) * sigma)
    return np.clip(band / np.float32(peak), 0.0, 1.0)


def add_sheets(echo: np.ndarray, weight: np.ndarray, rng: np.random.Generator, px_mm: float) -> None:
    """Blend the sheets into the echo map in place, with a fibrillar grain along them."""
    fibrils = streaks(echo.shape, 0.0, 2.5, 0.1, px_mm, rng)
    sheet = np.float32(ECHO) * (0.75 + 0.25 * np.tanh(fibrils))
    echo *= 1.0 - weight
    echo += weight * sheet
