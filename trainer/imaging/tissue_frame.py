"""The tissue pass: the echo of the anatomy at one probe pose, in beam space (redone when it moves).

Per sample: the label and textured backscatter from the world maps, world-anchored speckle, an
interface echo where the beam enters another structure (weighted by how squarely it meets the
boundary), and two-way transmission as an exclusive cumulative sum of attenuation and reflection
losses down each line: bone shadows and posterior enhancement fall out of it. Then the PSF and the
envelope.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.psf import apply_psf, axial_sigma_px, gaussian_kernel, lateral_kernels
from trainer.imaging.scene import COUPLING, INJECTATE, PlaneMaps, WorldGrid
from trainer.imaging.speckle import NoiseField
from trainer.injectate import Injectate
from trainer.tissue import ACOUSTICS, TissueKind

FASCIA_R = 0.05  # a faint reflection wherever the beam crosses from one structure into another
INCIDENCE_POWER = 4.0  # how quickly a specular echo fades as the surface tilts away from the beam
DIFFUSE_SHARE = 0.3  # echo of a boundary seen edge-on, relative to square-on, for non-specular kinds
INTERFACE_GAIN = 14.0  # boundary echo per unit reflection coefficient, relative to unit backscatter
DB_TO_NEPER = math.log(10.0) / 20.0


@dataclass(frozen=True)
class BeamSampling:
    """Where each beam sample reads the world maps (after injectate displacement)."""

    grid_x: np.ndarray  # float32 (n_samples, n_lines)
    grid_z: np.ndarray
    fluid: np.ndarray | None  # bool: injectate
    outside: np.ndarray | None  # bool: above the skin (curvilinear corners)


@dataclass(frozen=True)
class TissueFrame:
    """Beam-space results of the tissue pass, kept for the layers drawn on top."""

    envelope: np.ndarray  # float32 linear echo amplitude
    transmission: np.ndarray  # float32 two-way amplitude transmission reaching each sample
    labels: np.ndarray  # uint8
    incidence: np.ndarray  # float32 |cos| of the angle between beam and boundary normal


def beam_sampling(geo: ImageGeometry, grid: WorldGrid, injectate: Injectate) -> BeamSampling:
    x, z = geo.beam_world_mm
    fluid = None
    if injectate.boluses:
        fluid = injectate.fluid_mask(x, z)
        x, z = injectate.source_points(x, z)
    gx, gz = grid.to_grid(x, z)
    outside = (geo.beam_world_mm[1] < 0.0) if geo.curvilinear else None
    return BeamSampling(gx, gz, fluid, outside)


def sample_labels(maps: PlaneMaps, s: BeamSampling) -> np.ndarray:
    labels = cv2.remap(maps.labels, s.grid_x, s.grid_z, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    if s.fluid is not None:
        labels[s.fluid] = INJECTATE
    if s.outside is not None:
        labels[s.outside] = COUPLING
    return labels


def incidence(maps: PlaneMaps, s: BeamSampling, geo: ImageGeometry) -> np.ndarray:
    """|cos| of the angle between each line and the boundary normal stored near each sample."""
    n = cv2.remap(maps.normals, s.grid_x, s.grid_z, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    nx = (n[..., 0].astype(np.float32) - 128.0) / 127.0
    nz = (n[..., 1].astype(np.float32) - 128.0) / 127.0
    phi = geo.line_angles_rad.astype(np.float32)
    return np.abs(nx * np.sin(phi) + nz * np.cos(phi))


def interfaces(labels: np.ndarray, impedance: np.ndarray, specular: np.ndarray,
               cos_incidence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Boundary echo amplitude where a line enters a new label, and the two-way loss (dB) there."""
    z = cv2.LUT(labels, impedance.reshape(1, -1))
    above = np.vstack([z[:1], z[:-1]])
    r = np.abs(z - above) / (z + above)
    changed = np.vstack([np.zeros_like(labels[:1], dtype=bool), labels[1:] != labels[:-1]])
    loss_db = -20.0 * np.log10(np.maximum(1.0 - r * r, 1e-6))
    spec = cv2.LUT(labels, specular.reshape(1, -1))
    weight = spec * cos_incidence ** INCIDENCE_POWER + (1.0 - spec) * DIFFUSE_SHARE
    echo = (r + FASCIA_R * changed) * weight
    return echo.astype(np.float32), loss_db.astype(np.float32)


def transmission(labels: np.ndarray, attenuation: np.ndarray, loss_db: np.ndarray, geo: ImageGeometry,
                 frequency_mhz: float) -> np.ndarray:
    """Two-way amplitude transmission down to each sample (exclusive of the sample itself)."""
    per_sample = attenuation * np.float32(2.0 * frequency_mhz * geo.sample_mm / 10.0)
    db = cv2.LUT(labels, per_sample.reshape(1, -1)) + loss_db
    total = np.cumsum(db, axis=0, dtype=np.float32)
    total[1:] = total[:-1]
    total[0] = 0.0
    return cv2.exp(total * np.float32(-DB_TO_NEPER))


def render_tissue(maps: PlaneMaps, noise: NoiseField, s: BeamSampling, geo: ImageGeometry, y_mm: float,
                  focus_mm: float, frequency_mhz: float) -> TissueFrame:
    labels = sample_labels(maps, s)
    cos_inc = incidence(maps, s, geo)
    boundary, loss_db = interfaces(labels, maps.impedance, maps.specular, cos_inc)
    trans = transmission(labels, maps.attenuation, loss_db, geo, frequency_mhz)
    echo = cv2.remap(maps.echo, s.grid_x, s.grid_z, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if s.fluid is not None:
        echo[s.fluid] = ACOUSTICS[TissueKind.FLUID].backscatter
    if s.outside is not None:
        echo[s.outside] = 0.0
    re, im = noise.sample(y_mm, s.grid_x, s.grid_z)
    amplitude = echo * trans
    re = re * amplitude + boundary * trans * np.float32(INTERFACE_GAIN)
    im = im * amplitude
    axial = gaussian_kernel(axial_sigma_px(geo, frequency_mhz))
    lateral = lateral_kernels(geo, focus_mm, frequency_mhz)
    envelope = cv2.magnitude(apply_psf(re, axial, lateral, geo), apply_psf(im, axial, lateral, geo))
    return TissueFrame(envelope, trans, labels, cos_inc)
