"""Tolerant readers for the fields of stored attempt records, and the check a record must pass to be stored.

A record is `AttemptResult.to_dict()`; its metadata (who, when, mode, session) is the simulation's
`trainer.attempt.AttemptInfo`. Readers here accept records that lack optional keys (older formats,
records imported from elsewhere).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any


def parse_time(text: str) -> datetime:
    """An ISO-8601 time as an aware UTC datetime (a time without zone is taken as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def check_record(record: Any) -> str | None:
    """Why `record` cannot be stored (one sentence), or None if it has what the store needs."""
    if not isinstance(record, dict):
        return "it is not a JSON object"
    try:
        uuid.UUID(str(record["attempt_id"]))
        scenario = record["scenario"]
        str(scenario["id"]), int(scenario["variant"])
        parse_time(str(record["started_at"]))
        float(record["duration_s"])
    except (KeyError, TypeError, ValueError) as exc:
        return f"a required field is missing or malformed ({exc})"
    if not isinstance(record.get("inputs"), list):
        return "it has no inputs, so it cannot be replayed"
    try:
        json.dumps(record, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return f"it holds a value JSON cannot represent ({exc})"
    return None


def trainee_of(record: dict[str, Any]) -> dict[str, str]:
    who = record.get("trainee")
    if isinstance(who, dict):
        return {"id": str(who.get("id", "")), "name": str(who.get("name", ""))}
    return {"id": "", "name": ""}


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
