"""Tissue kinds and their acoustic defaults (sonoanatomy reference, section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TissueKind(StrEnum):
    """Every kind of structure a scenario may contain."""

    SKIN = "skin"
    FAT = "fat"
    MUSCLE = "muscle"
    FASCIA = "fascia"
    LIGAMENT = "ligament"
    BONE = "bone"
    CARTILAGE = "cartilage"
    PLEURA = "pleura"
    LUNG = "lung"
    ARTERY = "artery"
    VEIN = "vein"
    NERVE = "nerve"
    NEURAXIS = "neuraxis"
    FORAMEN = "foramen"
    GEL = "gel"
    FLUID = "fluid"


VESSELS = frozenset({TissueKind.ARTERY, TissueKind.VEIN})
SOFT_TISSUE = frozenset({TissueKind.SKIN, TissueKind.FAT, TissueKind.MUSCLE, TissueKind.GEL})
FIRM_BOUNDARIES = frozenset({TissueKind.BONE, TissueKind.LIGAMENT, TissueKind.FASCIA})
BREATHING = frozenset({TissueKind.PLEURA, TissueKind.LUNG})


@dataclass(frozen=True, slots=True)
class Acoustics:
    """Acoustic defaults of one tissue kind.

    attenuation_db_cm_mhz: one-way attenuation; impedance_mrayl: characteristic impedance;
    backscatter: relative speckle amplitude (1 = muscle); specular: how mirror-like its surface is.
    """

    attenuation_db_cm_mhz: float
    impedance_mrayl: float
    backscatter: float
    specular: float


# Attenuation and impedance from the reference table (Diagnostics 2023, Sensors 2023); backscatter
# and specularity are rendering estimates tuned to the textbook look of each tissue.
ACOUSTICS: dict[TissueKind, Acoustics] = {
    TissueKind.SKIN: Acoustics(0.35, 1.99, 2.2, 0.3),
    TissueKind.FAT: Acoustics(0.70, 1.39, 0.35, 0.1),
    TissueKind.MUSCLE: Acoustics(1.10, 1.68, 0.85, 0.2),
    TissueKind.FASCIA: Acoustics(1.57, 1.85, 2.4, 0.8),
    TissueKind.LIGAMENT: Acoustics(1.57, 1.90, 1.9, 0.7),
    TissueKind.BONE: Acoustics(18.0, 7.0, 4.0, 0.6),
    TissueKind.CARTILAGE: Acoustics(0.60, 1.70, 0.18, 0.2),
    TissueKind.PLEURA: Acoustics(1.50, 1.70, 2.0, 0.9),
    TissueKind.LUNG: Acoustics(40.0, 0.0004, 0.5, 1.0),
    TissueKind.ARTERY: Acoustics(0.18, 1.61, 0.02, 0.3),
    TissueKind.VEIN: Acoustics(0.18, 1.61, 0.02, 0.3),
    TissueKind.NERVE: Acoustics(1.00, 1.65, 1.1, 0.4),
    TissueKind.NEURAXIS: Acoustics(0.50, 1.60, 0.12, 0.3),
    TissueKind.FORAMEN: Acoustics(0.90, 1.62, 0.55, 0.2),
    TissueKind.GEL: Acoustics(0.50, 1.55, 0.7, 0.0),
    TissueKind.FLUID: Acoustics(0.01, 1.50, 0.01, 0.2),
}

# Outer diameter per needle gauge in mm (sonoanatomy reference, section 4, and standard tables).
GAUGE_OUTER_DIAMETER_MM: dict[int, float] = {
    17: 1.47,
    18: 1.27,
    19: 1.07,
    20: 0.91,
    21: 0.82,
    22: 0.72,
    23: 0.64,
    24: 0.57,
    25: 0.51,
    26: 0.46,
    27: 0.41,
}
