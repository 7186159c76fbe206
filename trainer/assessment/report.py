"""The assessment's outcome for an attempt: metrics, score, band, findings, feedback, standing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from trainer.assessment.engine import Assessment
from trainer.assessment.feedback import sentence
from trainer.assessment.findings import Finding, find_all, in_order
from trainer.assessment.gates import apply_gates, gated
from trainer.assessment.metric import MetricValue
from trainer.assessment.reference import standing
from trainer.assessment.score import score
from trainer.assessment.strengths import strengths
from trainer.assessment.thresholds import limits
from trainer.events import Event


@dataclass(frozen=True)
class Report:
    """Everything the results screen and the record show about an attempt's quality."""

    metrics: dict[str, MetricValue]
    units: dict[str, str]
    subscores: dict[str, float]
    score: float
    band: str
    passed: bool
    findings: tuple[Finding, ...] = ()
    feedback: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    standing: dict[str, float] = field(default_factory=dict)

    @property
    def target_reached(self) -> bool:
        return bool(self.metrics.get("target_hit", False))


def report(assessment: Assessment, events: Iterable[Event], difficulty: str) -> Report:
    """Score and explain the attempt as it stands now."""
    sc = assessment.facts.scenario
    values = assessment.values()
    allowed = limits(difficulty, assessment.facts.target_clearance_mm)
    metrics = assessment.by_name
    findings = in_order(
        apply_gates(find_all(events, metrics, allowed, sc), metrics, allowed, assessment.facts)
    )
    result = score(values, allowed, gated(findings))
    better = {m.name: m.better for m in assessment.metrics}
    return Report(
        metrics=values,
        units=assessment.units(),
        subscores=result.subscores,
        score=result.composite,
        band=result.band,
        passed=result.passed,
        findings=tuple(findings),
        feedback=tuple(sentence(f, assessment.facts, allowed) for f in findings),
        strengths=tuple(strengths(values, findings, assessment.facts, result.subscores)),
        standing=standing(sc.id, sc.version, values, better),
    )
