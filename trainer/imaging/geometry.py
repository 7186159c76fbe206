"""The one transform between the world (x along the plane, z depth, in mm) and the image.

Two grids share it: the displayed image (rows x cols, isotropic pixels, probe face at the top
centre) and beam space (samples along each scan line x scan lines), where the physics is computed.
A linear probe's lines are vertical; a curvilinear probe's lines fan out from a virtual apex
`radius_mm` above the skin, and beam space is scan-converted to the display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import numpy as np

from trainer.probe import Probe

LINE_PITCH_PX = 2.0  # display pixels per scan line: real arrays fire ~128-256 lines


@dataclass(frozen=True)
class ImageGeometry:
    """Image size, probe pose and field of view; everything else is derived."""

    width_px: int
    height_px: int
    curvilinear: bool
    probe_x_mm: float
    footprint_mm: float
    radius_mm: float
    depth_mm: float

    @classmethod
    def of(cls, probe: Probe, width_px: int = 640, height_px: int = 480) -> ImageGeometry:
        return cls(
            width_px,
            height_px,
            probe.curvilinear,
            probe.x_mm,
            probe.footprint_mm,
            probe.radius_mm if probe.curvilinear else 0.0,
            probe.depth_mm,
        )

    # ------------------------------------------------------------------ display grid
    @property
    def half_angle_rad(self) -> float:
        return self.footprint_mm / self.radius_mm / 2.0 if self.curvilinear else 0.0

    @property
    def top_mm(self) -> float:
        """World z of the image's top edge (the curved face's ends lie above the skin)."""
        return self.radius_mm * (math.cos(self.half_angle_rad) - 1.0)

    @property
    def field_width_mm(self) -> float:
        if self.curvilinear:
            return 2.0 * (self.radius_mm + self.depth_mm) * math.sin(self.half_angle_rad)
        return self.footprint_mm

    @cached_property
    def mm_per_px(self) -> float:
        return max(self.field_width_mm / self.width_px, (self.depth_mm - self.top_mm) / self.height_px)

    @cached_property
    def centre_col(self) -> float:
        """Column (in pixel-centre units) under the probe's centre. A linear image's left edge sits on
        a pixel boundary so that scan conversion is a plain resize."""
        if self.curvilinear:
            return self.width_px / 2.0 - 0.5
        return self.left_col + self.field_width_mm / 2.0 / self.mm_per_px - 0.5

    @cached_property
    def left_col(self) -> int:
        """First display column of the field of view."""
        return max(0, math.floor(self.width_px / 2.0 - self.field_width_mm / 2.0 / self.mm_per_px))

    def world_to_pixel(
        self, x_mm: np.ndarray | float, z_mm: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row, col) of world points in the displayed image (pixel centres at integers)."""
        col = (np.asarray(x_mm) - self.probe_x_mm) / self.mm_per_px + self.centre_col
        row = (np.asarray(z_mm) - self.top_mm) / self.mm_per_px - 0.5
        return row, col

    def pixel_to_world(
        self, row: np.ndarray | float, col: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(x_mm, z_mm) of image pixels: the inverse of `world_to_pixel`."""
        x = self.probe_x_mm + (np.asarray(col) - self.centre_col) * self.mm_per_px
        z = self.top_mm + (np.asarray(row) + 0.5) * self.mm_per_px
        return x, z

    # ------------------------------------------------------------------ beam space
    @cached_property
    def n_samples(self) -> int:
        return max(8, round(self.depth_mm / self.mm_per_px))

    @cached_property
    def n_lines(self) -> int:
        if self.curvilinear:  # lines fan out: pitch them at a third of the depth
            arc_mm = (self.radius_mm + self.depth_mm / 3.0) * 2.0 * self.half_angle_rad
        else:
            arc_mm = self.footprint_mm
        return max(8, round(arc_mm / self.mm_per_px / LINE_PITCH_PX))

    @property
    def sample_mm(self) -> float:
        """Spacing of samples along a line."""
        return self.depth_mm / self.n_samples

    def line_spacing_mm(self, range_mm: np.ndarray | float) -> np.ndarray:
        """Distance between neighbouring lines at a range below the face."""
        r = np.asarray(range_mm, dtype=float)
        if self.curvilinear:
            return (self.radius_mm + r) * 2.0 * self.half_angle_rad / self.n_lines
        return np.full_like(r, self.footprint_mm / self.n_lines)

    @cached_property
    def line_angles_rad(self) -> np.ndarray:
        """Steering angle of each line from straight down (0 for a linear probe)."""
        if not self.curvilinear:
            return np.zeros(self.n_lines)
        h = self.half_angle_rad
        return -h + (np.arange(self.n_lines) + 0.5) * 2.0 * h / self.n_lines

    @cached_property
    def sample_ranges_mm(self) -> np.ndarray:
        """Distance of each sample below the probe face."""
        return (np.arange(self.n_samples) + 0.5) * self.sample_mm

    def beam_to_world(
        self, sample: np.ndarray | float, line: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray]:
        """World (x, z) of fractional beam-space positions."""
        i, j = np.asarray(sample, dtype=float), np.asarray(line, dtype=float)
        r = (i + 0.5) * self.sample_mm
        if not self.curvilinear:
            x = self.probe_x_mm - self.footprint_mm / 2.0 + (j + 0.5) * self.footprint_mm / self.n_lines
            return x, r
        h = self.half_angle_rad
        phi = -h + (j + 0.5) * 2.0 * h / self.n_lines
        rho = self.radius_mm + r
        return self.probe_x_mm + rho * np.sin(phi), rho * np.cos(phi) - self.radius_mm

    def world_to_beam(
        self, x_mm: np.ndarray | float, z_mm: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fractional (sample, line) of world points: the inverse of `beam_to_world`."""
        x, z = np.asarray(x_mm, dtype=float) - self.probe_x_mm, np.asarray(z_mm, dtype=float)
        if not self.curvilinear:
            line = (x + self.footprint_mm / 2.0) * self.n_lines / self.footprint_mm - 0.5
            return z / self.sample_mm - 0.5, line
        h = self.half_angle_rad
        phi = np.arctan2(x, z + self.radius_mm)
        rho = np.hypot(x, z + self.radius_mm)
        return (rho - self.radius_mm) / self.sample_mm - 0.5, (phi + h) * self.n_lines / (2.0 * h) - 0.5

    @property
    def at_origin(self) -> ImageGeometry:
        """The same image with the probe at x = 0: every pixel relation is shift-invariant in x."""
        return replace(self, probe_x_mm=0.0)

    @cached_property
    def beam_world_mm(self) -> tuple[np.ndarray, np.ndarray]:
        """World (x, z) of every beam-space sample, each (n_samples, n_lines)."""
        x, z = _beam_world_at_origin(self.at_origin)
        return x + np.float32(self.probe_x_mm), z

    @cached_property
    def field_cols(self) -> slice:
        """Display columns the field of view spans."""
        width = self.field_width_mm / self.mm_per_px
        return slice(self.left_col, min(self.width_px, math.ceil(self.left_col + width - 1e-9)))

    @cached_property
    def field_rows(self) -> slice:
        return slice(0, min(self.height_px, math.ceil((self.depth_mm - self.top_mm) / self.mm_per_px)))

    @property
    def scan_conversion_bands(self) -> list[ScanBand]:
        """Row bands of the fan, each trimmed to the columns it covers, with their remap maps."""
        return _scan_conversion_bands(self.at_origin)


@lru_cache(maxsize=8)
def _beam_world_at_origin(geo: ImageGeometry) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.meshgrid(np.arange(geo.n_samples), np.arange(geo.n_lines), indexing="ij")
    x, z = geo.beam_to_world(i, j)
    return x.astype(np.float32), z.astype(np.float32)


@dataclass(frozen=True)
class ScanBand:
    """Display rows and columns of one band and, per pixel, its (line, sample) in beam space."""

    rows: slice
    cols: slice
    line: np.ndarray
    sample: np.ndarray


SCAN_BAND_ROWS = 24


@lru_cache(maxsize=8)
def _scan_conversion_bands(geo: ImageGeometry) -> list[ScanBand]:
    line, sample = _scan_conversion_maps(geo)
    bands = []
    for top in range(0, line.shape[0], SCAN_BAND_ROWS):
        band = slice(top, min(top + SCAN_BAND_ROWS, line.shape[0]))
        inside = np.nonzero((line[band] > -1.0).any(axis=0))[0]
        if inside.size == 0:
            continue
        cols = slice(int(inside[0]), int(inside[-1]) + 1)
        rows = slice(geo.field_rows.start + band.start, geo.field_rows.start + band.stop)
        shifted = slice(geo.field_cols.start + cols.start, geo.field_cols.start + cols.stop)
        bands.append(ScanBand(rows, shifted, line[band, cols].copy(), sample[band, cols].copy()))
    return bands


def _scan_conversion_maps(geo: ImageGeometry) -> tuple[np.ndarray, np.ndarray]:
    rows = np.arange(geo.field_rows.start, geo.field_rows.stop)
    cols = np.arange(geo.field_cols.start, geo.field_cols.stop)
    r, c = np.meshgrid(rows, cols, indexing="ij")
    sample, line = geo.world_to_beam(*geo.pixel_to_world(r, c))
    outside = (sample < -0.5) | (sample > geo.n_samples - 0.5) | (line < -0.5) | (line > geo.n_lines - 0.5)
    sample = np.clip(sample, 0.0, geo.n_samples - 1.0)
    line = np.clip(line, 0.0, geo.n_lines - 1.0)
    line[outside] = -10.0
    return line.astype(np.float32), sample.astype(np.float32)
