"""Where the needle tip is, in words, by the rule the score uses: in the target zone, or how far from
it and in what (on bone, in a muscle, in a fascial plane, in the wrong compartment). It reads the
assessment's own target and distance metrics as they stand now, so it stays live after an injection
and never says "0 mm" of a tip the score will find 0.4 mm off."""

from __future__ import annotations

from trainer.assessment.placement import TargetHit, TipToTarget
from trainer.compartment import Compartment, compartment_at
from trainer.events import EventKind
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.side_panel import Colour

WHERE: dict[Compartment, str] = {
    Compartment.FASCIAL_PLANE: "in a fascial plane",
    Compartment.INTRAMUSCULAR: "in muscle",
    Compartment.SUBCUTANEOUS: "under the skin",
    Compartment.INTRALIGAMENTOUS: "in a ligament",
    Compartment.INTRA_ARTICULAR: "in a joint",
    Compartment.INTRAVASCULAR: "in a vessel",
    Compartment.EPIDURAL: "in the neuraxis",
    Compartment.FORAMINAL: "in the foramen",
    Compartment.PLEURAL: "through the pleura",
    Compartment.PERINEURAL: "at a nerve",
    Compartment.CYSTIC: "in fluid",
    Compartment.IN_GEL: "in the gel",
}
HAZARDS = {Compartment.INTRAVASCULAR, Compartment.EPIDURAL, Compartment.FORAMINAL, Compartment.PLEURAL}


def tip_status(sim: Simulation) -> tuple[str, Colour]:
    """What the panel says about the tip, and its colour."""
    if not sim.needle.inserted:
        return "not inserted", theme.MUTED
    hit, distance = sim.assessment.by_name["target_hit"], sim.assessment.by_name["tip_to_target_mm"]
    assert isinstance(hit, TargetHit) and isinstance(distance, TipToTarget)
    if hit.now:
        return "in the target zone", theme.OK
    where, colour = _where(sim)
    return f"{distance.now:.1f} mm from the target zone, {where}", colour


def _where(sim: Simulation) -> tuple[str, Colour]:
    tip = sim.needle.tip_mm
    last = next((e for e in reversed(sim.events) if e.kind != EventKind.INJECTION), None)
    if last is not None and last.kind == EventKind.BONE_CONTACT and last.tip_mm == tip:
        return f"on bone ({last.structure.replace('_', ' ')})", theme.TEXT
    plane = sim.needle_plane
    holder = plane.structure(sim.tip_holder) if sim.tip_holder else None
    compartment, structure = compartment_at(plane, *tip, holder=holder)
    words = WHERE.get(compartment, "outside the anatomy")
    if structure is not None and compartment in (Compartment.INTRAMUSCULAR, Compartment.FASCIAL_PLANE):
        words += f" ({structure.name.replace('_', ' ')})"
    if compartment not in sim.scenario.goal.compartments:
        colour = theme.DANGER if compartment in HAZARDS else theme.WARN
        return f"{words}: the wrong compartment", colour
    return words, theme.TEXT
