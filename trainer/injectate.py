"""Injectate spread: where fluid goes for the compartment at the tip, and how it pushes tissue aside.

Each bolus is an ellipse (or a half-ellipse lens on one side of a fascial plane) in world mm. Tissue
outside it is pushed outward so that area is conserved: a displayed point at normalised radius rho
came from rho_s = sqrt(rho^2 - 1). The imaging samples the anatomy through `source_points`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon, box

from trainer.compartment import Compartment, plane_neighbour
from trainer.scenario.model import Plane, Structure

JOINT_CAPACITY_ML = 1.0
MAX_LENS_HALF_LENGTH_MM = 45.0
MAX_LENS_THICKNESS_MM = 8.0


@dataclass(frozen=True, slots=True)
class Bolus:
    """One deposit of fluid. `half`: only the side of the axis the normal points to is fluid."""

    compartment: Compartment
    volume_ml: float
    centre_mm: tuple[float, float]
    axis_deg: float
    semi_axes_mm: tuple[float, float]
    base_semi_axes_mm: tuple[float, float]
    half: bool
    structure: str

    @property
    def overflowing(self) -> bool:
        """Joint injectate beyond the capsule's capacity escapes (maldistribution)."""
        return self.compartment == Compartment.INTRA_ARTICULAR and self.volume_ml > JOINT_CAPACITY_ML

    def geometry(self) -> Polygon:
        a, b = self.semi_axes_mm
        shape = affinity.scale(Point(0, 0).buffer(1.0, quad_segs=24), a, b, origin=(0, 0))
        if self.half:
            shape = shape.intersection(box(-a - 1, -b - 1, a + 1, 0.0))
        shape = affinity.rotate(shape, self.axis_deg, origin=(0, 0))
        return affinity.translate(shape, *self.centre_mm)

    def _local(self, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c, s = math.cos(math.radians(self.axis_deg)), math.sin(math.radians(self.axis_deg))
        dx, dz = x - self.centre_mm[0], z - self.centre_mm[1]
        return (dx * c + dz * s) / self.semi_axes_mm[0], (-dx * s + dz * c) / self.semi_axes_mm[1]

    def contains(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        return self.displace(x, z)[2]

    def displace(self, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where the tissue now shown at (x, z) was before this bolus pushed it aside, and whether
        (x, z) is fluid; one coordinate transform for both (arrays broadcast, dtype kept)."""
        u, v = self._local(x, z)
        rho2 = u * u + v * v
        side = v <= 0.0 if self.half else np.ones_like(rho2, dtype=bool)
        fluid = (rho2 < 1.0) & side
        shrink = np.sqrt(np.maximum(rho2 - 1.0, 0.0) / np.maximum(rho2, 1e-12)) - 1.0
        shrink = np.where((rho2 >= 1.0) & side, shrink, 0.0).astype(rho2.dtype, copy=False)
        du, dv = u * shrink * self.semi_axes_mm[0], v * shrink * self.semi_axes_mm[1]
        c, s = math.cos(math.radians(self.axis_deg)), math.sin(math.radians(self.axis_deg))
        return x + du * c - dv * s, z + du * s + dv * c, fluid


@dataclass(frozen=True, slots=True)
class Injectate:
    """All fluid injected so far; newest bolus last."""

    boluses: tuple[Bolus, ...] = ()

    @property
    def total_ml(self) -> float:
        return sum(b.volume_ml for b in self.boluses)

    def bolus_at(self, x_mm: float, z_mm: float) -> int | None:
        for i in range(len(self.boluses) - 1, -1, -1):
            if bool(self.boluses[i].contains(np.array([x_mm]), np.array([z_mm]))[0]):
                return i
        return None

    def displace(self, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Source points of the tissue shown at (x, z), newest bolus first, and the fluid mask."""
        fluid = np.zeros(np.broadcast_shapes(np.shape(x), np.shape(z)), dtype=bool)
        for b in reversed(self.boluses):
            x, z, inside = b.displace(x, z)
            fluid |= inside
        return x, z, fluid

    def fluid_mask(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        return self.displace(x, z)[2]

    def source_points(self, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sx, sz, _ = self.displace(x, z)
        return sx, sz

    def geometry(self) -> Polygon:
        return shapely.union_all([b.geometry() for b in self.boluses]) if self.boluses else Polygon()

    def injected(
        self,
        plane: Plane,
        tip: tuple[float, float],
        compartment: Compartment,
        holder: Structure | None,
        volume_ml: float,
    ) -> Injectate:
        """The injectate after `volume_ml` more at the tip (intravascular fluid leaves no trace)."""
        existing = self.bolus_at(*tip)
        if existing is not None:
            grown = _grow(self.boluses[existing], volume_ml)
            return Injectate((*self.boluses[:existing], grown, *self.boluses[existing + 1 :]))
        new = new_bolus(plane, tip, compartment, holder, volume_ml)
        return self if new is None else Injectate((*self.boluses, new))


def new_bolus(
    plane: Plane,
    tip: tuple[float, float],
    compartment: Compartment,
    holder: Structure | None,
    volume_ml: float,
) -> Bolus | None:
    if holder is None or compartment in (Compartment.INTRAVASCULAR, Compartment.OUTSIDE):
        return None
    if compartment == Compartment.FASCIAL_PLANE:
        return _lens(plane, holder, tip, volume_ml)
    if compartment in (Compartment.INTRA_ARTICULAR, Compartment.CYSTIC):
        return _capsule(holder, compartment, volume_ml)
    axis = holder.fibre_deg if holder.fibre_deg is not None else 0.0
    bolus = Bolus(compartment, 0.0, tip, axis, (0.1, 0.1), (0.0, 0.0), False, holder.name)
    return _grow(bolus, volume_ml)


def _lens(plane: Plane, holder: Structure, tip: tuple[float, float], volume_ml: float) -> Bolus:
    other = plane_neighbour(plane, holder, *tip)
    assert other is not None  # the compartment is a fascial plane only next to one
    edge = other.geometry.exterior
    at = edge.project(Point(tip))
    p0, p1 = edge.interpolate(at - 1.0), edge.interpolate(at + 1.0)
    axis = math.degrees(math.atan2(p1.y - p0.y, p1.x - p0.x))
    foot = edge.interpolate(at)
    if math.cos(math.radians(axis)) < 0:  # keep the axis pointing toward +x
        axis += 180.0
    normal_z = math.cos(math.radians(axis))  # local +v direction's z component
    tip_side = (tip[0] - foot.x) * -math.sin(math.radians(axis)) + (tip[1] - foot.y) * normal_z
    if tip_side > 0:  # fluid on the tip's side: flip so the open side (v <= 0) faces the tip
        axis += 180.0
    bolus = Bolus(
        Compartment.FASCIAL_PLANE, 0.0, (foot.x, foot.y), axis, (0.1, 0.1), (0.0, 0.0), True, holder.name
    )
    return _grow(bolus, volume_ml)


def _capsule(joint: Structure, compartment: Compartment, volume_ml: float) -> Bolus:
    rect = joint.geometry.minimum_rotated_rectangle
    xs, zs = rect.exterior.coords.xy
    e1 = (xs[1] - xs[0], zs[1] - zs[0])
    e2 = (xs[2] - xs[1], zs[2] - zs[1])
    long_edge, short_edge = (e1, e2) if math.hypot(*e1) >= math.hypot(*e2) else (e2, e1)
    axis = math.degrees(math.atan2(long_edge[1], long_edge[0]))
    base = (math.hypot(*long_edge) / 2.0, math.hypot(*short_edge) / 2.0)
    c = joint.geometry.centroid
    bolus = Bolus(compartment, 0.0, (c.x, c.y), axis, base, base, False, joint.name)
    return _grow(bolus, volume_ml)


def _grow(b: Bolus, volume_ml: float) -> Bolus:
    v = b.volume_ml + volume_ml
    return replace(b, volume_ml=v, semi_axes_mm=semi_axes(b, v))


def semi_axes(b: Bolus, volume_ml: float) -> tuple[float, float]:
    """Semi-axes for a volume: a lens spreads along its plane; a capsule distends then leaks;
    anything else is an ellipsoidal bulge seen through its middle."""
    v_mm3 = volume_ml * 1000.0
    if b.half:
        a = float(np.clip(12.0 * math.sqrt(volume_ml), 4.0, MAX_LENS_HALF_LENGTH_MM))
        thickness = 2.0 * v_mm3 / (math.pi * a * 1.2 * a)
        return a, float(np.clip(thickness, 0.3, MAX_LENS_THICKNESS_MM))
    if b.compartment == Compartment.INTRA_ARTICULAR:
        distension = 1.2 * min(volume_ml / JOINT_CAPACITY_ML, 1.0)
        leak = 6.0 * math.sqrt(max(volume_ml - JOINT_CAPACITY_ML, 0.0))
        return b.base_semi_axes_mm[0] + distension + leak, b.base_semi_axes_mm[1] + distension
    if b.compartment == Compartment.CYSTIC:
        r = b.base_semi_axes_mm[0]
        return (math.sqrt(r * r + v_mm3 / (math.pi * 2.0 * r)),) * 2
    r = (3.0 * v_mm3 / (4.0 * math.pi)) ** (1.0 / 3.0)
    return 1.25 * r, r / 1.25
