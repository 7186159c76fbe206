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
from functools import lru_cache

import cv2
import numpy as np

from trainer.imaging.displacement import DisplacementMap, displaced
from trainer.imaging.geometry import ImageGeometry
from trainer.imaging.psf import apply_psf, beam_for, beam_transmission
from trainer.imaging.scene import COUPLING, GRID_MM, INJECTATE, PlaneMaps, WorldGrid
from trainer.imaging.speckle import UNIT, ScattererField
from trainer.imaging.tenting import Tent, tented_grid

FASCIA_R = 0.08  # fascia: a reflection wherever the beam crosses from one structure into another
INCIDENCE_POWER = 2.0  # how quickly a specular echo fades as the surface tilts away from the beam
DIFFUSE_SHARE = 0.4  # echo of a boundary seen edge-on, relative to square-on, for non-specular kinds
INTERFACE_GAIN = 90.0  # a flat boundary's echo per unit reflection coefficient, re unit speckle
ABERRATION_PER_FAT = 0.02  # lateral blur (mm sigma) per mm of fat crossed: phase aberration [E]
CLUTTER_PER_FAT_MM = 0.03  # reverberation haze per mm of fat beyond a lean layer, re unit speckle
LEAN_FAT_MM = 5.0  # at that depth [E]
CLUTTER_STEP_MM = 0.5  # fat thickness is rounded to this, so a sliding probe reuses the haze
DB_TO_NEPER = math.log(10.0) / 20.0
FLUID_ECHO = 0.06  # injectate is near-anechoic: a little debris and microbubble scatter [E]
NOISE_FLOOR_DB = -125.0  # receiver noise re unit speckle: TGC lifts it into view deep at high frequency


@dataclass(frozen=True)
class BeamSampling:
    """Where each beam sample reads the world maps (after injectate displacement)."""

    grid_x: np.ndarray  # float32 (n_samples, n_lines)
    grid_z: np.ndarray
    fluid: np.ndarray | None  # bool: injectate (its share of the sample above a half)
    outside: np.ndarray | None  # bool: above the skin (curvilinear corners)
    tissue: np.ndarray | None  # float32: scatterer share, 1 in tissue, near 0 in fluid and outside


@dataclass(frozen=True)
class TissueFrame:
    """Beam-space results of the tissue pass, kept for the layers drawn on top."""

    envelope: np.ndarray  # float32 linear echo amplitude
    transmission: np.ndarray  # float32 two-way amplitude transmission reaching each sample
    labels: np.ndarray  # uint8
    incidence: np.ndarray  # float32 |cos| between beam and boundary normal (0 off boundaries)
    scatterers: np.ndarray  # (n, m, 2) real and imaginary field before attenuation, stored units

    def speckle(self, rows: slice, cols: slice) -> np.ndarray:
        """|scatterers| in a rectangle, float32 (texture for the lung field)."""
        re, im = (
            cv2.multiply(part, UNIT, dtype=cv2.CV_32F) for part in cv2.split(self.scatterers[rows, cols])
        )
        return cv2.magnitude(re, im)


@lru_cache(maxsize=4)
def _grid_at_origin(geo: ImageGeometry, grid: WorldGrid) -> tuple[np.ndarray, np.ndarray]:
    return grid.to_grid(*geo.beam_world_mm)


def beam_sampling(
    geo: ImageGeometry, grid: WorldGrid, injectate: DisplacementMap | None, tent: Tent | None = None
) -> BeamSampling:
    gx, gz = _grid_at_origin(geo.at_origin, grid)
    gx = gx + np.float32(geo.probe_x_mm / GRID_MM)
    if tent is not None:
        gx, gz = tented_grid(tent, grid, gx, gz)
    fluid, tissue = None, None
    if injectate is not None:
        gx, gz, share = displaced(injectate, grid, gx, gz)
        fluid = share > 0.5
        tissue = (1.0 - (1.0 - FLUID_ECHO) * share).astype(np.float32)
    outside = (geo.beam_world_mm[1] < 0.0) if geo.curvilinear else None
    if outside is not None:
        tissue = (~outside).astype(np.float32) if tissue is None else tissue * ~outside
    return BeamSampling(gx, gz, fluid, outside, tissue)


def sample_labels(maps: PlaneMaps, s: BeamSampling) -> np.ndarray:
    labels = cv2.remap(maps.labels, s.grid_x, s.grid_z, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    if s.fluid is not None:
        labels[s.fluid] = INJECTATE
    if s.outside is not None:
        labels[s.outside] = COUPLING
    return labels


@dataclass(frozen=True)
class Boundaries:
    """Samples where a line enters a new label, with their echo, two-way loss and incidence."""

    rows: np.ndarray
    cols: np.ndarray
    echo: np.ndarray
    loss_db: np.ndarray
    cos_incidence: np.ndarray


def boundaries(labels: np.ndarray, maps: PlaneMaps, s: BeamSampling, geo: ImageGeometry) -> Boundaries:
    """Reflection at each label change, weighted by how squarely the line meets the stored normal."""
    changed = cv2.findNonZero(cv2.compare(labels[1:], labels[:-1], cv2.CMP_NE))
    points = np.zeros((0, 2), dtype=np.int32) if changed is None else changed.reshape(-1, 2)
    j, i = points[:, 0], points[:, 1] + 1
    below, above = labels[i, j], labels[i - 1, j]
    z1, z0 = maps.impedance[below], maps.impedance[above]
    r = np.abs(z1 - z0) / (z1 + z0)
    fascia = np.where((above == INJECTATE) | (above == COUPLING), 0.0, FASCIA_R)  # lifted roof stays
    h, w = maps.labels.shape
    gx = np.clip(np.rint(s.grid_x[i, j]), 0, w - 1).astype(int)
    gz = np.clip(np.rint(s.grid_z[i, j]), 0, h - 1).astype(int)
    normal = (maps.normals[gz, gx].astype(np.float32) - 128.0) / 127.0
    phi = geo.line_angles_rad[j]
    cos_inc = np.abs(normal[:, 0] * np.sin(phi) + normal[:, 1] * np.cos(phi)).astype(np.float32)
    spec = maps.specular[below]
    weight = spec * cos_inc**INCIDENCE_POWER + (1.0 - spec) * DIFFUSE_SHARE
    loss_db = -20.0 * np.log10(np.maximum(1.0 - r * r, 1e-6))
    return Boundaries(i, j, ((r + fascia) * weight).astype(np.float32), loss_db.astype(np.float32), cos_inc)


def transmission(
    labels: np.ndarray, attenuation: np.ndarray, b: Boundaries, geo: ImageGeometry, frequency_mhz: float
) -> np.ndarray:
    """Two-way amplitude transmission down to each sample (exclusive of the sample itself)."""
    per_sample = attenuation * np.float32(2.0 * frequency_mhz * geo.sample_mm / 10.0)
    db = cv2.LUT(labels, per_sample.reshape(1, -1))
    db[b.rows, b.cols] += b.loss_db
    return cv2.exp(exclusive_column_sum(db) * np.float32(-DB_TO_NEPER))


def exclusive_column_sum(values: np.ndarray) -> np.ndarray:
    """Sum down each column of everything above each row (row 0 gets 0), via an integral image:
    column sums are differences of neighbouring integral columns (float64, so nothing cancels)."""
    integral = cv2.integral(values, sdepth=cv2.CV_64F)
    return cv2.subtract(integral[:-1, 1:], integral[:-1, :-1]).astype(np.float32)


@lru_cache(maxsize=4)
def receiver_noise(n_samples: int, n_lines: int) -> np.ndarray:
    """A fixed Rayleigh-like noise pattern at the receiver's floor, added in quadrature to the echo."""
    rng = np.random.default_rng(0)
    noise = cv2.GaussianBlur(np.abs(rng.standard_normal((n_samples, n_lines), dtype=np.float32)), (0, 0), 0.7)
    return noise * np.float32(10.0 ** (NOISE_FLOOR_DB / 20.0) / float(noise.mean()))


@lru_cache(maxsize=4)
def fat_clutter(
    geo: ImageGeometry, soft_attenuation: float, frequency_mhz: float, fat_mm: float
) -> np.ndarray:
    """The receiver's noise plus reverberation clutter from the fat layers: a haze at a fixed share
    of what soft tissue echoes at each depth, growing with the fat crossed (it fills shadows and
    lumens, so a thick fat layer lowers every contrast). Fixed to the probe, like the reverberations
    between the face and the fat's septa it stands for."""
    rng = np.random.default_rng(1)
    white = np.abs(rng.standard_normal((geo.n_samples, geo.n_lines), dtype=np.float32))
    blurred = cv2.GaussianBlur(white, (0, 0), 1.0)
    pattern = blurred / np.float32(blurred.mean())
    loss = np.exp(-2.0 * DB_TO_NEPER * soft_attenuation * frequency_mhz / 10.0 * geo.sample_ranges_mm)
    haze = (CLUTTER_PER_FAT_MM * max(fat_mm - LEAN_FAT_MM, 0.0) * loss).astype(np.float32).reshape(
        -1, 1
    ) * pattern
    return cv2.magnitude(haze, receiver_noise(geo.n_samples, geo.n_lines))


def fat_mm(labels: np.ndarray, maps: PlaneMaps, geo: ImageGeometry) -> float:
    """Mean thickness of fat the lines cross (drives aberration and clutter)."""
    fat = cv2.LUT(labels, maps.fat.astype(np.uint8).reshape(1, -1))
    return float(cv2.countNonZero(fat)) / geo.n_lines * geo.sample_mm


def render_tissue(
    maps: PlaneMaps,
    scatterers: ScattererField,
    plane: str,
    s: BeamSampling,
    geo: ImageGeometry,
    y_mm: float,
    focus_mm: float,
    frequency_mhz: float,
) -> TissueFrame:
    labels = sample_labels(maps, s)
    fat = fat_mm(labels, maps, geo)
    beam = beam_for(geo, focus_mm, frequency_mhz, ABERRATION_PER_FAT * fat)
    b = boundaries(labels, maps, s, geo)
    trans = beam_transmission(transmission(labels, maps.attenuation, b, geo, frequency_mhz), beam)
    field = scatterers.sample(plane, maps.echo, maps.grid, y_mm, s.grid_x, s.grid_z)
    amplitude = trans if s.tissue is None else cv2.multiply(trans, s.tissue)
    amplitude = amplitude * np.float32(UNIT)
    re, im = (cv2.multiply(part, amplitude, dtype=cv2.CV_32F) for part in cv2.split(field))
    gain = beam.line_reflector_gain[b.rows] * np.float32(INTERFACE_GAIN)
    re[b.rows, b.cols] += b.echo * trans[b.rows, b.cols] * gain
    envelope = cv2.magnitude(apply_psf(re, beam), apply_psf(im, beam))
    clutter = fat_clutter(
        geo, maps.soft_attenuation, frequency_mhz, round(fat / CLUTTER_STEP_MM) * CLUTTER_STEP_MM
    )
    envelope = cv2.magnitude(envelope, clutter)
    incidence = np.zeros(labels.shape, dtype=np.float32)
    incidence[b.rows, b.cols] = b.cos_incidence
    return TissueFrame(envelope, trans, labels, incidence, field)
