"""The attempt record's envelope: who, when, which session, and tolerant readers for its fields.

The record itself comes from `AttemptResult.to_dict()`; the recorder adds who did it and when. Readers
here accept records that lack optional keys (older formats, recovered attempts).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# The metrics that exports and summaries show as columns, in order. Absent keys are left blank, so
# the list may name metrics the assessment engine adds later. This is the one place to change it.
KEY_METRICS: tuple[str, ...] = (
    "elapsed_time_s", "path_length_mm", "path_in_tissue_mm", "time_in_tissue_s",
    "potential_tissue_damage_mm2", "redirections", "passes", "tip_to_target_mm",
    "min_tip_to_target_mm", "target_hit", "tip_visible_advancing_pct", "blind_advances",
    "probe_drift_mm", "closest_pleura_mm", "closest_vessel_mm", "closest_neuraxis_mm",
    "injectate_distribution", "insertion_angle_deg",
)

MODES = ("practice", "exam", "demo")
DIFFICULTIES = ("guided", "standard", "exam")


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """An ISO-8601 time as an aware UTC datetime (a time without zone is taken as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Trainee:
    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class AttemptContext:
    """What the game knows about an attempt that the simulation does not: who, when, in which mode."""

    trainee: Trainee | None = None
    mode: str = "practice"
    difficulty: str = "standard"
    session_id: str | None = None
    attempt_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started_at: str = field(default_factory=utc_now_iso)

    def __post_init__(self) -> None:
        if self.mode not in MODES or self.difficulty not in DIFFICULTIES:
            raise ValueError(f"mode must be one of {MODES} and difficulty one of {DIFFICULTIES}")

    def to_dict(self) -> dict[str, Any]:
        return {"attempt_id": self.attempt_id, "trainee": self.trainee and self.trainee.to_dict(),
                "session_id": self.session_id, "mode": self.mode, "difficulty": self.difficulty,
                "started_at": self.started_at}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AttemptContext:
        who = d.get("trainee")
        trainee = Trainee(str(who["id"]), str(who["name"])) if isinstance(who, dict) else None
        return cls(trainee=trainee, mode=str(d["mode"]), difficulty=str(d["difficulty"]),
                   session_id=d.get("session_id"), attempt_id=str(d["attempt_id"]),
                   started_at=str(d["started_at"]))

    def stamp(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record with this context's envelope fields (the context knows best who and when)."""
        return {**record, **self.to_dict()}


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


def ended_at(record: dict[str, Any]) -> datetime:
    return parse_time(str(record["started_at"])) + timedelta(seconds=float(record.get("duration_s", 0.0)))
