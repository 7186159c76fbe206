"""What went well, in plain sentences, so feedback is not only a list of faults."""

from __future__ import annotations

from collections.abc import Mapping

from trainer.assessment.facts import CLEAR_MM, HAZARD_KINDS, ScenarioFacts
from trainer.assessment.findings import Finding
from trainer.assessment.metric import MetricValue

VISIBLE_PCT = 95.0
ON_TARGET_PCT = 90.0


def strengths(
    m: Mapping[str, MetricValue],
    findings: list[Finding],
    facts: ScenarioFacts,
    subscores: Mapping[str, float],
) -> list[str]:
    """Sentences for what the trainee did well (only things a needle was in the body for)."""
    if not m["passes"]:
        return []
    codes = {f.code for f in findings}
    lo, hi = facts.scenario.approach.angle_range_deg
    found = []
    if "blind_advance" not in codes and float(m["tip_visible_pct"]) >= VISIBLE_PCT:
        found.append(
            f"You kept the needle tip in view for {float(m['tip_visible_pct']):.0f} % of its forward travel."
        )
    if m["target_hit"] and m["passes"] == 1 and m["redirections"] == 0:
        found.append("You reached the target in one pass, without redirecting.")
    if not any(f.critical or f.code in ("near_miss", "vessel_puncture", "nerve_contact") for f in findings):
        found.append("You stayed clear of every hazard" + _closest(m) + ".")
    if m["injectate_distribution"] == "correct" and float(m["volume_on_target_pct"]) >= ON_TARGET_PCT:
        found.append("Your injectate went where it should, with the planned volume on the target.")
    if m["probe_drift_mm"] == 0.0:
        found.append("You held the probe steady while the needle was in.")
    if lo <= float(m["entry_angle_deg"]) <= hi:
        found.append(
            f"Your entry angle of {float(m['entry_angle_deg']):.0f} deg was within the "
            f"recommended {lo:.0f}-{hi:.0f} deg."
        )
    if m["target_hit"] and not m["critical_events"] and subscores["efficiency"] >= 100.0:
        found.append(f"You worked efficiently: {float(m['elapsed_time_s']):.0f} s, with a direct path.")
    return found


def _closest(m: Mapping[str, MetricValue]) -> str:
    parts = [
        f"{h} {float(m[f'closest_{h}_mm']):.1f} mm"
        for h in HAZARD_KINDS
        if float(m.get(f"closest_{h}_mm", CLEAR_MM)) < CLEAR_MM
    ]
    return f" (closest: {', '.join(parts)})" if parts else ""
