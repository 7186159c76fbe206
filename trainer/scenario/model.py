"""The validated, immutable scenario: planes of shapely structures in world millimetres."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from trainer.tissue import GAUGE_OUTER_DIAMETER_MM, TissueKind

if TYPE_CHECKING:
    from trainer.patient.scene import SceneAnatomy

RestFrame = Callable[["Structure", np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True, slots=True)
class Structure:
    """A named region of one tissue kind; `fill` is the region used for painter-order lookup."""

    name: str
    kind: TissueKind
    geometry: Polygon
    is_layer: bool = False
    fill: Polygon | None = None
    within: str | None = None
    fibre_deg: float | None = None
    note: str = ""

    @property
    def lookup_region(self) -> Polygon:
        return self.fill if self.fill is not None else self.geometry


@dataclass(frozen=True)
class Plane:
    """One imaging plane at out-of-plane offset `y_mm`; structures are in painter order.

    `view` names the scenario's view the plane belongs to (the nearest named plane; empty for a
    rotated or tilted probe's own cut). `orientation_deg` is the (rotation, tilt, rock) of the probe
    that cuts it, rotation 0 parasagittal: muscle fibres run along or across the image by it."""

    name: str
    y_mm: float
    description: str
    structures: tuple[Structure, ...]
    view: str = ""
    x_range_mm: tuple[float, float] | None = None  # the window a 3D patient's plane was cut over
    orientation_deg: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def key(self) -> str:
        """Identity for caches: the name, plus the window on the 3D patient (one view name covers
        every window along the back)."""
        return self.name if self.x_range_mm is None else f"{self.name}#{self.x_range_mm[0]:+.1f}"

    def structure(self, name: str) -> Structure:
        for s in self.structures:
            if s.name == name:
                return s
        raise KeyError(name)

    def has(self, name: str) -> bool:
        return any(s.name == name for s in self.structures)

    def of_kind(self, *kinds: TissueKind) -> tuple[Structure, ...]:
        return tuple(s for s in self.structures if s.kind in kinds)

    @cached_property
    def lookup_regions(self) -> np.ndarray:
        regions = np.array([s.lookup_region for s in self.structures], dtype=object)
        shapely.prepare(regions)
        return regions

    def index_at(self, x_mm: np.ndarray, z_mm: np.ndarray, to_rest: RestFrame | None = None) -> np.ndarray:
        """Index of the topmost structure at each point (-1 outside every structure).

        `to_rest` maps query points into a moving structure's resting geometry (breathing, pulse).
        """
        x = np.atleast_1d(np.asarray(x_mm, dtype=float))
        z = np.atleast_1d(np.asarray(z_mm, dtype=float))
        found = np.full(x.shape, -1, dtype=int)
        for i, (s, region) in enumerate(zip(self.structures, self.lookup_regions, strict=True)):
            xr, zr = (x, z) if to_rest is None else to_rest(s, x, z)
            found[shapely.contains_xy(region, xr, zr)] = i
        return found

    def structure_at(self, x_mm: float, z_mm: float) -> Structure | None:
        i = int(self.index_at(np.array([x_mm]), np.array([z_mm]))[0])
        return self.structures[i] if i >= 0 else None


@dataclass(frozen=True, slots=True)
class ProbeKit:
    kind: str
    frequency_mhz: float
    footprint_mm: float
    default_depth_mm: float
    start_x_mm: float
    start_y_mm: float
    slice_thickness_mm: float
    elevation_focus_mm: float
    radius_mm: float
    start_rotation_deg: float = 0.0


@dataclass(frozen=True, slots=True)
class NeedleKit:
    gauge: int
    length_mm: float

    @property
    def diameter_mm(self) -> float:
        return GAUGE_OUTER_DIAMETER_MM[self.gauge]


@dataclass(frozen=True, slots=True)
class Approach:
    """Recommended in-plane approach: which end the needle enters from and the skin angle range."""

    entry_side: str
    direction: int  # +1: the needle travels toward +x; -1: toward -x
    angle_range_deg: tuple[float, float]

    def shaft_angle_deg(self, skin_angle_deg: float) -> float:
        """The needle's `angle_deg` (from +x, turning down) for a given angle to the skin."""
        return skin_angle_deg if self.direction > 0 else 180.0 - skin_angle_deg


@dataclass(frozen=True, slots=True)
class Goal:
    """What the procedure aims for besides the zone: aim point, right compartments, volume."""

    point: tuple[float, float]
    compartments: tuple[str, ...]
    volume_ml: float
    description: str


@dataclass(frozen=True, slots=True)
class Physiology:
    breathing_per_min: float
    heart_rate_per_min: float
    pleura_excursion_mm: float
    lung_slide_mm: float
    artery_pulse_fraction: float


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: read-only data the simulation, imaging and assessment share."""

    id: str
    version: int
    title: str
    level: str
    difficulty: str
    region: str
    orientation: str
    summary: str
    sources: tuple[str, ...]
    probe: ProbeKit
    needle: NeedleKit
    approach: Approach
    target: Polygon
    goal: Goal
    critical: tuple[str, ...]
    physiology: Physiology
    x_range_mm: tuple[float, float]
    depth_mm: float
    planes: tuple[Plane, ...]
    variant: int = 0
    source_path: str = ""
    anatomy: SceneAnatomy | None = None  # the 3D patient seen from the planned pose, if any
    target_half_thickness_mm: float = 0.0  # the target zone's half extent out of the primary plane

    @property
    def primary(self) -> Plane:
        return next(p for p in self.planes if p.y_mm == 0.0)

    @property
    def structures(self) -> tuple[Structure, ...]:
        return self.primary.structures

    def in_target(self, x_mm: float, z_mm: float) -> bool:
        return bool(self.target.covers(Point(x_mm, z_mm)))

    def plane_at(self, y_mm: float, x_mm: float = 0.0) -> Plane:
        """The plane the beam shows at out-of-plane offset `y_mm`: the 3D patient's cut there (over
        a window around `x_mm`), or the nearest drawn plane of a 2D scenario."""
        if self.anatomy is not None:
            return self.anatomy.plane_at(y_mm, x_mm)
        return min(self.planes, key=lambda p: (abs(p.y_mm - y_mm), p.y_mm))

    def is_primary(self, plane: Plane) -> bool:
        """Whether a plane belongs to the correct view."""
        return plane.view == self.primary.name if self.anatomy is not None else plane.y_mm == 0.0

    def in_target_slab(self, y_mm: float) -> bool:
        """Whether an out-of-plane offset lies within the target zone's thickness."""
        return abs(y_mm) <= self.target_half_thickness_mm + 1e-9

    @property
    def y_range_mm(self) -> tuple[float, float]:
        """Where the probe centre can go out of plane: the whole back on the 3D patient."""
        if self.anatomy is not None:
            return self.anatomy.reach_y_mm
        ys = [p.y_mm for p in self.planes]
        return min(ys) - 10.0, max(ys) + 10.0

    @property
    def reach_x_mm(self) -> tuple[float, float]:
        """Where the probe centre and the needle entry can go along the image: the whole back on the
        3D patient, the drawn section otherwise."""
        return self.anatomy.reach_x_mm if self.anatomy is not None else self.x_range_mm

    def is_critical_name(self, name: str) -> bool:
        """Whether a structure is one to avoid: named in `critical`, or (on the 3D patient) named
        with a critical name and a level or side after it, e.g. 'intercostal_artery_t5_t6_right'."""
        base = name.split(".")[0]
        return any(base == c or base.startswith(c + "_") for c in self.critical)

    def critical_structures(self, plane: Plane) -> tuple[Structure, ...]:
        return tuple(s for s in plane.structures if self.is_critical_name(s.name))
