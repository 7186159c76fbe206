"""World-anchored complex scatterers: speckle belongs to the tissue, not to the screen.

The noise is a stack of complex Gaussian slabs at out-of-plane offsets SLAB_MM apart, each a
different shift of one periodic field (cheap to make, and as good as independent).
Between two slabs the field is cos/sin-weighted, which keeps its power constant while the correlation
with the previous view falls off gradually as the probe moves out of plane. Each plane's scatterer
field is that noise times the plane's textured backscatter map, so one remap samples both.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import cv2
import numpy as np

from trainer.imaging.scene import GRID_MM, WorldGrid, periodic_columns

SLAB_MM = 1.0  # out-of-plane distance over which speckle fully decorrelates (about a slice width)
SMOOTH_PX = 1.0  # slight smoothing so linear interpolation keeps the noise power when sliding
SCATTERER_GRAIN_MM = 1.15 * SMOOTH_PX * GRID_MM  # the field's own correlation (sigma) as sampled:
# the smoothing plus about 15 % from bilinear sampling (measured on the beam-space field)
CACHED_SLABS = 3
STORE_SCALE = 1000.0  # slabs are kept as int16 in units of 1/STORE_SCALE: half the memory and bandwidth
UNIT = 1.0 / STORE_SCALE
_SLAB_SEED_OFFSET = 1 << 20


Complex = tuple[np.ndarray, np.ndarray]  # real and imaginary parts, float32


def periodic_noise(shape: tuple[int, int], seed: int) -> Complex:
    """Complex unit-power noise that wraps around seamlessly at its edges."""
    rng = np.random.default_rng([seed, _SLAB_SEED_OFFSET])
    pad = int(4 * SMOOTH_PX) + 1
    scale = np.float32(math.sqrt(2.0 * math.pi) * SMOOTH_PX)  # undo the power lost to the smoothing
    parts = []
    for _ in range(2):
        white = np.pad(rng.standard_normal(shape, dtype=np.float32), pad, "wrap")
        parts.append(cv2.GaussianBlur(white, (0, 0), SMOOTH_PX)[pad:-pad, pad:-pad] * scale)
    return parts[0], parts[1]


def slab_offset(shape: tuple[int, int], seed: int, k: int) -> tuple[int, int]:
    """Where slab k starts in the periodic noise: a fresh, independent-looking realisation per slab."""
    rng = np.random.default_rng([seed, k + _SLAB_SEED_OFFSET])
    return int(rng.integers(shape[0])), int(rng.integers(shape[1]))


class ScattererField:
    """Noise times backscatter for every plane of a scene, built lazily per (plane, slab). The noise
    is one periodic world field (`shape`: depth rows by the scene's period), so every plane window
    shows the speckle of the tissue it covers."""

    def __init__(self, shape: tuple[int, int], seed: int) -> None:
        self.shape = shape
        self.seed = seed
        self._slabs: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
        self._noise: Complex | None = None

    def slab(self, plane: str, echo: np.ndarray, grid: WorldGrid, k: int) -> np.ndarray:
        """int16 (H, W, 2): real and imaginary parts side by side, so one remap samples both."""
        key = (plane, k)
        if key not in self._slabs:
            if self._noise is None:
                self._noise = periodic_noise(self.shape, self.seed)
            shift = slab_offset(self.shape, self.seed, k)
            re, im = (_stored(periodic_columns(part, grid, shift), echo) for part in self._noise)
            self._slabs[key] = np.dstack([re, im])
            while len(self._slabs) > CACHED_SLABS:
                self._slabs.popitem(last=False)
        self._slabs.move_to_end(key)
        return self._slabs[key]

    def sample(
        self,
        plane: str,
        echo: np.ndarray,
        grid: WorldGrid,
        y_mm: float,
        grid_x: np.ndarray,
        grid_z: np.ndarray,
    ) -> np.ndarray:
        """The field at out-of-plane offset `y_mm` at grid coordinates (linear interpolation), two
        channels (real, imaginary) in stored units (times UNIT): int16 on a slab, float32 between."""
        k = math.floor(y_mm / SLAB_MM)
        t = y_mm / SLAB_MM - k
        near = _remap(self.slab(plane, echo, grid, k), grid_x, grid_z)
        if t < 1e-6:
            return near
        far = _remap(self.slab(plane, echo, grid, k + 1), grid_x, grid_z)
        w0, w1 = math.cos(math.pi / 2 * t), math.sin(math.pi / 2 * t)
        return cv2.addWeighted(near, w0, far, w1, 0.0, dtype=cv2.CV_32F)


def _stored(noise: np.ndarray, echo: np.ndarray) -> np.ndarray:
    """noise * echo as int16 in units of 1/STORE_SCALE (computed in place on `noise`)."""
    noise *= echo
    noise *= np.float32(STORE_SCALE)
    np.clip(noise, -32767, 32767, out=noise)
    return noise.astype(np.int16)


def _remap(field: np.ndarray, map_x: np.ndarray, map_z: np.ndarray) -> np.ndarray:
    return cv2.remap(field, map_x, map_z, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
