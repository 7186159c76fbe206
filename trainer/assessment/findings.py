"""Trainee errors found in an attempt (sonoanatomy.md section 5, Sites et al. 2007), each with
when it happened and what it was about. Feedback turns them into sentences."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from trainer.assessment.facts import CLEAR_MM, HAZARD_KINDS
from trainer.assessment.metric import Metric
from trainer.events import Event, EventKind
from trainer.scenario.model import Scenario
from trainer.tissue import TissueKind

CRITICAL_CODES: dict[EventKind, str] = {
    EventKind.PLEURA_PUNCTURE: "pleura_puncture",
    EventKind.VESSEL_PUNCTURE: "arterial_puncture",
    EventKind.INJECTION: "intravascular_injection",
    EventKind.NEURAXIS_ENTRY: "neuraxis_entry",
    EventKind.FORAMEN_ENTRY: "foramen_entry",
}
# finding code -> the metric that goes beyond its allowance
OVER_ALLOWANCE: dict[str, str] = {
    "blind_advance": "blind_advance_mm",
    "probe_drift": "probe_drift_mm",
    "steep_angle": "steep_advance_mm",
    "wrong_view": "wrong_view_mm",
    "needle_out_of_plane": "needle_out_of_plane_mm",
    "redirections": "redirections",
    "extra_passes": "passes",
    "tissue_damage": "tissue_damage_mm2",
    "slow": "elapsed_time_s",
    "long_path": "path_ratio",
}
INCOMPLETE_VOLUME_PCT = 90.0
OVERDOSE_PCT = 110.0


@dataclass(frozen=True, slots=True)
class Finding:
    """One error: a code, when (attempt time, s), whether it fails the attempt, what it was about
    (a structure, plane, compartment or hazard), the amount that matters (mm, mL, count...), and
    whether it is an error gate that keeps the attempt below competent (gates.py)."""

    code: str
    time_s: float | None
    critical: bool = False
    about: str = ""
    amount: float = 0.0
    gate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "time_s": None if self.time_s is None else round(self.time_s, 3),
            "critical": self.critical,
            "about": self.about,
            "amount": round(self.amount, 3),
            "gate": self.gate,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        time_s = d["time_s"]
        return cls(
            str(d["code"]),
            None if time_s is None else float(time_s),
            bool(d["critical"]),
            str(d["about"]),
            float(d["amount"]),
            bool(d.get("gate", False)),
        )


def event_findings(events: Iterable[Event], sc: Scenario) -> list[Finding]:
    """Critical events, injections in a wrong compartment, other vessel punctures and nerve
    contacts; each kind of finding once per structure (the first time)."""
    arteries = {s.name for p in sc.planes for s in p.of_kind(TissueKind.ARTERY)}
    found: dict[tuple[str, str], Finding] = {}
    for e in events:
        code, about = _event_code(e, sc.goal.compartments, arteries)
        if code and (code, about) not in found:
            amount = e.volume_ml if e.kind == EventKind.INJECTION else 0.0
            found[code, about] = Finding(code, e.time_s, e.critical, about, amount)
    return list(found.values())


def _event_code(e: Event, goal_compartments: tuple[str, ...], arteries: set[str]) -> tuple[str, str]:
    if e.critical and e.kind == EventKind.VESSEL_PUNCTURE and e.structure not in arteries:
        return "critical_vessel_puncture", e.structure
    if e.critical:
        return CRITICAL_CODES.get(e.kind, e.kind.value), e.structure
    if e.kind == EventKind.INJECTION and e.compartment not in goal_compartments:
        code = "intramuscular_injection" if e.compartment == "intramuscular" else "wrong_compartment"
        return code, e.compartment if code == "wrong_compartment" else e.structure
    if e.kind == EventKind.VESSEL_PUNCTURE:
        return "vessel_puncture", e.structure
    if e.kind == EventKind.NERVE_CONTACT:
        return "nerve_contact", e.structure
    return "", ""


def metric_findings(
    metrics: Mapping[str, Metric], limits: Mapping[str, float], critical_hazards: set[str]
) -> list[Finding]:
    """Errors read from the metrics against the attempt's limits (thresholds.limits)."""
    found = [
        Finding(code, m.first_s, about=m.detail, amount=float(m.value))
        for code, name in OVER_ALLOWANCE.items()
        if float((m := metrics[name]).value) > limits[name]
    ]
    for hazard in HAZARD_KINDS:
        closest = metrics.get(f"closest_{hazard}_mm")  # absent where the scenario has no such hazard
        if closest is None or hazard in critical_hazards:
            continue
        if float(closest.value) < limits[f"near_miss_{hazard}_mm"]:
            found.append(Finding("near_miss", closest.first_s, about=hazard, amount=float(closest.value)))
    return found + _placement_findings(metrics, limits)


def _placement_findings(metrics: Mapping[str, Metric], limits: Mapping[str, float]) -> list[Finding]:
    found = []
    wrong_joint = metrics["wrong_joint_entries"]
    if wrong_joint.value:
        found.append(Finding("wrong_target", wrong_joint.first_s, about=wrong_joint.detail))
    orientation = metrics["orientation_error"]
    if orientation.value:
        found.append(Finding("orientation_error", orientation.first_s, about=orientation.detail))
    spread, misplaced = metrics["maldistribution"], metrics["misplaced_volume_ml"]
    if spread.value:
        found.append(Finding("maldistribution", spread.first_s, about=spread.detail))
    elif float(misplaced.value) > limits["misplaced_volume_ml"]:
        found.append(
            Finding("maldistribution", misplaced.first_s, about="misplaced", amount=float(misplaced.value))
        )
    given = metrics["injected_volume_pct"]
    if float(given.value) > OVERDOSE_PCT:
        found.append(Finding("overdose", given.first_s, amount=float(given.value)))
    on_target = float(metrics["volume_on_target_pct"].value)
    if not metrics["target_hit"].value:
        found.append(_missed(metrics))
    elif float(given.value) < INCOMPLETE_VOLUME_PCT:
        found.append(Finding("underdose", None, amount=float(given.value)))
    elif on_target < INCOMPLETE_VOLUME_PCT:
        found.append(Finding("incomplete_volume", None, amount=on_target))
    return found


def _missed(metrics: Mapping[str, Metric]) -> Finding:
    """Missed the target: by how much where the trainee injected, where the tip ended, or (with
    the needle out and nothing injected) at its closest."""
    if float(metrics["injected_volume_ml"].value):
        return Finding(
            "missed_target", None, about="injection", amount=float(metrics["tip_to_target_mm"].value)
        )
    closest = float(metrics["tip_to_target_min_mm"].value)
    now = float(metrics["tip_to_target_mm"].value)
    return Finding(
        "missed_target",
        None,
        about="end" if now < CLEAR_MM else "closest",
        amount=now if now < CLEAR_MM else closest,
    )


def critical_hazard_classes(findings: Iterable[Finding]) -> set[str]:
    """Hazard classes already reported as critical (no near-miss finding needed for them)."""
    by_code = {
        "pleura_puncture": "pleura",
        "arterial_puncture": "vessel",
        "critical_vessel_puncture": "vessel",
        "intravascular_injection": "vessel",
        "neuraxis_entry": "neuraxis",
        "foramen_entry": "neuraxis",
    }
    return {by_code[f.code] for f in findings if f.code in by_code}


def find_all(
    events: Iterable[Event], metrics: Mapping[str, Metric], limits: Mapping[str, float], sc: Scenario
) -> list[Finding]:
    """Every finding, in the order `in_order` gives."""
    from_events = event_findings(events, sc)
    return in_order(from_events + metric_findings(metrics, limits, critical_hazard_classes(from_events)))


def in_order(found: Iterable[Finding]) -> list[Finding]:
    """Critical findings first, then error gates, then the rest, each in the order they happened."""
    return sorted(found, key=lambda f: (not f.critical, not f.gate, f.time_s is None, f.time_s or 0.0))
