"""Soft tissue as depth fields: each layer's floor as a depth below the skin at any (X, Y).

Skin, fat, trapezius, rhomboid major (above its lowest level only), erector spinae (thinning laterally),
multifidus (medially, on the laminae), the deep muscles (intertransversarii, levatores costarum,
intercostals) and the parietal pleura, which follows the ribs: 12 mm below the TP tip's back at T4 and
9 mm deeper 25 mm lateral to it [P CT study], bulging under each rib.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.patient.body import Patient
from trainer.tissue import TissueKind

PLEURA_MM = 1.5


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    kind: TissueKind
    fibre_deg: float | None  # the fibres' dip in the image, deg [E, as in the 2D scenarios before]


LAYERS = (
    Layer("skin", TissueKind.SKIN, None),
    Layer("subcutaneous_fat", TissueKind.FAT, None),
    Layer("trapezius", TissueKind.MUSCLE, -12.0),
    Layer("rhomboid_major", TissueKind.MUSCLE, 10.0),
    Layer("erector_spinae", TissueKind.MUSCLE, 2.0),
    Layer("multifidus", TissueKind.MUSCLE, 20.0),
    Layer("deep_muscles", TissueKind.MUSCLE, 25.0),
    Layer("pleura", TissueKind.PLEURA, None),
    Layer("lung", TissueKind.LUNG, None),
)


# Below the costodiaphragmatic recess there is no pleura: posteriorly its reflection crosses the 12th
# rib near the spine (Gray's Anatomy, 42nd ed., pleural reflections) [E for the distances]. The pleura
# falls out of reach over RECESS_FALL_MM, so the loin shows muscle, not lung.
RECESS_BELOW_T12_MM = 12.0
RECESS_FALL_MM = 10.0
RECESS_DROP_MM = 120.0


def _ramp(x: np.ndarray, start: float, end: float) -> np.ndarray:
    """0 at `start`, 1 at `end`, smooth between (either order)."""
    t = np.clip((x - start) / (end - start), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


class LayerFields:
    """Layer floors of one patient; every method takes world X, Y arrays."""

    def __init__(self, patient: Patient) -> None:
        self.patient = patient
        lv = patient.levels
        self._tp_y = np.array([x.tp_y_mm for x in lv])
        self._tp_z = np.array([x.tp_z_mm for x in lv])
        self._tp_tip = np.array([x.tp_tip_mm for x in lv])
        self._recess_y = patient.level("T12").tp_y_mm + RECESS_BELOW_T12_MM
        self._es = np.array([s.es_mm for s in patient.spec.levels]) * patient.habitus.muscle_scale
        lowest = patient.spec.level_names().index(patient.spec.soft.rhomboid_lowest)
        self._rhomboid_end_y = lv[lowest].body_y_mm + lv[lowest].body_mm / 2.0
        self._rhomboid_start_y = lv[1].tp_y_mm - 20.0
        self._ribs = [
            (s, 1.0 if s.name.endswith("right") else -1.0)
            for s in patient.solids
            if s.name.startswith("rib_")
        ]
        self._rib_lines = [s.pieces.mean(axis=1) for s, _ in self._ribs]

    def floors(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(len(LAYERS) - 1, n) depth below the skin of each layer's floor (the lung has none)."""
        p, hab, soft = self.patient, self.patient.habitus, self.patient.spec.soft
        ax = np.abs(x)
        fat = soft.skin_mm + hab.fat_mm + 0.0 * x
        trap_mm = soft.trapezius_mm * (0.7 if hab.female else 1.0)
        trap = fat + trap_mm * (1.0 - _ramp(ax, 95.0, 125.0)) * (1.0 - _ramp(y, 180.0, 215.0))
        rh_mm = soft.rhomboid_mm * (0.6 if hab.female else 1.0)
        rhomb_on = _ramp(ax, 6.0, 14.0) * (1.0 - _ramp(ax, 75.0, 90.0))
        rhomb_on *= _ramp(y, self._rhomboid_start_y, self._rhomboid_start_y + 10.0)
        rhomb_on *= 1.0 - _ramp(y, self._rhomboid_end_y - 10.0, self._rhomboid_end_y)
        rhomb = trap + 0.2 + rh_mm * rhomb_on
        es_mm = np.interp(y, self._tp_y, self._es) * (1.0 - 0.65 * _ramp(ax, 45.0, 85.0))
        medial = 1.0 - _ramp(ax, 16.0, 26.0)
        es = rhomb + 0.3 + np.maximum(es_mm - 8.0 * medial, 1.0)
        multifidus = es + 0.3 + 8.0 * medial
        skin = p.skin_z(x, y)
        pleura_top = np.maximum(self.pleura_z(x, y) - skin, multifidus + 1.0)
        deep = pleura_top
        pleura = deep + PLEURA_MM
        return np.stack([np.full_like(x, soft.skin_mm), fat, trap, rhomb, es, multifidus, deep, pleura])

    def pleura_z(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """World Z of the parietal pleura: the smooth chest wall, pushed deeper under each rib."""
        b, hab = self.patient.spec.bone, self.patient.habitus
        ax = np.abs(x)
        tp_z = np.interp(y, self._tp_y, self._tp_z)
        tip = np.interp(y, self._tp_y, self._tp_tip)
        lateral = ax - tip
        base = tp_z + hab.tp_to_pleura_mm + b.pleura_lateral_drop_mm * np.clip(lateral / 25.0, 0.0, 1.6)
        base = base + np.maximum(ax - b.rib_angle_mm, 0.0) ** 2 / 90.0
        base = base + 0.012 * np.abs(np.minimum(lateral, 0.0)) ** 3  # the paravertebral gutter [E]
        base = base + RECESS_DROP_MM * _ramp(y, self._recess_y, self._recess_y + RECESS_FALL_MM)
        for (_, sign), line in zip(self._ribs, self._rib_lines, strict=True):
            order = np.argsort(sign * line[:, 0])
            lx, ly, lz = sign * line[order, 0], line[order, 1], line[order, 2]
            on = (np.sign(x) == sign) & (ax >= lx[0]) & (ax <= lx[-1])
            if not on.any():
                continue
            cy, cz = np.interp(ax, lx, ly), np.interp(ax, lx, lz)
            dy = (y - cy) / b.rib_half_height_mm
            inside = on & (np.abs(dy) < 1.0)
            under = cz + b.rib_half_thickness_mm * np.sqrt(np.clip(1.0 - dy**2, 0.0, 1.0)) + 0.8
            base = np.where(inside, np.maximum(base, under), base)
        return base
