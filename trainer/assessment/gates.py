"""Error gates: quality-compromising behaviours that keep an attempt below competent whatever its
composite (issue 12). Published checklists treat each of them as compromising the block's quality
(the resident errors of Sites et al. 2007, sonoanatomy.md section 5); a weighted sum alone let a
blind advance through 37 mm of tissue score "excellent".

A gate is a Finding with `gate=True`: where the error is already a finding (a blind advance beyond
its allowance, an intramuscular injection) the gate marks that finding; otherwise it adds one. The
score caps a gated attempt just below the pass mark (score.GATE_CAP_SCORE). Critical events are
not gates: they fail the attempt outright.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from trainer.assessment.facts import ScenarioFacts
from trainer.assessment.findings import Finding
from trainer.assessment.metric import Metric

# Overdose: more than this share of the procedure's planned volume (ESP: 30 mL for 20 mL planned,
# the top of the published 20-30 mL range, sonoanatomy.md section 1).
OVERDOSE_GATE_PCT = 150.0
# Injecting on through a maldistribution: more than this after it showed (at least MIN mL).
MALDISTRIBUTION_REACTION_SHARE = 0.1
MALDISTRIBUTION_REACTION_MIN_ML = 0.25
# A misplaced injection beyond a test dose: the test-dose allowance, at most this share of the volume.
TEST_DOSE_SHARE = 0.5
# The finding a misplaced injection gate marks, first found first (a new one if none is there).
MISPLACED_CODES = ("intramuscular_injection", "wrong_compartment", "maldistribution")

Metrics = Mapping[str, Metric]
Limits = Mapping[str, float]
Check = Callable[[Metrics, Limits, ScenarioFacts, list[Finding]], Finding | None]


def _value(metrics: Metrics, name: str) -> float:
    return float(metrics[name].value)


def _gate(metrics: Metrics, name: str, code: str, about: str = "") -> Finding:
    m = metrics[name]
    return Finding(code, m.first_s, about=about or m.detail, amount=float(m.value), gate=True)


def blind_advance(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """Advancing with the tip unseen beyond a stated distance, or for too large a share of the
    travel once past the allowance."""
    blind = _value(metrics, "blind_advance_mm")
    share_low = _value(metrics, "tip_visible_pct") < limits["gate_tip_visible_pct"]
    if blind > limits["gate_blind_advance_mm"] or (blind > limits["blind_advance_mm"] and share_low):
        return _gate(metrics, "blind_advance_mm", "blind_advance")
    return None


def lost_by_probe(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """Probe movement that lost the needle, and advancing on without it."""
    if _value(metrics, "lost_by_probe_mm") > limits["gate_lost_by_probe_mm"]:
        return _gate(metrics, "lost_by_probe_mm", "needle_lost_by_probe")
    return None


def poor_entry(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """An entry site or angle that kept the needle out of view: long unseen from the skin, or
    advanced steep (a steep plain needle sends little echo back)."""
    if _value(metrics, "unseen_entry_mm") > limits["gate_unseen_entry_mm"]:
        return _gate(metrics, "unseen_entry_mm", "poor_entry", about="unseen")
    if _value(metrics, "steep_advance_mm") > limits["gate_steep_advance_mm"]:
        return _gate(metrics, "steep_advance_mm", "poor_entry", about="steep")
    return None


def tissue_damage(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """Redirecting at depth, sweeping the shaft through tissue (the sloppy redirector): beyond a
    stated area, or past the allowance by swinging the shaft again and again without withdrawing
    (a shallow target sweeps less area for the same handling)."""
    swept = _value(metrics, "tissue_damage_mm2")
    swung = _value(metrics, "tissue_drags") > limits["gate_tissue_drags"]
    if swept > limits["gate_tissue_damage_mm2"] or (swept > limits["tissue_damage_mm2"] and swung):
        return _gate(metrics, "tissue_damage_mm2", "tissue_damage")
    return None


def misplaced_injection(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """Injecting more than a test dose with the tip in muscle, another wrong compartment or the
    wrong plane."""
    dose = min(limits["misplaced_volume_ml"], TEST_DOSE_SHARE * facts.scenario.goal.volume_ml)
    if _value(metrics, "misplaced_volume_ml") <= dose:
        return None
    wrong = next((f for code in MISPLACED_CODES for f in found if f.code == code), None)
    if wrong is None:
        return _gate(metrics, "misplaced_volume_ml", "wrong_compartment")
    return replace(wrong, gate=True)


def injected_through_maldistribution(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """Going on injecting after the injectate showed it was going where it should not."""
    reaction_ml = max(
        MALDISTRIBUTION_REACTION_MIN_ML, MALDISTRIBUTION_REACTION_SHARE * facts.scenario.goal.volume_ml
    )
    after = metrics["injected_after_maldistribution_ml"]
    if float(after.value) > reaction_ml:
        spread = metrics["maldistribution"]
        return Finding(
            "injected_through_maldistribution",
            spread.first_s,
            about=spread.detail,
            amount=float(after.value),
            gate=True,
        )
    return None


def overdose(metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]) -> Finding | None:
    if _value(metrics, "injected_volume_pct") > OVERDOSE_GATE_PCT:
        return _gate(metrics, "injected_volume_pct", "overdose")
    return None


def wrong_level(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    if "wrong_level" in metrics and metrics["wrong_level"].value:
        return _gate(metrics, "wrong_level", "wrong_level")
    return None


def orientation_missed(
    metrics: Metrics, limits: Limits, facts: ScenarioFacts, found: list[Finding]
) -> Finding | None:
    """The image was mirrored to test orientation and the trainee went on without noticing."""
    m = metrics["orientation_error"]
    if m.detail == "missed":
        return Finding("orientation_error", m.first_s, about="missed", gate=True)
    return None


GATES: tuple[Check, ...] = (
    blind_advance,
    lost_by_probe,
    poor_entry,
    tissue_damage,
    misplaced_injection,
    injected_through_maldistribution,
    overdose,
    wrong_level,
    orientation_missed,
)


def apply_gates(
    found: list[Finding], metrics: Metrics, limits: Limits, facts: ScenarioFacts
) -> list[Finding]:
    """The findings with every gate that closed: a gate replaces the finding of the same code."""
    gates = [g for check in GATES if (g := check(metrics, limits, facts, found)) is not None]
    codes = {g.code for g in gates}
    return [f for f in found if f.code not in codes] + gates


def gated(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.gate and not f.critical for f in findings)
