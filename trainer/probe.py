"""The ultrasound probe: pose on the skin, imaging settings, field of view and beam slice."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from shapely.geometry import Polygon, box

from trainer.scenario.model import ProbeKit

DEPTH_LIMITS_MM = (20.0, 150.0)
GAIN_LIMITS_DB = (-20.0, 20.0)
DYNAMIC_RANGE_LIMITS_DB = (30.0, 80.0)
TGC_LIMITS_DB = (-15.0, 15.0)
TILT_LIMIT_DEG = 30.0  # fanning across the beam on a curved back [E]
ROCK_LIMIT_DEG = 20.0  # heel-toe rocking along the image [E]


@dataclass(frozen=True, slots=True)
class Probe:
    """Probe pose and settings. x_mm: footprint centre along the scene plane; y_mm: out-of-plane
    offset; rotation_deg about the skin normal (0 parasagittal, marker cranial; 90 transverse, marker
    lateral); tilt_deg fans the beam across its plane; rock_deg tips it along the image."""

    kind: str
    x_mm: float
    y_mm: float
    footprint_mm: float
    radius_mm: float
    frequency_mhz: float
    depth_mm: float
    gain_db: float
    focus_mm: float
    dynamic_range_db: float
    tgc_near_db: float
    tgc_far_db: float
    doppler: bool
    slice_thickness_mm: float
    elevation_focus_mm: float
    rotation_deg: float = 0.0
    tilt_deg: float = 0.0
    rock_deg: float = 0.0

    @classmethod
    def from_kit(cls, kit: ProbeKit) -> Probe:
        return cls(
            kind=kit.kind,
            x_mm=kit.start_x_mm,
            y_mm=kit.start_y_mm,
            footprint_mm=kit.footprint_mm,
            radius_mm=kit.radius_mm,
            frequency_mhz=kit.frequency_mhz,
            depth_mm=kit.default_depth_mm,
            gain_db=0.0,
            focus_mm=round(kit.default_depth_mm * 0.6, 1),
            dynamic_range_db=60.0,
            tgc_near_db=0.0,
            tgc_far_db=0.0,
            doppler=False,
            slice_thickness_mm=kit.slice_thickness_mm,
            elevation_focus_mm=kit.elevation_focus_mm,
            rotation_deg=kit.start_rotation_deg,
        )

    @property
    def curvilinear(self) -> bool:
        return self.kind == "curvilinear"

    @property
    def sector_rad(self) -> float:
        """Angular width of a curvilinear image (footprint is the arc length)."""
        return self.footprint_mm / self.radius_mm

    @property
    def skin_half_width_mm(self) -> float:
        """Half the width of skin the probe face covers."""
        if self.curvilinear:
            return self.radius_mm * math.sin(self.sector_rad / 2.0)
        return self.footprint_mm / 2.0

    def moved(
        self, dx_mm: float, dy_mm: float, x_range: tuple[float, float], y_range: tuple[float, float]
    ) -> Probe:
        """Slid by (dx, dy) in scene axes, its centre kept within the scene."""
        half = self.skin_half_width_mm
        x = float(np.clip(self.x_mm + dx_mm, x_range[0] + half, x_range[1] - half))
        y = float(np.clip(self.y_mm + dy_mm, *y_range))
        return replace(self, x_mm=x, y_mm=y)

    def turned(self, rotation_deg: float, tilt_deg: float, rock_deg: float) -> Probe:
        """A new orientation: rotation wraps to (-180, 180], tilt and rock are held to what a hand
        can do on the skin."""
        rotation = (rotation_deg + 180.0) % 360.0 - 180.0
        if rotation == -180.0:
            rotation = 180.0
        tilt = float(np.clip(tilt_deg, -TILT_LIMIT_DEG, TILT_LIMIT_DEG))
        rock = float(np.clip(rock_deg, -ROCK_LIMIT_DEG, ROCK_LIMIT_DEG))
        return replace(self, rotation_deg=round(rotation, 6), tilt_deg=tilt, rock_deg=rock)

    def with_settings(
        self,
        depth_mm: float | None = None,
        gain_db: float | None = None,
        focus_mm: float | None = None,
        dynamic_range_db: float | None = None,
        tgc_near_db: float | None = None,
        tgc_far_db: float | None = None,
        frequency_mhz: float | None = None,
        doppler: bool | None = None,
    ) -> Probe:
        """New settings, each clamped to what a scanner offers; None keeps the current value."""
        depth = _clip(depth_mm, self.depth_mm, DEPTH_LIMITS_MM)
        return replace(
            self,
            depth_mm=depth,
            gain_db=_clip(gain_db, self.gain_db, GAIN_LIMITS_DB),
            focus_mm=_clip(focus_mm, min(self.focus_mm, depth), (5.0, depth)),
            dynamic_range_db=_clip(dynamic_range_db, self.dynamic_range_db, DYNAMIC_RANGE_LIMITS_DB),
            tgc_near_db=_clip(tgc_near_db, self.tgc_near_db, TGC_LIMITS_DB),
            tgc_far_db=_clip(tgc_far_db, self.tgc_far_db, TGC_LIMITS_DB),
            frequency_mhz=_clip(frequency_mhz, self.frequency_mhz, (1.0, 20.0)),
            doppler=self.doppler if doppler is None else bool(doppler),
        )

    def covers_skin(self, x_mm: float) -> bool:
        return abs(x_mm - self.x_mm) < self.skin_half_width_mm

    def slice_half_width_mm(self, z_mm: np.ndarray | float) -> np.ndarray:
        """Half the elevational beam thickness at depth: narrowest at the lens focus."""
        rayleigh_mm = 0.5 * self.elevation_focus_mm
        z = np.asarray(z_mm, dtype=float)
        return (
            0.5 * self.slice_thickness_mm * np.sqrt(1.0 + ((z - self.elevation_focus_mm) / rayleigh_mm) ** 2)
        )

    def in_view(self, x_mm: np.ndarray | float, z_mm: np.ndarray | float) -> np.ndarray:
        """Whether each point (x, z) lies inside the image field of view."""
        x = np.asarray(x_mm, dtype=float) - self.x_mm
        z = np.asarray(z_mm, dtype=float)
        if not self.curvilinear:
            return (np.abs(x) <= self.footprint_mm / 2.0) & (z >= 0.0) & (z <= self.depth_mm)
        r = np.hypot(x, z + self.radius_mm)
        theta = np.arctan2(x, z + self.radius_mm)
        return (
            (r >= self.radius_mm)
            & (r <= self.radius_mm + self.depth_mm)
            & (np.abs(theta) <= self.sector_rad / 2.0)
        )


def field_of_view(probe: Probe) -> Polygon:
    """The imaged region in world mm: a rectangle (linear) or an annular sector (curvilinear)."""
    if not probe.curvilinear:
        half = probe.footprint_mm / 2.0
        return box(probe.x_mm - half, 0.0, probe.x_mm + half, probe.depth_mm)
    theta = np.linspace(-probe.sector_rad / 2.0, probe.sector_rad / 2.0, 33)
    near_r, far_r = probe.radius_mm, probe.radius_mm + probe.depth_mm
    near = [(probe.x_mm + near_r * np.sin(t), near_r * np.cos(t) - probe.radius_mm) for t in theta]
    far = [(probe.x_mm + far_r * np.sin(t), far_r * np.cos(t) - probe.radius_mm) for t in theta[::-1]]
    return Polygon(near + far)


def _clip(value: float | None, current: float, limits: tuple[float, float]) -> float:
    chosen = current if value is None else float(value)
    return float(np.clip(chosen, *limits))
