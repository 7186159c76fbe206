"""Who made an attempt, in which mode and difficulty, and when: the record's metadata."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from trainer.assessment.thresholds import DIFFICULTIES, check_difficulty

MODES = ("practice", "exam", "demo")


@dataclass(frozen=True, slots=True)
class Trainee:
    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    """Attempt metadata. started_at: ISO-8601 UTC, e.g. 2025-03-01T09:30:00.000Z."""

    attempt_id: str
    mode: str
    difficulty: str
    trainee: Trainee | None
    session_id: str | None
    started_at: str

    @classmethod
    def new(cls, mode: str = "practice", difficulty: str = "standard",
            trainee: Trainee | Mapping[str, Any] | None = None, session_id: str | None = None,
            attempt_id: str | None = None, started_at: str | None = None) -> AttemptInfo:
        """Metadata for a new attempt: a fresh UUID and the current time unless given."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if isinstance(trainee, Mapping):
            trainee = Trainee(str(trainee["id"]), str(trainee["name"]))
        return cls(attempt_id or str(uuid.uuid4()), mode, check_difficulty(difficulty), trainee,
                   session_id, started_at or utc_now())


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


__all__ = ["DIFFICULTIES", "MODES", "AttemptInfo", "Trainee", "utc_now"]
