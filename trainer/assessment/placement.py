"""Metrics of where the needle and the injectate ended up: target, distance, angles, distribution."""

from __future__ import annotations

from trainer.assessment.facts import CLEAR_MM
from trainer.assessment.metric import Metric, MetricValue, Total
from trainer.assessment.sample import Sample
from trainer.compartment import Compartment
from trainer.events import EventKind
from trainer.tissue import TissueKind

CORRECT_SHARE = 0.9
# Goal compartments reached off target get a name that says so.
_OFF_TARGET = {"fascial_plane": "wrong_plane", "intra_articular": "wrong_joint"}
_SPREAD_HAZARDS = {
    TissueKind.NEURAXIS: "epidural",
    TissueKind.FORAMEN: "foraminal",
    TissueKind.PLEURA: "pleural",
    TissueKind.LUNG: "pleural",
}


def injection_class(s: Sample) -> str:
    """Where this sample's injection went: "correct", or what was wrong with it."""
    assert s.injection is not None
    compartment = s.injection.compartment
    if compartment in s.facts.scenario.goal.compartments:
        return "correct" if s.tip_in_target else _OFF_TARGET.get(compartment, "off_target")
    return compartment


class TargetHit(Metric):
    """Injected with the tip in the target zone; before any injection, the tip is there now."""

    name, unit, better = "target_hit", "bool", "higher"

    def __init__(self) -> None:
        super().__init__()
        self.injected_on_target = False
        self.injected = False
        self.now = False

    def update(self, s: Sample) -> None:
        self.now = s.tip_in_target
        if s.injection is not None:
            self.injected = True
            self.injected_on_target |= s.tip_in_target

    @property
    def value(self) -> MetricValue:
        return self.injected_on_target if self.injected else self.now


class TipToTarget(Metric):
    """Tip-to-target distance at injection (averaged over the injected volume); before any
    injection, the distance now."""

    name, unit = "tip_to_target_mm", "mm"

    def __init__(self) -> None:
        super().__init__()
        self.weighted = 0.0
        self.volume_ml = 0.0
        self.now = CLEAR_MM

    def update(self, s: Sample) -> None:
        self.now = s.place.target_distance_mm
        if s.injection is not None:
            self.weighted += self.now * s.injected_ml
            self.volume_ml += s.injected_ml

    @property
    def value(self) -> MetricValue:
        return self.weighted / self.volume_ml if self.volume_ml else self.now


class TipToTargetMin(Metric):
    """Smallest tip-to-target distance over the attempt."""

    name, unit = "tip_to_target_min_mm", "mm"

    def __init__(self) -> None:
        super().__init__()
        self.closest = CLEAR_MM

    def update(self, s: Sample) -> None:
        self.closest = min(self.closest, s.place.target_distance_mm)

    @property
    def value(self) -> MetricValue:
        return self.closest


class EntryAngle(Metric):
    """The shaft's angle to the skin at the latest skin puncture."""

    name, unit, better = "entry_angle_deg", "deg", None

    def __init__(self) -> None:
        super().__init__()
        self.deg = 0.0

    def update(self, s: Sample) -> None:
        if s.count(EventKind.SKIN_PUNCTURE):
            self.deg = s.after.skin_angle_deg

    @property
    def value(self) -> MetricValue:
        return self.deg


class TargetAngle(EntryAngle):
    """The shaft's angle to the skin at the latest injection (before any, while inserted: now)."""

    name = "target_angle_deg"

    def __init__(self) -> None:
        super().__init__()
        self.injected = False

    def update(self, s: Sample) -> None:
        if s.injection is not None or (s.inserted and not self.injected):
            self.deg = s.after.skin_angle_deg
            self.injected |= s.injection is not None


class InjectedVolume(Total):
    """Total volume injected."""

    name, unit, better = "injected_volume_ml", "mL", None

    def amount(self, s: Sample) -> float:
        return s.injected_ml


class InjectedVolumeShare(Total):
    """Total volume injected as a share of the procedure's planned volume (over 100: an overdose)."""

    name, unit, better = "injected_volume_pct", "%", None

    def amount(self, s: Sample) -> float:
        return 100.0 * s.injected_ml / s.facts.scenario.goal.volume_ml


class MisplacedVolume(Total):
    """Volume injected anywhere but on target in a right compartment."""

    name, unit = "misplaced_volume_ml", "mL"

    def amount(self, s: Sample) -> float:
        if s.injection is None or injection_class(s) == "correct":
            return 0.0
        self.note(s, injection_class(s))
        return s.injected_ml


class VolumeOnTarget(Total):
    """Volume injected on target in a right compartment, as a share of the planned volume."""

    name, unit, better = "volume_on_target_pct", "%", "higher"

    def amount(self, s: Sample) -> float:
        if s.injection is None or injection_class(s) != "correct":
            return 0.0
        return 100.0 * s.injected_ml / s.facts.scenario.goal.volume_ml


class Maldistribution(Metric):
    """Injectate beyond where it belongs: a joint capsule overflowing, or fluid spreading onto
    the neuraxis, the foramen or the pleura. `detail` says which."""

    name, unit = "maldistribution", "bool"

    def __init__(self) -> None:
        super().__init__()
        self.found = ""

    def update(self, s: Sample) -> None:
        if s.injection is None or self.found:
            return
        self.found = spread_hazard(s) or (
            "overflow" if any(b.overflowing for b in s.injectate.boluses) else ""
        )
        if self.found:
            self.note(s, self.found)

    @property
    def value(self) -> MetricValue:
        return bool(self.found)


class InjectedThroughMaldistribution(Total):
    """Volume injected after the maldistribution was there to see (later inputs than the one that
    caused it): going on injecting instead of stopping."""

    name, unit = "injected_after_maldistribution_ml", "mL"

    def __init__(self, spread: Maldistribution) -> None:
        super().__init__()
        self.spread = spread  # fed by the assessment before this metric, read here

    def amount(self, s: Sample) -> float:
        if s.injection is None or self.spread.first_s is None or self.spread.first_s >= s.time_s:
            return 0.0
        return s.injected_ml


class WrongLevel(Metric):
    """Injected at the target's spot of another vertebral level (the TP of T4 instead of T5):
    `detail` names that level (facts.wrong_level_at: the 3D patient's own levels)."""

    name, unit = "wrong_level", "bool"

    def __init__(self) -> None:
        super().__init__()
        self.level = ""

    def update(self, s: Sample) -> None:
        if s.injection is None or self.level:
            return
        x, z = s.after.tip_mm
        self.level = s.facts.wrong_level_at(s.plane, x, s.after.tip_y_mm, z)
        if self.level:
            self.note(s, self.level)

    @property
    def value(self) -> MetricValue:
        return bool(self.level)


def spread_hazard(s: Sample) -> str:
    """The distribution class of injectate touching the neuraxis, foramen or pleura, if any. A joint
    capsule within its capacity holds its injectate: a distended costovertebral capsule lies against
    the pleura without any fluid reaching it (the overflow, past capacity, is a maldistribution)."""
    hazards = [h for h in s.plane.structures if h.kind in _SPREAD_HAZARDS]
    for bolus in s.injectate.boluses:
        if bolus.compartment == Compartment.INTRA_ARTICULAR and not bolus.overflowing:
            continue
        shape = bolus.geometry()
        for h in hazards:
            if h.name != bolus.structure and shape.intersects(h.geometry):
                return _SPREAD_HAZARDS[h.kind]
    return ""


class InjectateDistribution(Metric):
    """Class of the injectate's distribution: "none", "correct" (90 % or more on target in a
    right compartment), "epidural"/"foraminal"/"pleural" (spread onto a hazard), "overflow",
    or where the largest misplaced volume went (e.g. "intramuscular", "wrong_plane")."""

    name, unit, better = "injectate_distribution", "class", None

    def __init__(self, spread: Maldistribution) -> None:
        super().__init__()
        self.volumes: dict[str, float] = {}
        self.spread = spread  # fed by the assessment, read here

    def update(self, s: Sample) -> None:
        if s.injection is not None:
            key = injection_class(s)
            self.volumes[key] = self.volumes.get(key, 0.0) + s.injected_ml

    @property
    def value(self) -> MetricValue:
        total = sum(self.volumes.values())
        if not total:
            return "none"
        if self.spread.found:
            return self.spread.found
        if self.volumes.get("correct", 0.0) >= CORRECT_SHARE * total:
            return "correct"
        return max((v, k) for k, v in self.volumes.items() if k != "correct")[1]
