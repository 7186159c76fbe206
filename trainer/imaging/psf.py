"""Separable point spread function: a short axial pulse and a lateral beam narrowest at the focus.

Widths scale with the wavelength (1/frequency). Filtering runs in beam space: one axial pass over
the whole image, then a lateral pass per depth band with that band's beam width.
"""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry

AXIAL_SIGMA_MM_AT_10MHZ = 0.11  # about a two-cycle pulse
LATERAL_SIGMA_MM_AT_10MHZ = 0.33  # beam width at the focus (FWHM about 0.8 mm)
FOCAL_ZONE_MM = 14.0  # distance from the focus at which the beam has widened by sqrt(2)
DEPTH_BANDS = 6


def gaussian_kernel(sigma_px: float) -> np.ndarray:
    """Gaussian column kernel with unit energy, so filtered white noise keeps its power."""
    sigma = max(sigma_px, 0.3)
    half = max(1, math.ceil(2.5 * sigma))
    x = np.arange(-half, half + 1, dtype=np.float32)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return (k / np.sqrt(np.sum(k * k))).astype(np.float32).reshape(-1, 1)


def axial_sigma_px(geo: ImageGeometry, frequency_mhz: float) -> float:
    return AXIAL_SIGMA_MM_AT_10MHZ * 10.0 / frequency_mhz / geo.sample_mm


def lateral_sigma_mm(range_mm: np.ndarray | float, focus_mm: float, frequency_mhz: float) -> np.ndarray:
    """Lateral beam width (sigma) at each range below the face."""
    r = np.asarray(range_mm, dtype=float)
    return (
        LATERAL_SIGMA_MM_AT_10MHZ
        * 10.0
        / frequency_mhz
        * np.sqrt(1.0 + ((r - focus_mm) / FOCAL_ZONE_MM) ** 2)
    )


def depth_bands(geo: ImageGeometry) -> list[slice]:
    edges = np.linspace(0, geo.n_samples, DEPTH_BANDS + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def lateral_kernels(geo: ImageGeometry, focus_mm: float, frequency_mhz: float) -> list[np.ndarray]:
    """One lateral kernel (in lines) per depth band."""
    kernels = []
    for band in depth_bands(geo):
        r = geo.sample_ranges_mm[(band.start + band.stop - 1) // 2]
        sigma_lines = lateral_sigma_mm(r, focus_mm, frequency_mhz) / geo.line_spacing_mm(r)
        kernels.append(gaussian_kernel(float(sigma_lines)))
    return kernels


def apply_psf(
    field: np.ndarray, axial: np.ndarray, lateral: list[np.ndarray], geo: ImageGeometry
) -> np.ndarray:
    """Blur a beam-space field with the axial kernel, then each depth band with its lateral kernel."""
    one = np.ones((1, 1), dtype=np.float32)
    out = cv2.sepFilter2D(field, -1, one, axial, borderType=cv2.BORDER_REPLICATE)
    for band, kernel in zip(depth_bands(geo), lateral, strict=True):
        out[band] = cv2.sepFilter2D(out[band], -1, kernel, one, borderType=cv2.BORDER_REPLICATE)
    return out
