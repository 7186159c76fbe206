"""Build a scenario on the 3D patient: the scene frame at the planned pose, the named views, the
target zone drawn from its anchor structure and the probe's start pose."""

from __future__ import annotations

from shapely import affinity

from trainer.errors import ScenarioError
from trainer.patient import patient_for
from trainer.patient.scene import NamedView, SceneAnatomy, plan_pose_frame
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
    return SceneAnatomy(
        patient, frame, plan.side, plan.rotation_deg, spec.section.x_mm, spec.section.depth_mm, views
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
