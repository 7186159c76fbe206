"""The composite score: four sub-scores, each 100 minus capped deductions, weighted once, here.

Every rule reads one reported metric, so an instructor can recompute the score from the metric
table by hand. docs/scoring.md states the same weights, rules and bands; a test checks they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trainer.assessment.metric import MetricValue

WEIGHTS: dict[str, float] = {"accuracy": 45.0, "safety": 25.0, "technique": 20.0, "efficiency": 10.0}
PASS_MARK = 70.0
# An attempt with an error gate (gates.py) scores at most this: below the pass mark and competent.
GATE_CAP_SCORE = 69.0
# (lowest score, band), best first; an attempt with a critical event is "unsafe" whatever its score.
BANDS: tuple[tuple[float, str], ...] = (
    (85.0, "excellent"),
    (70.0, "competent"),
    (50.0, "developing"),
    (0.0, "novice"),
)
UNSAFE_BAND = "unsafe"


@dataclass(frozen=True, slots=True)
class Rule:
    """Points off a sub-score: `points` per unit of the metric beyond (or, if `below`, short of)
    the limit, at most `cap`. The limit is a number or the name of one of the attempt's limits
    (thresholds.limits: allowances per difficulty and near-miss margins)."""

    subscore: str
    metric: str
    points: float
    cap: float
    limit: str | float
    below: bool = False

    def deduction(self, value: MetricValue, limits: Mapping[str, float]) -> float:
        limit = limits[self.limit] if isinstance(self.limit, str) else self.limit
        units = limit - float(value) if self.below else float(value) - limit
        return min(self.cap, self.points * max(0.0, units))


RULES: tuple[Rule, ...] = (
    Rule("accuracy", "target_hit", 30.0, 30.0, 1.0, below=True),
    Rule("accuracy", "tip_to_target_mm", 5.0, 30.0, "tip_to_target_mm"),
    Rule("accuracy", "volume_on_target_pct", 0.4, 40.0, 100.0, below=True),
    Rule("accuracy", "maldistribution", 20.0, 20.0, 0.0),
    Rule("accuracy", "misplaced_volume_ml", 10.0, 20.0, "misplaced_volume_ml"),
    Rule("accuracy", "wrong_joint_entries", 15.0, 30.0, 0.0),
    Rule("accuracy", "injected_volume_pct", 1.0, 30.0, 110.0),
    Rule("safety", "critical_events", 100.0, 100.0, 0.0),
    Rule("safety", "closest_pleura_mm", 8.0, 25.0, "near_miss_pleura_mm", below=True),
    Rule("safety", "closest_vessel_mm", 8.0, 25.0, "near_miss_vessel_mm", below=True),
    Rule("safety", "closest_neuraxis_mm", 8.0, 25.0, "near_miss_neuraxis_mm", below=True),
    Rule("safety", "pleura_contacts", 10.0, 20.0, 0.0),
    Rule("safety", "vessel_punctures", 30.0, 60.0, 0.0),
    Rule("safety", "nerve_contacts", 10.0, 20.0, 0.0),
    Rule("technique", "blind_advance_mm", 3.0, 40.0, "blind_advance_mm"),
    Rule("technique", "probe_drift_mm", 5.0, 20.0, "probe_drift_mm"),
    Rule("technique", "steep_advance_mm", 2.0, 20.0, "steep_advance_mm"),
    Rule("technique", "wrong_view_mm", 3.0, 30.0, "wrong_view_mm"),
    Rule("technique", "needle_out_of_plane_mm", 2.0, 20.0, "needle_out_of_plane_mm"),
    Rule("technique", "redirections", 5.0, 20.0, "redirections"),
    Rule("technique", "passes", 10.0, 30.0, "passes"),
    Rule("technique", "tissue_damage_mm2", 0.1, 20.0, "tissue_damage_mm2"),
    Rule("efficiency", "elapsed_time_s", 0.25, 50.0, "elapsed_time_s"),
    Rule("efficiency", "path_ratio", 100.0, 50.0, "path_ratio"),
)


@dataclass(frozen=True, slots=True)
class Score:
    """`composite`: the weighted sum of the sub-scores, at most GATE_CAP_SCORE when gated;
    `weighted`: the weighted sum before that cap."""

    subscores: dict[str, float]
    composite: float
    band: str
    passed: bool
    weighted: float


def subscores(metrics: Mapping[str, MetricValue], limits: Mapping[str, float]) -> dict[str, float]:
    """Each sub-score: 100 minus its rules' deductions, never below 0 (a rule whose metric does
    not apply to the scenario takes nothing off)."""
    lost = dict.fromkeys(WEIGHTS, 0.0)
    for rule in RULES:
        if rule.metric in metrics:
            lost[rule.subscore] += rule.deduction(metrics[rule.metric], limits)
    return {name: round(max(0.0, 100.0 - points), 2) for name, points in lost.items()}


def band_for(composite: float, critical: bool) -> str:
    if critical:
        return UNSAFE_BAND
    return next(name for lowest, name in BANDS if composite >= lowest)


def score(metrics: Mapping[str, MetricValue], limits: Mapping[str, float], gated: bool = False) -> Score:
    """Composite 0-100, band and pass: a pass needs no critical event, the target reached, and a
    composite at the pass mark or above. An error gate (`gated`) caps the composite at
    GATE_CAP_SCORE, so the band is below competent and the attempt does not pass."""
    subs = subscores(metrics, limits)
    weighted = round(sum(WEIGHTS[k] * subs[k] for k in WEIGHTS) / 100.0, 2)
    composite = min(weighted, GATE_CAP_SCORE) if gated else weighted
    critical = bool(metrics["critical_events"])
    passed = not critical and bool(metrics["target_hit"]) and composite >= PASS_MARK
    return Score(subs, composite, band_for(composite, critical), passed, weighted)
