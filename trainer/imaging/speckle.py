"""World-anchored complex scatterer noise: speckle belongs to the tissue, not to the screen.

The noise is a stack of independent complex Gaussian slabs at out-of-plane offsets SLAB_MM apart.
Between two slabs the field is cos/sin-weighted, which keeps its power constant while the correlation
with the previous view falls off gradually as the probe moves out of plane.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import cv2
import numpy as np

from trainer.imaging.scene import WorldGrid

SLAB_MM = 1.0  # out-of-plane distance over which speckle fully decorrelates (about a slice width)
SMOOTH_PX = 1.0  # slight smoothing so linear interpolation keeps the noise power when sliding
CACHED_SLABS = 3
_SLAB_SEED_OFFSET = 1 << 20


class NoiseField:
    """Complex scatterer field over a world grid, generated lazily per slab from one seed."""

    def __init__(self, grid: WorldGrid, seed: int) -> None:
        self.grid = grid
        self.seed = seed
        self._slabs: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def slab(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Real and imaginary parts of slab k, each float32 with variance 1/2 (unit power)."""
        if k in self._slabs:
            self._slabs.move_to_end(k)
            return self._slabs[k]
        rng = np.random.default_rng([self.seed, k + _SLAB_SEED_OFFSET])
        shape = (self.grid.height_px, self.grid.width_px)
        scale = math.sqrt(0.5 * 4.0 * math.pi) * SMOOTH_PX  # undo the power lost to the smoothing
        parts = tuple(cv2.GaussianBlur(rng.standard_normal(shape, dtype=np.float32), (0, 0), SMOOTH_PX,
                                       borderType=cv2.BORDER_REFLECT) * np.float32(scale)
                      for _ in range(2))
        self._slabs[k] = (parts[0], parts[1])
        while len(self._slabs) > CACHED_SLABS:
            self._slabs.popitem(last=False)
        return self._slabs[k]

    def sample(self, y_mm: float, map_x: np.ndarray, map_z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The field at out-of-plane offset `y_mm`, sampled at grid coordinates (linear)."""
        k = math.floor(y_mm / SLAB_MM)
        t = y_mm / SLAB_MM - k
        near = [_remap(p, map_x, map_z) for p in self.slab(k)]
        if t < 1e-6:
            return near[0], near[1]
        far = [_remap(p, map_x, map_z) for p in self.slab(k + 1)]
        w0, w1 = np.float32(math.cos(math.pi / 2 * t)), np.float32(math.sin(math.pi / 2 * t))
        return near[0] * w0 + far[0] * w1, near[1] * w0 + far[1] * w1


def _remap(field: np.ndarray, map_x: np.ndarray, map_z: np.ndarray) -> np.ndarray:
    return cv2.remap(field, map_x, map_z, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
