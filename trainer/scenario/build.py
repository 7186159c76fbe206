"""Build the immutable Scenario from a validated ScenarioSpec (geometry errors name their field)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import numpy as np
from shapely.geometry import Polygon, box

from trainer.errors import ScenarioError
from trainer.scenario import geometry, on_patient
from trainer.scenario.model import (
    Approach,
    Goal,
    NeedleKit,
    Physiology,
    Plane,
    ProbeKit,
    Scenario,
    Structure,
)
from trainer.scenario.schema import PlaneSpec, ScenarioSpec, StructureSpec

T = TypeVar("T")

# Which way the needle travels along +x for each entry side (x is caudal or lateral positive).
_DIRECTION = {"cranial": +1, "medial": +1, "caudal": -1, "lateral": -1}


def _shape(source: str, field: str, make: Callable[[], T]) -> T:
    try:
        return make()
    except geometry.ShapeError as exc:
        raise ScenarioError(source, field, str(exc)) from None


def build_layers(
    spec: PlaneSpec, x_range: tuple[float, float], floor_mm: float, source: str, where: str
) -> list[Structure]:
    bottoms = [layer.bottom_mm for layer in spec.layers]
    xs = geometry.boundary_xs(bottoms, x_range)
    top = xs * 0.0
    layers = []
    for j, layer in enumerate(spec.layers):
        field = f"{where}.layers[{j}].bottom_mm"
        last = j == len(spec.layers) - 1
        if layer.bottom_mm is None and not last:
            raise ScenarioError(source, field, "only the deepest layer may leave out its bottom")
        bottom = _layer_bottom(layer.bottom_mm, xs, floor_mm, source, field)
        thin = bottom - top < 0.2
        if thin.any():
            x_bad = float(xs[thin.argmax()])
            raise ScenarioError(
                source,
                field,
                f"the layer has no thickness at x = {x_bad:g} mm (its bottom must lie below the layer above)",
            )
        layers.append(
            Structure(
                name=layer.name,
                kind=layer.kind,
                geometry=geometry.band(xs, top, bottom),
                is_layer=True,
                fill=geometry.band(xs, top, xs * 0.0 + floor_mm + 50.0),
                fibre_deg=layer.fibre_deg,
                note=layer.note,
            )
        )
        top = bottom
    return layers


def _layer_bottom(
    bottom: float | list[tuple[float, float]] | None, xs: np.ndarray, floor_mm: float, source: str, field: str
) -> np.ndarray:
    try:
        return geometry.boundary_depth(bottom, xs, floor_mm)
    except geometry.ShapeError as exc:
        raise ScenarioError(source, field, str(exc)) from None


def build_structure(spec: StructureSpec, source: str, field: str) -> Structure:
    if spec.polygon is not None:
        shape = _shape(source, f"{field}.polygon", lambda: geometry.polygon(spec.polygon or []))
    elif spec.polyline is not None:
        shape = _shape(
            source,
            f"{field}.polyline",
            lambda: geometry.thick_polyline(spec.polyline or [], spec.thickness_mm or 1.0),
        )
    elif spec.circle is not None:
        shape = _shape(source, f"{field}.circle", lambda: geometry.circle(*(spec.circle or ())))
    else:
        shape = _shape(source, f"{field}.ellipse", lambda: geometry.ellipse(*(spec.ellipse or ())))
    return Structure(
        name=spec.name,
        kind=spec.kind,
        geometry=shape,
        within=spec.within,
        fibre_deg=spec.fibre_deg,
        note=spec.note,
    )


def build_plane(
    spec: PlaneSpec,
    section: Polygon,
    x_range: tuple[float, float],
    floor_mm: float,
    source: str,
    where: str,
    clip: bool = False,
) -> Plane:
    """Build one plane; `clip` trims structures a variant pushed past the section floor."""
    structures = build_layers(spec, x_range, floor_mm, source, where)
    for k, s in enumerate(spec.structures):
        field = f"{where}.structures[{k}]"
        built = build_structure(s, source, field)
        if clip and not section.covers(built.geometry):
            built = replace(built, geometry=built.geometry.intersection(section))
        if not section.covers(built.geometry) or built.geometry.geom_type != "Polygon":
            raise ScenarioError(source, field, f"'{s.name}' reaches outside the section")
        structures.append(built)
    return Plane(
        name=spec.name,
        y_mm=spec.y_mm,
        description=spec.description,
        structures=tuple(_painter_order(structures)),
    )


def _painter_order(structures: list[Structure]) -> list[Structure]:
    """Layers first, then structures, each nested structure after the one it lies within."""
    ordered = [s for s in structures if s.is_layer or s.within is None]
    pending = [s for s in structures if not s.is_layer and s.within is not None]
    while pending:
        placed = {s.name for s in ordered}
        ready = [s for s in pending if s.within in placed]
        if not ready:  # unknown parents are reported by validation; keep their order
            ordered.extend(pending)
            break
        ordered.extend(ready)
        pending = [s for s in pending if s not in ready]
    return ordered


def build_scenario(spec: ScenarioSpec, source: str, variant: int = 0) -> Scenario:
    x_range = spec.section.x_mm
    floor = spec.section.depth_mm
    target = _shape(source, "target.zone", lambda: geometry.polygon(spec.target.zone))
    point = spec.target.point
    p = spec.probe
    start = (p.start_x_mm, p.start_y_mm, 0.0)
    anatomy = None
    if spec.patient is not None:
        anatomy = on_patient.scene_anatomy(spec, source, variant)
        planes = tuple(anatomy.plane_at(v.y_mm) for v in spec.views)
        primary = next(pl for pl in planes if pl.y_mm == 0.0)
        offset = on_patient.anchor_offset(anatomy, primary, spec.patient.anchor, source)
        target = on_patient.shifted_zone(target, offset)
        point = (point[0] + offset[0], point[1] + offset[1])
        if spec.patient.start is not None:
            start = on_patient.start_pose(anatomy, spec.patient.start)
        else:
            start = (p.start_x_mm, p.start_y_mm, spec.patient.plan.rotation_deg)
    else:
        section = box(x_range[0] - 1e-6, -1e-6, x_range[1] + 1e-6, floor + 1e-6)
        planes = tuple(
            build_plane(pl, section, x_range, floor, source, f"planes[{i}]", clip=variant != 0)
            for i, pl in enumerate(spec.planes)
        )
    return Scenario(
        id=spec.id,
        version=spec.version,
        title=spec.title,
        level=spec.level,
        difficulty=spec.difficulty,
        region=spec.region,
        orientation=spec.orientation,
        summary=spec.summary,
        sources=tuple(spec.sources),
        probe=ProbeKit(
            p.kind,
            p.frequency_mhz,
            p.footprint_mm,
            p.default_depth_mm,
            start[0],
            start[1],
            p.slice_thickness_mm,
            p.elevation_focus_mm,
            p.radius_mm,
            start[2],
        ),
        needle=NeedleKit(spec.needle.gauge, spec.needle.length_mm),
        approach=Approach(
            spec.approach.entry_side, _DIRECTION[spec.approach.entry_side], spec.approach.angle_deg
        ),
        target=target,
        goal=Goal(point, tuple(spec.target.compartments), spec.target.volume_ml, spec.target.description),
        critical=tuple(spec.critical),
        physiology=Physiology(**spec.physiology.model_dump()),
        x_range_mm=x_range,
        depth_mm=floor,
        planes=planes,
        variant=variant,
        source_path=source,
        anatomy=anatomy,
        target_half_thickness_mm=spec.patient.target_half_thickness_mm if spec.patient else 0.0,
    )
