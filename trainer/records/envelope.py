"""Tolerant readers for the fields of stored attempt records.

A record is `AttemptResult.to_dict()`; its metadata (who, when, mode, session) is the simulation's
`trainer.attempt.AttemptInfo`. Readers here accept records that lack optional keys (older formats,
records imported from elsewhere); `trainer.record.checked_record` is the check a record must pass.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def parse_time(text: str) -> datetime:
    """An ISO-8601 time as an aware UTC datetime (a time without zone is taken as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def trainee_of(record: dict[str, Any]) -> dict[str, str]:
    """{"id", "name", "programme_id"} of the record's trainee, all '' for an attempt without one."""
    who = record.get("trainee")
    if isinstance(who, dict):
        return {k: str(who.get(k, "")) for k in ("id", "name", "programme_id")}
    return {"id": "", "name": "", "programme_id": ""}


def score_of(record: dict[str, Any]) -> float | None:
    score = record.get("score")
    return float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None


def scenario_of(record: dict[str, Any]) -> tuple[str, int]:
    scenario = record.get("scenario") or {}
    return str(scenario.get("id", "")), int(scenario.get("variant", 0))


def critical_events(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in record.get("events", []) if isinstance(e, dict) and e.get("critical")]


def errors_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors the assessment found (critical first, then by time); none in older records."""
    return [e for e in record.get("errors") or [] if isinstance(e, dict) and isinstance(e.get("code"), str)]


def ended_at(record: dict[str, Any]) -> datetime:
    return parse_time(str(record["started_at"])) + timedelta(seconds=float(record.get("duration_s", 0.0)))
