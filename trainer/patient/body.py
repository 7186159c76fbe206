"""Build the 3D patient from the anatomy data file and a variant number.

The patient is prone: X lateral (+ the patient's right), Y caudal, Z into the body, in mm, with T5's
vertebral body centre at Y = 0. Bones, joints, vessels, nerves and the neuraxis are solids made of
convex pieces (trainer/patient/solids.py); the skin and the soft-tissue layers are depth fields
(trainer/patient/layers.py). Variant 0 is the reference adult of the data file; any other number draws
a habitus, kyphosis, size, sex, pleural depth and artery course from its own seeded generator.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from trainer.patient import skeleton
from trainer.patient.solids import Solid, pad
from trainer.patient.spec import AnatomySpec, load_anatomy


@dataclass(frozen=True)
class Habitus:
    """The choices that make one variant."""

    female: bool
    fat_mm: float
    muscle_scale: float
    kyphosis_scale: float
    size_scale: float
    tp_to_pleura_mm: float
    artery_exposed_mm: float
    tortuosity_mm: float
    adamkiewicz_side: str
    adamkiewicz_level: str


@dataclass(frozen=True)
class Level:
    """One vertebra's placement: body centre Y, TP centre Y, TP tip X and the TP's posterior depth Z."""

    name: str
    body_y_mm: float
    body_mm: float
    disc_mm: float
    tp_y_mm: float
    tp_tip_mm: float
    tp_z_mm: float
    spinous_deg: float


@dataclass(frozen=True, eq=False)
class Patient:
    """One variant's patient; compared and hashed by identity (caches key on it)."""

    variant: int
    habitus: Habitus
    spec: AnatomySpec
    levels: tuple[Level, ...]
    spine_y_mm: np.ndarray  # samples of the spine's posterior line ...
    spine_z_mm: np.ndarray  # ... for the kyphosis
    solids: tuple[Solid, ...] = field(repr=False)
    pieces: np.ndarray = field(repr=False)  # every piece of every solid, stacked
    owner: np.ndarray = field(repr=False)  # index of the solid each piece belongs to

    # ------------------------------------------------------------------ surface
    def spine_z(self, y_mm: np.ndarray | float) -> np.ndarray:
        return np.interp(y_mm, self.spine_y_mm, self.spine_z_mm)

    def skin_z(self, x_mm: np.ndarray | float, y_mm: np.ndarray | float) -> np.ndarray:
        """World Z of the skin: the kyphotic spine line, the back's curve and the midline groove."""
        return _skin(self.spec, self.spine_y_mm, self.spine_z_mm, x_mm, y_mm)

    def skin_normal(self, x_mm: float, y_mm: float) -> np.ndarray:
        """Unit normal into the body at a skin point."""
        h = 0.5
        dzdx = float(self.skin_z(x_mm + h, y_mm) - self.skin_z(x_mm - h, y_mm)) / (2 * h)
        dzdy = float(self.skin_z(x_mm, y_mm + h) - self.skin_z(x_mm, y_mm - h)) / (2 * h)
        n = np.array([-dzdx, -dzdy, 1.0])
        return n / np.linalg.norm(n)

    def skin_point(self, x_mm: float, y_mm: float) -> np.ndarray:
        return np.array([x_mm, y_mm, float(self.skin_z(x_mm, y_mm))])

    # ------------------------------------------------------------------ levels
    def level(self, name: str) -> Level:
        for lv in self.levels:
            if lv.name == name:
                return lv
        raise KeyError(name)

    def level_at(self, y_mm: float) -> str:
        """The vertebra whose TP row is nearest this cranio-caudal position."""
        return min(self.levels, key=lambda lv: abs(lv.tp_y_mm - y_mm)).name

    def level_on_beam(self, contact: np.ndarray, beam: np.ndarray) -> str:
        """The vertebra whose TP row a beam from a skin point meets at the TPs' depth: on the sloping
        upper back that is not the level straight under the skin point."""
        ys = np.array([lv.tp_y_mm for lv in self.levels])
        zs = np.array([lv.tp_z_mm for lv in self.levels])
        y = float(contact[1])
        for _ in range(4):
            t = (float(np.interp(y, ys, zs)) - float(contact[2])) / max(float(beam[2]), 0.5)
            y = float(contact[1] + t * beam[1])
        return self.level_at(y)

    @property
    def y_range_mm(self) -> tuple[float, float]:
        first, last = self.levels[0], self.levels[-1]
        return first.body_y_mm - first.body_mm / 2.0, last.body_y_mm + last.body_mm / 2.0


def draw_habitus(spec: AnatomySpec, variant: int) -> Habitus:
    """Variant 0 is the data file's reference adult; others draw from their own seeded stream."""
    var, soft = spec.variation, spec.soft
    if variant == 0:
        return Habitus(False, soft.fat_mm, 1.0, 1.0, 1.0, spec.bone.tp_to_pleura_mm, 39.0, 0.0, "left", "T9")
    rng = np.random.default_rng([variant, zlib.crc32(b"thoracic patient")])
    female = bool(rng.random() < var.female_share)
    lo, hi = var.fat_mm
    fat = float(np.exp(rng.uniform(math.log(lo), math.log(hi))))
    muscle = float(rng.uniform(*var.muscle_scale)) * (0.9 if female else 1.0)
    size = float(rng.uniform(*var.size_scale)) * (0.96 if female else 1.0)
    names = spec.level_names()
    low = [n for n in names if n in ("T8", "T9", "T10", "T11", "T12", "L1")]
    return Habitus(
        female=female,
        fat_mm=fat,
        muscle_scale=muscle,
        kyphosis_scale=float(rng.uniform(*var.kyphosis_scale)),
        size_scale=size,
        tp_to_pleura_mm=float(rng.uniform(*var.tp_to_pleura_mm)),
        artery_exposed_mm=float(rng.uniform(*var.artery_exposed_mm)),
        tortuosity_mm=float(rng.uniform(0.0, 3.0)),
        adamkiewicz_side="left" if rng.random() < var.adamkiewicz_left else "right",
        adamkiewicz_level=str(rng.choice(low)),
    )


def build_patient(variant: int = 0, spec: AnatomySpec | None = None) -> Patient:
    spec = spec or load_anatomy()
    hab = draw_habitus(spec, variant)
    spine_y, spine_z = _spine_line(spec, hab)
    levels = _place_levels(spec, hab, spine_y, spine_z)
    gradient = np.gradient(spine_z, spine_y)
    solids = skeleton.build_solids(
        spec,
        hab,
        levels,
        lambda x, y: _skin(spec, spine_y, spine_z, x, y),
        lambda y: float(np.interp(y, spine_y, gradient)),
    )
    pieces = [s.pieces for s in solids]
    stacked = pad(pieces)
    owner = np.concatenate([np.full(len(p), i) for i, p in enumerate(pieces)])
    return Patient(variant, hab, spec, tuple(levels), spine_y, spine_z, tuple(solids), stacked, owner)


@lru_cache(maxsize=6)
def patient_for(variant: int) -> Patient:
    """The patient of a variant, built once per process for the most recent few."""
    return build_patient(variant)


def _skin(
    spec: AnatomySpec,
    spine_y: np.ndarray,
    spine_z: np.ndarray,
    x_mm: np.ndarray | float,
    y_mm: np.ndarray | float,
) -> np.ndarray:
    """World Z of the skin (the one formula the patient and its builder share)."""
    x = np.asarray(x_mm, float)
    groove = spec.soft.groove_mm * np.exp(-((x / 25.0) ** 2))
    return np.interp(y_mm, spine_y, spine_z) + x**2 / (2.0 * spec.soft.back_radius_mm) + groove


def _spine_line(spec: AnatomySpec, hab: Habitus) -> tuple[np.ndarray, np.ndarray]:
    """The skin's midline profile along Y: kyphosis bends it, highest (least Z) at the apex."""
    ys, angles = [], []
    y, angle = 0.0, 0.0
    for lv in spec.levels:
        ys.append(y)
        angles.append(angle)
        y += (lv.body_mm + lv.disc_mm) * hab.size_scale
        angle += lv.kyphosis_deg * hab.kyphosis_scale
    ys.append(y)
    angles.append(angle)
    y_arr, a_arr = np.array(ys), np.radians(angles)
    apex = a_arr[len(a_arr) // 2]
    dense_y = np.linspace(y_arr[0] - 40.0, y_arr[-1] + 40.0, 400)
    slope = np.tan(np.interp(dense_y, y_arr, a_arr) - apex)
    z = np.concatenate([[0.0], np.cumsum(0.5 * (slope[1:] + slope[:-1]) * np.diff(dense_y))])
    t5 = _t5_centre(spec, hab)
    z -= np.interp(t5, dense_y, z)
    return dense_y - t5, z


def _t5_centre(spec: AnatomySpec, hab: Habitus) -> float:
    y = 0.0
    for lv in spec.levels:
        if lv.name == "T5":
            return y + lv.body_mm * hab.size_scale / 2.0
        y += (lv.body_mm + lv.disc_mm) * hab.size_scale
    return y / 2.0


def _place_levels(spec: AnatomySpec, hab: Habitus, spine_y: np.ndarray, spine_z: np.ndarray) -> list[Level]:
    soft = spec.soft
    lowest = spec.level_names().index(soft.rhomboid_lowest)
    trapezius = soft.trapezius_mm * (0.7 if hab.female else 1.0)  # 3.4 vs 4.9 mm [P Hung 2010]
    rhomboid = soft.rhomboid_mm * (0.6 if hab.female else 1.0)  # 3.8 vs 6.3 mm [P Hung 2010]
    levels, y = [], -_t5_centre(spec, hab)
    probe_x = 28.0  # the ESP probe's lateral offset, where the TP depth is anchored
    for i, lv in enumerate(spec.levels):
        s = hab.size_scale
        body = lv.body_mm * s
        centre = y + body / 2.0
        pedicle = centre - body / 2.0 + 6.0 * s  # pedicles leave the upper body [E]
        tp_y = pedicle + lv.tp_rise_mm * s
        over = soft.skin_mm + hab.fat_mm + trapezius + (rhomboid if 1 <= i <= lowest else 0.0)
        depth = over + lv.es_mm * hab.muscle_scale
        skin = float(np.interp(tp_y, spine_y, spine_z)) + probe_x**2 / (2.0 * soft.back_radius_mm)
        levels.append(
            Level(lv.name, centre, body, lv.disc_mm * s, tp_y, lv.tp_tip_mm * s, skin + depth, lv.spinous_deg)
        )
        y += body + lv.disc_mm * s
    return levels
