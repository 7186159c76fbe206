"""Which compartment the needle tip is in: decides where injectate goes and whether it is right."""

from __future__ import annotations

from enum import StrEnum

import shapely

from trainer.scenario.model import Plane, Structure
from trainer.tissue import FIRM_BOUNDARIES, SOFT_TISSUE, TissueKind

# Within this distance of a firm boundary (bone, ligament, fascia) or of another muscle, the tip
# is in a fascial plane: injectate spreads along the plane instead of bulging in the muscle.
PLANE_MARGIN_MM = 1.5


class Compartment(StrEnum):
    FASCIAL_PLANE = "fascial_plane"
    INTRA_ARTICULAR = "intra_articular"
    INTRAMUSCULAR = "intramuscular"
    SUBCUTANEOUS = "subcutaneous"
    INTRAVASCULAR = "intravascular"
    EPIDURAL = "epidural"
    FORAMINAL = "foraminal"
    PLEURAL = "pleural"
    INTRALIGAMENTOUS = "intraligamentous"
    PERINEURAL = "perineural"
    CYSTIC = "cystic"
    IN_GEL = "in_gel"
    OUTSIDE = "outside"


_BY_KIND: dict[TissueKind, Compartment] = {
    TissueKind.SKIN: Compartment.SUBCUTANEOUS,
    TissueKind.FAT: Compartment.SUBCUTANEOUS,
    TissueKind.MUSCLE: Compartment.INTRAMUSCULAR,
    TissueKind.FASCIA: Compartment.FASCIAL_PLANE,
    TissueKind.LIGAMENT: Compartment.INTRALIGAMENTOUS,
    TissueKind.BONE: Compartment.OUTSIDE,
    TissueKind.CARTILAGE: Compartment.INTRA_ARTICULAR,
    TissueKind.PLEURA: Compartment.PLEURAL,
    TissueKind.LUNG: Compartment.PLEURAL,
    TissueKind.ARTERY: Compartment.INTRAVASCULAR,
    TissueKind.VEIN: Compartment.INTRAVASCULAR,
    TissueKind.NERVE: Compartment.PERINEURAL,
    TissueKind.NEURAXIS: Compartment.EPIDURAL,
    TissueKind.FORAMEN: Compartment.FORAMINAL,
    TissueKind.GEL: Compartment.IN_GEL,
    TissueKind.FLUID: Compartment.CYSTIC,
}


def compartment_at(
    plane: Plane, x_mm: float, z_mm: float, holder: Structure | None = None
) -> tuple[Compartment, Structure | None]:
    """The compartment at a tip position and the structure that holds the tip.

    `holder` overrides the static lookup when the caller knows what holds the tip right now
    (breathing and pulsation move some structures).
    """
    if holder is None:
        holder = plane.structure_at(x_mm, z_mm)
    if holder is None:
        return Compartment.OUTSIDE, None
    if holder.kind in (TissueKind.MUSCLE, TissueKind.FAT) and _near_plane(plane, holder, x_mm, z_mm):
        return Compartment.FASCIAL_PLANE, holder
    return _BY_KIND[holder.kind], holder


def plane_neighbour(plane: Plane, holder: Structure, x_mm: float, z_mm: float) -> Structure | None:
    """The structure across the nearest fascial plane from a tip in soft tissue, if within margin."""
    tip = shapely.Point(x_mm, z_mm)
    best: tuple[float, Structure] | None = None
    for s in plane.structures:
        if s is holder or not _forms_plane(holder, s):
            continue
        d = float(s.geometry.distance(tip))
        rank = d - (0.3 if s.kind in FIRM_BOUNDARIES else 0.0)  # bone or fascia over muscle
        if d <= PLANE_MARGIN_MM and (best is None or rank < best[0]):
            best = (rank, s)
    return best[1] if best else None


def _forms_plane(holder: Structure, other: Structure) -> bool:
    if other.kind in FIRM_BOUNDARIES:
        return True
    return other.kind == TissueKind.MUSCLE and holder.kind == TissueKind.MUSCLE


def _near_plane(plane: Plane, holder: Structure, x_mm: float, z_mm: float) -> bool:
    return holder.kind in SOFT_TISSUE and plane_neighbour(plane, holder, x_mm, z_mm) is not None
