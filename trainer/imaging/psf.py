"""The beam: a separable point spread function built from the array's aperture and the wavelength.

Lateral resolution follows diffraction: a focused aperture's one-way beam is about lambda * F wide
(F = range / aperture), widened by apodisation. Transmit is focused at the user's focus with a fixed
aperture (a Gaussian beam that widens away from its waist); receive is focused dynamically at every
range with a constant F-number until the aperture runs out. The two-way beam is their product, so
the near field stays sharp (receive) and the transmit focus still shows as a narrower waist. Depth
lowers the pulse's centre frequency (attenuation grows with frequency), so speckle coarsens deep.
Axial resolution comes from the pulse length. Filtering runs in beam space: one axial pass, then a
lateral pass per depth band with that band's beam width.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.speckle import SCATTERER_GRAIN_MM

SPEED_MM_US = 1.54
AXIAL_SIGMA_MM_AT_10MHZ = 0.11  # envelope of a two-cycle pulse
APODISATION = 1.4  # mainlobe widening of a tapered (Hann-like) aperture
ONE_WAY_SIGMA_PER_LAMBDA_F = 0.61  # amplitude sigma of a one-way beam: intensity FWHM 1.02 lambda F
RECEIVE_F_NUMBER = 2.0
TRANSMIT_F_NUMBER = 3.0  # the transmit aperture is kept small enough for a usable depth of field
APERTURE_SHARE = 0.55  # largest active aperture as a share of the footprint
DEPTH_OF_FIELD_LAMBDA_F2 = 3.5  # half the -3 dB depth of focus of a focused beam, in lambda * F^2
BANDWIDTH_SHARE = 0.255  # Gaussian spectrum sigma / centre frequency (60 % -6 dB bandwidth)
SOFT_TISSUE_NP_MM_MHZ = 0.7 * math.log(10.0) / 200.0  # 0.7 dB/cm/MHz in nepers per mm per MHz
MAX_DOWNSHIFT = 0.5  # the centre frequency never falls below half the transmitted one
DEPTH_BANDS = 8


def gaussian_kernel(sigma_px: float) -> np.ndarray:
    """Gaussian column kernel with unit energy, so filtered white noise keeps its power."""
    sigma = max(sigma_px, 0.3)
    half = max(1, math.ceil(2.5 * sigma))
    x = np.arange(-half, half + 1, dtype=np.float32)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return (k / np.sqrt(np.sum(k * k))).astype(np.float32).reshape(-1, 1)


def axial_sigma_mm(frequency_mhz: float) -> float:
    """Axial resolution (amplitude sigma of the pulse envelope)."""
    return AXIAL_SIGMA_MM_AT_10MHZ * 10.0 / frequency_mhz


def axial_sigma_px(geo: ImageGeometry, frequency_mhz: float) -> float:
    """The axial kernel: the pulse less the grain the scatterer field already has along a line."""
    kernel_mm = math.sqrt(max(axial_sigma_mm(frequency_mhz) ** 2 - SCATTERER_GRAIN_MM**2, 0.0))
    return kernel_mm / geo.sample_mm


def centre_frequency_mhz(range_mm: np.ndarray | float, frequency_mhz: float) -> np.ndarray:
    """The echo's centre frequency after two-way soft-tissue attenuation of a Gaussian spectrum."""
    r = np.asarray(range_mm, dtype=float)
    shift = 2.0 * SOFT_TISSUE_NP_MM_MHZ * r * (BANDWIDTH_SHARE * frequency_mhz) ** 2
    return np.maximum(frequency_mhz - shift, MAX_DOWNSHIFT * frequency_mhz)


def aperture_mm(footprint_mm: float) -> float:
    return APERTURE_SHARE * footprint_mm


def transmit_sigma_mm(
    range_mm: np.ndarray | float, focus_mm: float, frequency_mhz: float, aperture: float
) -> np.ndarray:
    """One-way amplitude sigma of the transmit beam: a waist at the focus, widening away from it."""
    r = np.asarray(range_mm, dtype=float)
    wavelength = SPEED_MM_US / centre_frequency_mhz(r, frequency_mhz)
    f_number = max(TRANSMIT_F_NUMBER, focus_mm / aperture)
    waist = ONE_WAY_SIGMA_PER_LAMBDA_F * APODISATION * wavelength * f_number
    depth_of_field = DEPTH_OF_FIELD_LAMBDA_F2 * wavelength * f_number**2
    return waist * np.sqrt(1.0 + ((r - focus_mm) / depth_of_field) ** 2)


def receive_sigma_mm(range_mm: np.ndarray | float, frequency_mhz: float, aperture: float) -> np.ndarray:
    """One-way amplitude sigma of the dynamically focused receive beam."""
    r = np.maximum(np.asarray(range_mm, dtype=float), 1e-3)
    wavelength = SPEED_MM_US / centre_frequency_mhz(r, frequency_mhz)
    f_number = np.maximum(RECEIVE_F_NUMBER, r / aperture)
    return ONE_WAY_SIGMA_PER_LAMBDA_F * APODISATION * wavelength * f_number


def lateral_sigma_mm(
    range_mm: np.ndarray | float,
    focus_mm: float,
    frequency_mhz: float,
    aperture: float,
    aberration_mm: float = 0.0,
) -> np.ndarray:
    """Two-way lateral amplitude sigma (transmit times receive), plus blur from fat aberration."""
    tx = transmit_sigma_mm(range_mm, focus_mm, frequency_mhz, aperture)
    rx = receive_sigma_mm(range_mm, frequency_mhz, aperture)
    return np.sqrt(1.0 / (1.0 / tx**2 + 1.0 / rx**2) + aberration_mm**2)


def depth_bands(geo: ImageGeometry) -> list[slice]:
    edges = np.linspace(0, geo.n_samples, DEPTH_BANDS + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


@dataclass(frozen=True)
class Beam:
    """The beam for one geometry and setting: PSF kernels and the beam-width transmission kernels."""

    geo: ImageGeometry
    focus_mm: float
    frequency_mhz: float
    aberration_mm: float = 0.0

    def _band_ranges_mm(self) -> np.ndarray:
        r = self.geo.sample_ranges_mm
        return np.array([r[(b.start + b.stop - 1) // 2] for b in depth_bands(self.geo)])

    def _in_lines(self, sigma_mm: np.ndarray) -> list[float]:
        r = self._band_ranges_mm()
        return [float(s / self.geo.line_spacing_mm(ri)) for s, ri in zip(sigma_mm, r, strict=True)]

    @cached_property
    def axial(self) -> np.ndarray:
        return gaussian_kernel(axial_sigma_px(self.geo, self.frequency_mhz))

    @cached_property
    def lateral(self) -> list[np.ndarray]:
        """One two-way lateral kernel (in lines) per depth band, unit energy."""
        ap = aperture_mm(self.geo.footprint_mm)
        sigma = lateral_sigma_mm(
            self._band_ranges_mm(), self.focus_mm, self.frequency_mhz, ap, self.aberration_mm
        )
        return [gaussian_kernel(s) for s in self._in_lines(sigma)]

    @cached_property
    def transmit_spread(self) -> list[np.ndarray]:
        """Per band, the transmit beam's intensity profile across lines (unit sum) at half the line
        density: the share of the beam each neighbouring ray carries (see `beam_transmission`)."""
        ap = aperture_mm(self.geo.footprint_mm)
        sigma = transmit_sigma_mm(self._band_ranges_mm(), self.focus_mm, self.frequency_mhz, ap)
        lines = self._in_lines(np.hypot(sigma, self.aberration_mm))
        return [_intensity_kernel(s / math.sqrt(2.0) / COARSE) for s in lines]

    @cached_property
    def line_reflector_gain(self) -> np.ndarray:
        """Per sample row, 1 / the peak the PSF gives a laterally extended one-sample reflector: a
        specular surface echoes with its reflection coefficient whatever the beam's size."""
        peak_axial = float(self.axial.max())
        out = np.empty(self.geo.n_samples, dtype=np.float32)
        for band, k in zip(depth_bands(self.geo), self.lateral, strict=True):
            out[band] = 1.0 / (peak_axial * float(k.sum()))
        return out


ABERRATION_STEP_MM = 0.05  # aberration is rounded to this, so a sliding probe reuses the beam


@lru_cache(maxsize=8)
def _beam(geo: ImageGeometry, focus_mm: float, frequency_mhz: float, aberration_mm: float) -> Beam:
    return Beam(geo, focus_mm, frequency_mhz, aberration_mm)


def beam_for(geo: ImageGeometry, focus_mm: float, frequency_mhz: float, aberration_mm: float = 0.0) -> Beam:
    """The (cached) beam; its kernels are built on first use."""
    step = ABERRATION_STEP_MM
    return _beam(geo, focus_mm, frequency_mhz, round(aberration_mm / step) * step)


def _intensity_kernel(sigma: float) -> np.ndarray:
    """A unit-sum Gaussian cut at two sigmas (the share of a beam's energy each ray carries)."""
    sigma = max(sigma, 0.3)
    x = np.arange(-math.ceil(2.0 * sigma), math.ceil(2.0 * sigma) + 1, dtype=np.float32)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return (k / k.sum()).astype(np.float32).reshape(-1, 1)


COARSE = 2  # transmission is smooth across the beam: average it over the beam at half resolution


def beam_transmission(transmission: np.ndarray, beam: Beam) -> np.ndarray:
    """Per-ray two-way transmission averaged over the transmit beam's width at each depth: a gap
    narrower than the beam lets only part of it through. Done on a grid COARSE times coarser
    (area-averaged, so a one-line gap keeps its share) and interpolated back."""
    h, w = transmission.shape
    small = cv2.resize(transmission, (w // COARSE, h // COARSE), interpolation=cv2.INTER_AREA)
    one = np.ones((1, 1), dtype=np.float32)
    edges = [b.start // COARSE for b in depth_bands(beam.geo)] + [small.shape[0]]
    for (a, b), kernel in zip(itertools.pairwise(edges), beam.transmit_spread, strict=True):
        small[a:b] = cv2.sepFilter2D(small[a:b], -1, kernel, one, borderType=cv2.BORDER_REPLICATE)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def apply_psf(field: np.ndarray, beam: Beam) -> np.ndarray:
    """Blur a beam-space field with the axial kernel, then each depth band with its lateral kernel."""
    one = np.ones((1, 1), dtype=np.float32)
    out = cv2.sepFilter2D(field, -1, one, beam.axial, borderType=cv2.BORDER_REPLICATE)
    for band, kernel in zip(depth_bands(beam.geo), beam.lateral, strict=True):
        out[band] = cv2.sepFilter2D(out[band], -1, kernel, one, borderType=cv2.BORDER_REPLICATE)
    return out
