"""What the assessment needs to know about a scenario, worked out once per attempt."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point

from trainer import physiology
from trainer.assessment.levels import LevelMap
from trainer.scenario.model import Plane, Scenario, Structure
from trainer.tissue import TissueKind

# Hazard classes for closest-approach margins, and the tissue kinds in each.
HAZARD_KINDS: dict[str, frozenset[TissueKind]] = {
    "pleura": frozenset({TissueKind.PLEURA, TissueKind.LUNG}),
    "vessel": frozenset({TissueKind.ARTERY, TissueKind.VEIN}),
    "neuraxis": frozenset({TissueKind.NEURAXIS, TissueKind.FORAMEN}),
}
# Distances are reported up to this value: "this far or more, or not in the scenario".
CLEAR_MM = 50.0
# Needle angle to the skin beyond which a plain needle is hard to see (visibility falls with the
# angle; keep it below 30-45 deg, sonoanatomy.md section 4), unless the procedure needs steeper.
STEEP_FLOOR_DEG = 45.0
STEEP_BEYOND_RANGE_DEG = 5.0
# Wrong level off the 3D patient (archived 2D files): the scenario data name a structure's vertebral
# level (tp_t5, t6_t7_joint, rib_5). A landmark this close to the target zone sets the level; one
# this close to the tip is where it is. On the 3D patient the patient's levels decide (levels.py).
LEVEL_TAG = re.compile(r"(?<![a-z])t(\d+)|(?<=rib_)(\d+)")
TARGET_LANDMARK_MM = 1.0
TIP_LANDMARK_MM = 4.0
LANDMARK_KINDS = (TissueKind.BONE, TissueKind.CARTILAGE)


@dataclass(frozen=True)
class ScenarioFacts:
    """Target, goal, hazards and reference geometry of one scenario (variant) for scoring."""

    scenario: Scenario
    primary_half_gap_mm: float
    target_joints: frozenset[str]
    ideal_path_mm: float
    steep_limit_deg: float
    hazards: dict[str, tuple[tuple[str, Structure], ...]]
    target_clearance_mm: dict[str, float]
    target_levels: dict[str, frozenset[int]]
    levels: LevelMap | None

    @classmethod
    def of(cls, sc: Scenario) -> ScenarioFacts:
        others = [abs(p.y_mm) for p in sc.planes if p.y_mm != 0.0]
        joints = frozenset(
            s.name
            for s in sc.primary.of_kind(TissueKind.CARTILAGE)
            if s.geometry.intersection(sc.target).area > 0.0
        )
        lo, hi = sc.approach.angle_range_deg
        ideal = sc.goal.point[1] / math.sin(math.radians(0.5 * (lo + hi)))
        hazards = {p.key: plane_hazards(p) for p in sc.planes}
        clearance = dict.fromkeys(HAZARD_KINDS, CLEAR_MM)
        for hazard, s in hazards[sc.primary.key]:
            clearance[hazard] = min(clearance[hazard], float(sc.target.distance(s.geometry)))
        return cls(
            sc,
            0.5 * min(others, default=2.0 * CLEAR_MM),
            joints,
            ideal,
            max(STEEP_FLOOR_DEG, hi + STEEP_BEYOND_RANGE_DEG),
            hazards,
            clearance,
            {
                pattern: levels
                for s in sc.primary.of_kind(*LANDMARK_KINDS)
                if s.geometry.distance(sc.target) <= TARGET_LANDMARK_MM
                for pattern, levels in [level_of(s.name)]
                if levels
            },
            LevelMap.of(sc),
        )

    def target_distance_mm(self, x_mm: float, z_mm: float, y_mm: float) -> float:
        """Distance from a tip to the target zone: in plane, plus how far the tip is outside the
        slab of the primary plane (the nearest plane to the tip decides the anatomy it meets)."""
        in_plane = float(self.scenario.target.distance(Point(x_mm, z_mm)))
        off_plane = max(0.0, abs(y_mm) - self.primary_half_gap_mm)
        return min(CLEAR_MM, math.hypot(in_plane, off_plane))

    def is_wrong_joint(self, structure: Structure, plane: Plane) -> bool:
        """A joint the needle should not be in: any joint but the target's (e.g. the facet joint
        instead of the costovertebral joint, or the facet joint one level off)."""
        if structure.kind != TissueKind.CARTILAGE:
            return False
        return not self.scenario.is_primary(plane) or structure.name not in self.target_joints

    @property
    def hazard_classes(self) -> frozenset[str]:
        """The hazard classes this scenario has a structure of, in any plane (the gel phantom has
        no pleura and no neuraxis: margins to them are not measured)."""
        return frozenset(hazard for plane in self.hazards.values() for hazard, _ in plane)

    @property
    def has_nerves(self) -> bool:
        return any(p.of_kind(TissueKind.NERVE) for p in self.scenario.planes)

    @property
    def has_levels(self) -> bool:
        """Whether another vertebral level can be told from the target's (not in the phantom)."""
        return self.levels is not None or bool(self.target_levels)

    def wrong_level_at(self, plane: Plane, x_mm: float, y_mm: float, z_mm: float) -> str:
        """The vertebral level the tip is at ("T4") when it is the target's spot at another level
        (the TP of T4 instead of T5), else "": on the 3D patient from the patient's own levels,
        in an archived 2D scenario from the level its landmarks' names carry."""
        if self.levels is not None:
            return self.levels.wrong_level_at(x_mm, y_mm, z_mm)
        tip = Point(x_mm, z_mm)
        near = [(s.geometry.distance(tip), s) for s in plane.of_kind(*LANDMARK_KINDS)]
        near = [(d, s) for d, s in near if d <= TIP_LANDMARK_MM]
        if not near:
            return ""
        pattern, levels = level_of(min(near, key=lambda item: item[0])[1].name)
        target = self.target_levels.get(pattern)
        if not levels or target is None or levels == target:
            return ""
        return "-".join(f"T{n}" for n in sorted(levels))

    def hazard_margins_mm(self, plane: Plane, time_s: float, x_mm: float, z_mm: float) -> dict[str, float]:
        """Distance from a tip to the nearest structure of each hazard class in its plane,
        with breathing and pulsation applied (0 when inside)."""
        margins = dict.fromkeys(HAZARD_KINDS, CLEAR_MM)
        hazards = self.hazards.get(plane.key) or plane_hazards(plane)
        if not hazards:
            return margins
        x, z = np.array([x_mm]), np.array([z_mm])
        rest = [physiology.to_rest_frame(s, self.scenario.physiology, time_s, x, z) for _, s in hazards]
        points = shapely.points([float(xr[0]) for xr, _ in rest], [float(zr[0]) for _, zr in rest])
        distances = shapely.distance([s.geometry for _, s in hazards], points)
        for (hazard, _), d in zip(hazards, distances, strict=True):
            margins[hazard] = min(margins[hazard], float(d))
        return margins


def plane_hazards(plane: Plane) -> tuple[tuple[str, Structure], ...]:
    """The structures of a plane that belong to a hazard class, with their class."""
    return tuple(
        (hazard, s) for s in plane.structures for hazard, kinds in HAZARD_KINDS.items() if s.kind in kinds
    )


def level_of(name: str) -> tuple[str, frozenset[int]]:
    """A structure name's kind of landmark and the levels it names: "tp_t5" -> ("tp_t#", {5})."""
    levels = frozenset(int(a or b) for a, b in LEVEL_TAG.findall(name))
    return LEVEL_TAG.sub("#", name), levels
