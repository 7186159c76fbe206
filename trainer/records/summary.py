"""Summaries of many attempts: recurring errors, and the instructor's cohort table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from trainer.records.envelope import errors_of, scenario_of, score_of, trainee_of
from trainer.records.error_labels import error_label
from trainer.records.spreadsheet import csv_text

COHORT_COLUMNS = (
    "trainee_id",
    "trainee_name",
    "scenario",
    "attempts",
    "best_score",
    "last_score",
    "pass_rate_pct",
    "commonest_errors",
)


def error_labels(record: dict[str, Any]) -> list[str]:
    """The labels of the errors the assessment found in the attempt, each once, critical ones first."""
    return list(dict.fromkeys(error_label(e["code"]) for e in errors_of(record)))


def recurring_errors(records: list[dict[str, Any]], top: int = 5) -> list[tuple[str, int]]:
    """The errors (by the assessment's error code) made in the most attempts, with the number of
    attempts that made each; among equally frequent ones, the first found comes first (critical
    errors lead an attempt's list)."""
    counts = Counter(label for record in records for label in error_labels(record))
    return counts.most_common(top)


@dataclass(frozen=True, slots=True)
class CohortRow:
    trainee_id: str
    trainee_name: str
    scenario: str
    attempts: int
    best_score: float | None
    last_score: float | None
    pass_rate_pct: float
    commonest_errors: tuple[tuple[str, int], ...]

    def cells(self) -> list[Any]:
        errors = "; ".join(f"{label} x{n}" for label, n in self.commonest_errors)
        return [
            self.trainee_id,
            self.trainee_name,
            self.scenario,
            self.attempts,
            self.best_score,
            self.last_score,
            self.pass_rate_pct,
            errors,
        ]


def cohort_summary(records: list[dict[str, Any]]) -> list[CohortRow]:
    """One row per trainee and scenario, by trainee name then scenario."""

    def key(r: dict[str, Any]) -> tuple[str, str, str]:
        who = trainee_of(r)
        return who["name"].casefold(), who["id"], scenario_of(r)[0]

    ordered = sorted(records, key=lambda r: (key(r), str(r.get("started_at", ""))))
    return [_row(list(group)) for _, group in groupby(ordered, key=key)]


def _row(attempts: list[dict[str, Any]]) -> CohortRow:
    who = trainee_of(attempts[-1])
    scores = [s for s in map(score_of, attempts) if s is not None]
    passes = sum(bool(r.get("passed")) for r in attempts)
    return CohortRow(
        who["id"],
        who["name"] or "(anonymous)",
        scenario_of(attempts[0])[0],
        len(attempts),
        max(scores) if scores else None,
        score_of(attempts[-1]),
        round(100.0 * passes / len(attempts), 1),
        tuple(recurring_errors(attempts, top=3)),
    )


def cohort_csv_text(rows: list[CohortRow]) -> str:
    return csv_text(COHORT_COLUMNS, (row.cells() for row in rows))
