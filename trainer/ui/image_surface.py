"""Turn the renderer's uint8 frames into pygame surfaces (an 8-bit grey palette blits fastest)."""

from __future__ import annotations

import numpy as np
import pygame

GREY_PALETTE = [(i, i, i) for i in range(256)]


def grey_surface(frame: np.ndarray) -> pygame.Surface:
    """An 8-bit palette surface showing a (H, W) uint8 frame."""
    h, w = frame.shape
    surface = pygame.image.frombuffer(np.ascontiguousarray(frame).tobytes(), (w, h), "P")
    surface.set_palette(GREY_PALETTE)
    return surface
