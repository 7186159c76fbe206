"""Checks a built scenario for anatomical and logical sense; the first problem raises ScenarioError."""

from __future__ import annotations

import math

import shapely
from shapely.geometry import Point

from trainer.compartment import Compartment
from trainer.errors import ScenarioError
from trainer.scenario.model import Plane, Scenario
from trainer.tissue import TissueKind

OVERLAP_TOLERANCE_MM2 = 0.05
_SIDES = {
    "parasagittal": {"cranial", "caudal"},
    "oblique": {"medial", "lateral"},
    "transverse": {"medial", "lateral"},
}


def validate(sc: Scenario, anchor: str | None) -> None:
    src = sc.source_path
    _check_planes(sc, src)
    for i, plane in enumerate(sc.planes):
        _check_names(plane, src, f"planes[{i}]")
        if sc.anatomy is None:  # the 3D patient's cuts overlap where solids touch, by design
            _check_nesting(plane, src, f"planes[{i}]")
            _check_overlaps(plane, src, f"planes[{i}]")
    _check_target(sc, src)
    _check_hazards(sc, src, anchor)
    _check_probe(sc, src)


def _check_planes(sc: Scenario, src: str) -> None:
    ys = [p.y_mm for p in sc.planes]
    if 0.0 not in ys:
        raise ScenarioError(src, "planes", "one plane must be the primary view at y_mm = 0")
    if len(set(ys)) != len(ys):
        raise ScenarioError(src, "planes", "two planes share the same y_mm")
    names = [p.name for p in sc.planes]
    if len(set(names)) != len(names):
        raise ScenarioError(src, "planes", "two planes share the same name")


def _check_names(plane: Plane, src: str, where: str) -> None:
    seen: set[str] = set()
    for s in plane.structures:
        if s.name in seen:
            raise ScenarioError(src, where, f"the name '{s.name}' is used twice in this plane")
        seen.add(s.name)


def _check_nesting(plane: Plane, src: str, where: str) -> None:
    for s in plane.structures:
        if s.within is None:
            continue
        if not plane.has(s.within):
            raise ScenarioError(
                src, f"{where}.structures[{s.name}].within", f"no structure '{s.within}' here"
            )
        parent = plane.structure(s.within).geometry
        if s.geometry.difference(parent).area > 0.05 * s.geometry.area:
            raise ScenarioError(
                src, f"{where}.structures[{s.name}].within", f"'{s.name}' does not lie within '{s.within}'"
            )


def _related(a: str | None, b_name: str, b_within: str | None, a_name: str) -> bool:
    return a == b_name or b_within == a_name


def _check_overlaps(plane: Plane, src: str, where: str) -> None:
    """Pairs whose bounding boxes meet come from an STRtree (near-linear in the number of structures);
    only those are intersected, in file order."""
    inclusions = [s for s in plane.structures if not s.is_layer]
    if len(inclusions) < 2:
        return
    tree = shapely.STRtree([s.geometry for s in inclusions])
    pairs = tree.query([s.geometry for s in inclusions], predicate="intersects")
    for i, j in sorted(zip(*pairs.tolist(), strict=True)):
        a, b = inclusions[i], inclusions[j]
        if j <= i or _related(a.within, b.name, b.within, a.name):
            continue
        area = a.geometry.intersection(b.geometry).area
        if area > OVERLAP_TOLERANCE_MM2:
            raise ScenarioError(
                src, f"{where}.structures", f"'{a.name}' and '{b.name}' overlap by {area:.2f} mm^2"
            )


def _check_target(sc: Scenario, src: str) -> None:
    primary = sc.primary
    bone = shapely.union_all([s.geometry for s in primary.of_kind(TissueKind.BONE)])
    zone = sc.target
    if zone.intersection(bone).area > 0.5 * zone.area:
        raise ScenarioError(src, "target.zone", "the target zone lies inside bone")
    point = Point(sc.goal.point)
    if bone.contains(point):
        raise ScenarioError(src, "target.point", "the target point lies inside bone")
    if not zone.buffer(1e-6).covers(point):
        raise ScenarioError(src, "target.point", "the target point lies outside the target zone")
    known = {c.value for c in Compartment}
    for c in sc.goal.compartments:
        if c not in known:
            raise ScenarioError(src, "target.compartments", f"'{c}' is not one of {', '.join(sorted(known))}")
    depth = sc.goal.point[1]
    steepest = max(sc.approach.angle_range_deg)
    if depth / math.sin(math.radians(steepest)) > sc.needle.length_mm - 5.0:
        raise ScenarioError(
            src,
            "needle.length_mm",
            f"a {sc.needle.length_mm:g} mm needle cannot reach a target {depth:g} mm "
            f"deep at {steepest:g} deg",
        )


def _check_hazards(sc: Scenario, src: str, anchor: str | None) -> None:
    names = {s.name for p in sc.planes for s in p.structures}
    if sc.anatomy is not None:  # on the 3D patient, any structure of the patient may be named
        names = {s.name for s in sc.anatomy.patient.solids} | {s.name for s in sc.primary.structures}
    for name in sc.critical:
        if not any(n == name or n.startswith(name + "_") for n in names):
            raise ScenarioError(src, "critical", f"no structure named '{name}' in any plane")
    if sc.region == "thoracic" and not sc.primary.of_kind(TissueKind.PLEURA):
        raise ScenarioError(src, "planes", "a thoracic scenario needs a pleura in the primary plane")
    if sc.approach.entry_side not in _SIDES[sc.orientation]:
        raise ScenarioError(
            src,
            "approach.entry_side",
            f"'{sc.approach.entry_side}' does not fit "
            f"a {sc.orientation} plane ({' or '.join(sorted(_SIDES[sc.orientation]))})",
        )
    if anchor is not None and not any(s.name == anchor and not s.is_layer for s in sc.primary.structures):
        what = "a layer, not a structure" if sc.primary.has(anchor) else "not a structure"
        raise ScenarioError(src, "variation.anchor", f"'{anchor}' is {what} of the primary plane")


def _check_probe(sc: Scenario, src: str) -> None:
    x0, x1 = sc.x_range_mm
    half = sc.probe.footprint_mm / 2.0
    if not x0 + half <= sc.probe.start_x_mm <= x1 - half:
        raise ScenarioError(
            src, "probe.start_x_mm", "the probe must start with its whole footprint on the section"
        )
    y0, y1 = sc.y_range_mm
    if not y0 <= sc.probe.start_y_mm <= y1:
        raise ScenarioError(src, "probe.start_y_mm", "the probe must start near one of the planes")
    if sc.probe.default_depth_mm > sc.depth_mm:
        raise ScenarioError(src, "probe.default_depth_mm", "deeper than the section")
