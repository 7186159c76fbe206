"""Safety metrics: closest approach to each hazard class (near misses), contacts and punctures."""

from __future__ import annotations

from trainer.assessment.facts import CLEAR_MM, HAZARD_KINDS, ScenarioFacts
from trainer.assessment.metric import Better, Count, Metric, MetricValue
from trainer.assessment.sample import Sample
from trainer.events import EventKind


class ClosestApproach(Metric):
    """Smallest margin between the tip and the pleura, a vessel or the neuraxis over the attempt
    (0 on contact; 50 means 50 mm or more, or none in the scenario)."""

    unit, better = "mm", "higher"

    def __init__(self, hazard: str) -> None:
        super().__init__(name=f"closest_{hazard}_mm")
        self.hazard = hazard
        self.closest = CLEAR_MM

    def update(self, s: Sample) -> None:
        margins = s.place.hazard_margins_mm
        if margins is not None and margins[self.hazard] < self.closest:
            self.closest = margins[self.hazard]
            self.first_s = s.time_s  # when the closest approach happened

    @property
    def value(self) -> MetricValue:
        return self.closest


class EventCount(Count):
    """How many events of some kinds happened; `detail` names the first structure involved."""

    def __init__(
        self, name: str, *kinds: EventKind, critical_only: bool = False, better: Better = "lower"
    ) -> None:
        super().__init__(name, better=better)
        self.kinds = kinds
        self.critical_only = critical_only

    def amount(self, s: Sample) -> float:
        found = [e for e in s.events if e.kind in self.kinds and (e.critical or not self.critical_only)]
        if found:
            self.note(s, found[0].structure)
        return len(found)


class WrongJointEntries(Count):
    """Entries of the tip into a joint other than the target's (the wrong target)."""

    name = "wrong_joint_entries"

    def amount(self, s: Sample) -> float:
        entered = [
            e.structure
            for e in s.events
            if e.kind == EventKind.ENTER
            and s.plane.has(e.structure)
            and s.facts.is_wrong_joint(s.plane.structure(e.structure), s.plane)
        ]
        if entered:
            self.note(s, entered[0])
        return len(entered)


def hazard_metrics(facts: ScenarioFacts) -> list[Metric]:
    """Closest approach, contacts and punctures for each hazard class the scenario has: a metric
    that cannot apply (the pleura in the gel phantom) is absent, not a number."""
    present = facts.hazard_classes
    found: list[Metric] = [ClosestApproach(h) for h in HAZARD_KINDS if h in present]
    if "pleura" in present:
        found += [
            EventCount("pleura_contacts", EventKind.PLEURA_CONTACT),
            EventCount("pleura_punctures", EventKind.PLEURA_PUNCTURE),
        ]
    if "vessel" in present:
        found += [
            EventCount("vessel_contacts", EventKind.VESSEL_CONTACT),
            EventCount("vessel_punctures", EventKind.VESSEL_PUNCTURE),
        ]
    if facts.has_nerves:
        found.append(EventCount("nerve_contacts", EventKind.NERVE_CONTACT))
    if "neuraxis" in present:
        found.append(EventCount("neuraxis_entries", EventKind.NEURAXIS_ENTRY, EventKind.FORAMEN_ENTRY))
    return found


def contact_metrics() -> list[Metric]:
    """Counts of events every scenario can have."""
    return [
        EventCount("bone_contacts", EventKind.BONE_CONTACT, better=None),  # often desired
        EventCount("tissue_drags", EventKind.TISSUE_DRAG),
        EventCount("critical_events", *EventKind, critical_only=True),
        WrongJointEntries(),
    ]
