"""Wrong level on the 3D patient: is the tip at the target's own spot of another vertebra?

The patient knows its levels (trainer/patient/body.py: each Level's TP row, TP tip and depth). The
target's spot one level away is the target point moved as far as the TP row moves between the two
levels (cranio-caudally, laterally and in depth: the kyphosis tilts and deepens the rows), so a
wrong level is judged where the trainee mistook one level for the next, whatever the view:
parasagittal views show the neighbouring level in plane, transverse ones behind a slide of the probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from trainer.patient.scene import SceneAnatomy
from trainer.scenario.model import Scenario

# A tip within this distance of the target's spot one or two levels away, and nearer to it than to
# the target's own spot, is at that level (levels lie 24 mm apart at T5, anatomy.toml).
WRONG_LEVEL_RADIUS_MM = 10.0
LEVELS_OFF = (-2, -1, 1, 2)
LEVEL_NAME = re.compile(r"[CTL]\d+")


@dataclass(frozen=True)
class LevelMap:
    """The target's spot on the patient and where the same spot lies at the levels around it."""

    anatomy: SceneAnatomy
    target_world: np.ndarray
    target_index: float  # fractional: 0 at the first level's TP row, 1 at the next one's
    label: tuple[int, ...]  # indices of the levels the procedure names ("T6-T7": T6 and T7)

    @classmethod
    def of(cls, sc: Scenario) -> LevelMap | None:
        """None for a scenario off the 3D patient (the gel phantom, archived 2D files)."""
        if sc.anatomy is None:
            return None
        patient = sc.anatomy.patient
        names = [lv.name for lv in patient.levels]
        label = tuple(names.index(n) for n in LEVEL_NAME.findall(sc.level) if n in names)
        target = sc.anatomy.scene_point(*_xyz(*sc.goal.point))
        rows = np.array([lv.tp_y_mm for lv in patient.levels])
        index = float(np.interp(target[1], rows, np.arange(len(rows))))
        return cls(sc.anatomy, target, index, label or (names.index(patient.level_at(float(target[1]))),))

    def spot(self, levels_off: int) -> np.ndarray:
        """World point of the target's spot `levels_off` levels caudal (negative: cranial)."""
        levels = self.anatomy.patient.levels
        steps = np.arange(len(levels))
        at = self.target_index

        def moved(values: list[float]) -> float:
            return float(np.interp(at + levels_off, steps, values) - np.interp(at, steps, values))

        side = self.anatomy.side_sign
        return self.target_world + np.array(
            [
                side * moved([lv.tp_tip_mm for lv in levels]),
                moved([lv.tp_y_mm for lv in levels]),
                moved([lv.tp_z_mm for lv in levels]),
            ]
        )

    def reachable(self, levels_off: int) -> bool:
        return 0.0 <= self.target_index + levels_off <= len(self.anatomy.patient.levels) - 1

    def levels_off_at(self, x_mm: float, y_mm: float, z_mm: float) -> int:
        """How many levels from the target's a tip (scene mm) is (0: the target's level, or not
        near any level's spot)."""
        tip = self.anatomy.scene_point(x_mm, y_mm, z_mm)
        near = [(float(np.linalg.norm(tip - self.spot(k))), k) for k in (0, *LEVELS_OFF) if self.reachable(k)]
        distance, off = min(near)
        return off if distance <= WRONG_LEVEL_RADIUS_MM else 0

    def name(self, levels_off: int) -> str:
        """The procedure's level label moved `levels_off` levels ("T6-T7", +1: "T7-T8")."""
        names = [lv.name for lv in self.anatomy.patient.levels]
        return "-".join(names[min(max(i + levels_off, 0), len(names) - 1)] for i in self.label)

    def wrong_level_at(self, x_mm: float, y_mm: float, z_mm: float) -> str:
        """The level a tip is at when it is another level's spot ("T4" for the T5 TP), else ""."""
        off = self.levels_off_at(x_mm, y_mm, z_mm)
        return self.name(off) if off else ""

    def scene_shift_mm(self, levels_off: int) -> tuple[float, float]:
        """Scene (x, y) from the target's spot to its spot `levels_off` levels away: along the
        image in a parasagittal view, out of plane in a transverse one."""
        x0, y0 = self.anatomy.scene_xy(self.target_world)
        x1, y1 = self.anatomy.scene_xy(self.spot(levels_off))
        return x1 - x0, y1 - y0


def _xyz(x_mm: float, z_mm: float) -> tuple[float, float, float]:
    return x_mm, 0.0, z_mm
