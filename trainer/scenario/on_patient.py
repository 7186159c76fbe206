"""Build a scenario on the 3D patient: the scene frame at the planned pose, the named views, the
target zone drawn from its anchor structure and the probe's start pose."""

from __future__ import annotations

import math

import numpy as np
from shapely import affinity

from trainer.errors import ScenarioError
from trainer.patient import patient_for
from trainer.patient.body import Patient
from trainer.patient.frame import Frame
from trainer.patient.scene import WINDOW_STEP_MM, NamedView, SceneAnatomy, plan_pose_frame
from trainer.scenario.model import Plane
from trainer.scenario.schema import PoseSpec, ScenarioSpec


def scene_anatomy(spec: ScenarioSpec, source: str, variant: int) -> SceneAnatomy:
    assert spec.patient is not None
    plan = spec.patient.plan
    patient = patient_for(variant)
    frame = plan_pose_frame(
        patient, plan.level, plan.lateral_mm, plan.side, plan.rotation_deg, plan.caudal_mm
    )
    views = tuple(NamedView(v.name, v.y_mm, v.description) for v in spec.views)
    if not any(v.y_mm == 0.0 for v in views):
        raise ScenarioError(source, "views", "one view must be the planned one, at y_mm = 0")
    reach_x, reach_y = back_reach(patient, frame)
    image_half = image_half_mm(spec)
    return SceneAnatomy(
        patient,
        frame,
        plan.side,
        plan.rotation_deg,
        spec.section.depth_mm,
        views,
        math.ceil(max(image_half, NEEDLE_SPAN_MM) + WINDOW_STEP_MM / 2.0),
        math.ceil(image_half + IMAGE_MARGIN_MM),
        reach_x,
        reach_y,
    )


END_REACH_MM = 60.0  # and past the first and last TP rows: the probe face on the neck or the loin
LATERAL_REACH_MM = 100.0  # the probe centre goes this far from the midline: past the rib angles [E]
NEEDLE_SPAN_MM = 64.0  # half the longest shaft's run along the image (127 mm at 60 deg is 64)


IMAGE_MARGIN_MM = 4.0  # a turned probe's own cut reaches this far past the image's sides


def image_half_mm(spec: ScenarioSpec) -> float:
    """Half the image's width at the deepest view (a curvilinear fan widens with depth)."""
    p, depth = spec.probe, spec.section.depth_mm
    if p.kind == "curvilinear":
        return (p.radius_mm + depth) * math.sin(p.footprint_mm / p.radius_mm / 2.0)
    return p.footprint_mm / 2.0


def back_reach(patient: Patient, frame: Frame) -> tuple[tuple[float, float], tuple[float, float]]:
    """The scene (x, y) box of the back from the first to the last level's TP row, either side of
    the midline: where the probe centre can go."""
    ys = np.linspace(patient.levels[0].tp_y_mm - END_REACH_MM, patient.levels[-1].tp_y_mm + END_REACH_MM, 9)
    xs = np.array([-LATERAL_REACH_MM, 0.0, LATERAL_REACH_MM])
    corners = np.array([patient.skin_point(float(x), float(y)) for x in xs for y in ys])
    local = frame.to_local(corners)
    return (float(local[:, 0].min()), float(local[:, 0].max())), (
        float(local[:, 1].min()),
        float(local[:, 1].max()),
    )


def anchor_offset(anatomy: SceneAnatomy, primary: Plane, anchor: str, source: str) -> tuple[float, float]:
    """The anchor's top centre in the planned view: the origin of the target zone's coordinates."""
    if not primary.has(anchor) or primary.structure(anchor).is_layer:
        found = sorted(s.name for s in primary.structures if not s.is_layer)
        problem = f"'{anchor}' is a layer, not a structure," if primary.has(anchor) else f"no '{anchor}'"
        raise ScenarioError(source, "patient.anchor", f"{problem} in the planned view (it shows {found})")
    x0, z0, x1, _ = primary.structure(anchor).geometry.bounds
    return 0.5 * (x0 + x1), z0


def shifted_zone(zone: object, offset: tuple[float, float]) -> object:
    return affinity.translate(zone, offset[0], offset[1])


def start_pose(anatomy: SceneAnatomy, pose: PoseSpec) -> tuple[float, float, float]:
    """Scene (x, y) and rotation of a start pose given by level, side and distance from the midline."""
    frame = plan_pose_frame(
        anatomy.patient, pose.level, pose.lateral_mm, pose.side, pose.rotation_deg, pose.caudal_mm
    )
    x, y = anatomy.scene_xy(frame.origin)
    return x, y, pose.rotation_deg
