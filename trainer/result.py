"""The outcome of an attempt and its JSON record (inputs included, so it can be replayed).

docs/record-format.md describes the record; trainer/record.py reads one back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.actions import Action
from trainer.assessment.metric import MetricValue
from trainer.assessment.report import Report
from trainer.attempt import AttemptInfo
from trainer.events import Event
from trainer.input_codec import encode_inputs
from trainer.versions import numeric_versions

RECORD_FORMAT = 4  # 4: attempts on the 3D patient (probe turns, fans, rocks and placements among the inputs)


@dataclass(frozen=True)
class AttemptResult:
    """What `Simulation.finish()` returns: who and what, the events, the inputs that produced
    them, and the assessment's report (score, band, metrics, feedback...)."""

    scenario_id: str
    scenario_version: int
    variant: int
    seed: int
    info: AttemptInfo
    duration_s: float
    events: tuple[Event, ...]
    inputs: tuple[Action, ...]
    report: Report
    versions: dict[str, str] = field(default_factory=numeric_versions)  # what made the numbers

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def passed(self) -> bool:
        return self.report.passed

    @property
    def band(self) -> str:
        return self.report.band

    @property
    def target_reached(self) -> bool:
        return self.report.target_reached

    @property
    def metrics(self) -> dict[str, MetricValue]:
        return self.report.metrics

    @property
    def feedback(self) -> tuple[str, ...]:
        return self.report.feedback

    @property
    def strengths(self) -> tuple[str, ...]:
        return self.report.strengths

    @property
    def critical_events(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.critical)

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "format": RECORD_FORMAT,
            **self.info.to_dict(),
            "scenario": {"id": self.scenario_id, "version": self.scenario_version, "variant": self.variant},
            "seed": self.seed,
            "duration_s": round(self.duration_s, 4),
            "score": r.score,
            "band": r.band,
            "passed": r.passed,
            "target_reached": r.target_reached,
            "metrics": dict(r.metrics),
            "metric_units": dict(r.units),
            "subscores": dict(r.subscores),
            "errors": [f.to_dict() for f in r.findings],
            "events": [e.to_dict() for e in self.events],
            "feedback": list(r.feedback),
            "strengths": list(r.strengths),
            "standing": dict(r.standing),
            "input_count": len(self.inputs),
            "inputs": encode_inputs(self.inputs),
            "versions": dict(self.versions),
        }
