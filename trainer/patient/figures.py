"""Published anatomy measured on the 3D patient at named poses (`python main.py anatomy`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString

from trainer.patient.body import Patient
from trainer.patient.scene import NamedView, SceneAnatomy, plan_pose_frame
from trainer.scenario.model import Plane
from trainer.tissue import TissueKind


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure and the published range it must fall in."""

    name: str
    low: float
    high: float
    source: str


FIGURES = (
    Figure("tp_depth_t5_mm", 30.0, 40.0, "TP posterior cortex at T5, probe 28 mm lateral [issue 9; NYSORA]"),
    Figure(
        "tp_to_pleura_t4_mm", 6.6, 17.4, "pleura below the T4 TP tip's back: 12 +- 2.7 mm, 2 SD [P CT study]"
    ),
    Figure(
        "lamina_depth_t5_mm", 20.0, 45.0, "skin to lamina 15 mm from the midline [P BMC Anesthesiol 2024]"
    ),
    Figure(
        "pleura_below_rib_top_mm",
        2.0,
        10.0,
        "pleural line under the rib tops at 45 mm lateral: about 5 [issue 9]",
    ),
    Figure("tp_spacing_t4_t6_mm", 22.0, 25.0, "TP centre spacing mid-thoracic [issue 9]"),
    Figure("trapezius_mm", 2.0, 7.0, "trapezius 3.4-4.9 mm (+-1) [P Hung 2010]"),
    Figure("rhomboid_t4_mm", 1.0, 11.0, "rhomboid major 3.8-6.3 mm (+-2.3) [P Hung 2010]"),
    Figure("costovertebral_depth_t6_mm", 50.0, 70.0, "costovertebral target depth [issue 9, E]"),
)


def _view(
    patient: Patient, level: str, lateral_mm: float, rotation_deg: float = 0.0, caudal_mm: float = 0.0
) -> Plane:
    frame = plan_pose_frame(patient, level, lateral_mm, "right", rotation_deg, caudal_mm)
    reach = (-40.0, 40.0)
    scene = SceneAnatomy(
        patient, frame, "right", rotation_deg, 110.0, (NamedView("v", 0.0, ""),), 40.0, 40.0, reach, reach
    )
    return scene.plane_at(0.0)


def _top(plane: Plane, name: str, x_mm: float = 0.0) -> float:
    """Depth of the first point of a structure straight down from x."""
    shape = plane.structure(name).geometry
    hit = LineString([(x_mm, 0.0), (x_mm, 200.0)]).intersection(shape)
    return float(hit.bounds[1]) if not hit.is_empty else float(shape.bounds[1])


def _layer_mm(plane: Plane, name: str, x_mm: float = 0.0) -> float:
    hit = LineString([(x_mm, 0.0), (x_mm, 200.0)]).intersection(plane.structure(name).geometry)
    return float(hit.bounds[3] - hit.bounds[1]) if not hit.is_empty else 0.0


def measure(patient: Patient) -> dict[str, float]:
    """Every figure of FIGURES on one patient."""
    esp = _view(patient, "T5", 28.0)
    tp = esp.structure("tp_t5_right").geometry
    centre = 0.5 * (tp.bounds[0] + tp.bounds[2])
    t4 = patient.level("T4")
    tip = _view(patient, "T4", t4.tp_tip_mm - 2.0)
    tp4 = tip.structure("tp_t4_right").geometry
    tp5 = tip.structure("tp_t5_right").geometry
    gap = 0.5 * (tp4.bounds[2] + tp5.bounds[0])  # beside the TP, where the ESP view shows the pleura
    lamina = _view(patient, "T5", 15.0)
    ribs = _view(patient, "T5", 45.0)
    rib_tops = [
        s.geometry.bounds[1]
        for s in ribs.structures
        if s.name.startswith("rib_") and s.kind == TissueKind.BONE
    ]
    gaps = [
        s.geometry.bounds for s in ribs.structures if s.name.startswith("rib_") and s.kind == TissueKind.BONE
    ]
    between = [0.5 * (a[2] + b[0]) for a, b in zip(sorted(gaps), sorted(gaps)[1:], strict=False)]
    pleura = [_top(ribs, "pleura", x) for x in between] or [float("nan")]
    ys = {lv.name: lv.tp_y_mm for lv in patient.levels}
    cv_plane = _view(patient, "T6", 25.0, -90.0, -8.0)  # through the sixth rib's head
    joint = cv_plane.structure("costovertebral_t6_right").geometry
    return {
        "tp_depth_t5_mm": _top(esp, "tp_t5_right", centre),
        "tp_to_pleura_t4_mm": _top(tip, "pleura", gap) - float(tp4.bounds[1]),
        "lamina_depth_t5_mm": min(
            _top(lamina, s.name) for s in lamina.structures if s.name.startswith("lamina_")
        ),
        "pleura_below_rib_top_mm": float(np.median(pleura)) - float(np.median(rib_tops)),
        "tp_spacing_t4_t6_mm": 0.5 * (ys["T6"] - ys["T4"]),
        "trapezius_mm": _layer_mm(esp, "trapezius"),
        "rhomboid_t4_mm": _layer_mm(_view(patient, "T4", 40.0), "rhomboid_major"),
        "costovertebral_depth_t6_mm": float(joint.centroid.y),
    }
