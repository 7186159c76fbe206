"""The needle: a straight shaft pivoting at its skin entry point, in plane and slightly out of it."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

TILT_LIMIT_DEG = 15.0
ANGLE_LIMITS_DEG = (3.0, 177.0)


@dataclass(frozen=True, slots=True)
class Needle:
    """Shaft state. angle_deg: direction in the needle's plane from its +x turning down into the body;
    tilt_deg: out-of-plane angle; heading_deg: the needle's plane turned about the skin normal from
    the scene's x axis toward its y axis (non-zero when inserted under a rotated probe);
    depth_mm: shaft length below the skin (0 when out)."""

    length_mm: float
    diameter_mm: float
    inserted: bool = False
    entry_x_mm: float = 0.0
    entry_y_mm: float = 0.0
    angle_deg: float = 45.0
    tilt_deg: float = 0.0
    depth_mm: float = 0.0
    heading_deg: float = 0.0

    @property
    def direction(self) -> tuple[float, float, float]:
        """Unit vector of the shaft (x, z, y) pointing toward the tip."""
        a, t, h = math.radians(self.angle_deg), math.radians(self.tilt_deg), math.radians(self.heading_deg)
        along, across = math.cos(a) * math.cos(t), math.sin(t)
        return (
            along * math.cos(h) - across * math.sin(h),
            math.sin(a) * math.cos(t),
            along * math.sin(h) + across * math.cos(h),
        )

    def point_at(self, s_mm: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, z, y) of the shaft at distance `s_mm` below the skin along it."""
        dx, dz, dy = self.direction
        s = np.asarray(s_mm, dtype=float)
        return self.entry_x_mm + s * dx, s * dz, self.entry_y_mm + s * dy

    @property
    def tip_mm(self) -> tuple[float, float]:
        """(x, z) of the true tip; the skin entry point when the needle is out."""
        x, z, _ = self.point_at(self.depth_mm)
        return float(x), float(z)

    @property
    def tip_y_mm(self) -> float:
        return float(self.point_at(self.depth_mm)[2])

    @property
    def skin_angle_deg(self) -> float:
        """Angle between the shaft and the skin surface (0 flat, 90 vertical)."""
        return min(self.angle_deg, 180.0 - self.angle_deg)

    def at_depth(self, depth_mm: float) -> Needle:
        return replace(self, depth_mm=float(np.clip(depth_mm, 0.0, self.length_mm)))

    def steered(self, delta_deg: float) -> Needle:
        return replace(self, angle_deg=float(np.clip(self.angle_deg + delta_deg, *ANGLE_LIMITS_DEG)))

    def tilted(self, delta_deg: float) -> Needle:
        limit = TILT_LIMIT_DEG
        return replace(self, tilt_deg=float(np.clip(self.tilt_deg + delta_deg, -limit, limit)))
