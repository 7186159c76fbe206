"""Who made an attempt, in which mode and difficulty, and when: the record's metadata.

This is the one home of `Trainee`, `AttemptInfo`, the modes and difficulties, and the UTC clock;
the simulation, the record readers and the records package all use them from here.
"""

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
    """Who trains. `id` is opaque and unique (a UUID for every new trainee), never derived from the
    name; `name` is kept exactly as typed, in any script; `programme_id` is the training
    programme's own id for the trainee (a student number or an email), if given."""

    id: str
    name: str
    programme_id: str = ""

    @classmethod
    def new(cls, name: str, programme_id: str = "") -> Trainee:
        """A trainee with a fresh opaque id; ValueError for a blank name."""
        if not name.strip():
            raise ValueError("a trainee needs a name")
        return cls(str(uuid.uuid4()), name.strip(), programme_id.strip())

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "programme_id": self.programme_id}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Trainee:
        """A trainee from {"id", "name", "programme_id"} (the last is optional); ValueError if a
        field is missing or not text."""
        programme_id = d.get("programme_id", "")
        if not isinstance(programme_id, str):
            raise ValueError(f"'programme_id' is damaged ({programme_id!r})")
        return cls(_text(d, "id"), _text(d, "name"), programme_id)


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    """Attempt metadata. started_at: ISO-8601 UTC, e.g. 2025-03-01T09:30:00.000Z.

    `to_dict()` gives the record's metadata keys, which are also `Simulation`'s keyword arguments.
    """

    attempt_id: str
    mode: str
    difficulty: str
    trainee: Trainee | None
    session_id: str | None
    started_at: str

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        check_difficulty(self.difficulty)

    @classmethod
    def new(
        cls,
        mode: str = "practice",
        difficulty: str = "standard",
        trainee: Trainee | Mapping[str, Any] | None = None,
        session_id: str | None = None,
        attempt_id: str | None = None,
        started_at: str | None = None,
    ) -> AttemptInfo:
        """Metadata for a new attempt: a fresh UUID and the current time unless given."""
        if isinstance(trainee, Mapping):
            trainee = Trainee.from_dict(trainee)
        return cls(
            attempt_id or str(uuid.uuid4()), mode, difficulty, trainee, session_id, started_at or utc_now()
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt_id": self.attempt_id,
            "mode": self.mode,
            "difficulty": self.difficulty,
            "trainee": self.trainee.to_dict() if self.trainee else None,
            "session_id": self.session_id,
            "started_at": self.started_at,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AttemptInfo:
        """The metadata in a record (or a journal header); ValueError names a missing or damaged field."""
        who, session_id = d.get("trainee"), d.get("session_id")
        if who is not None and not isinstance(who, Mapping):
            raise ValueError(f"'trainee' is damaged ({who!r})")
        if session_id is not None and not isinstance(session_id, str):
            raise ValueError(f"'session_id' is damaged ({session_id!r})")
        return cls(
            _text(d, "attempt_id"),
            _text(d, "mode"),
            _text(d, "difficulty"),
            None if who is None else Trainee.from_dict(who),
            session_id,
            _text(d, "started_at"),
        )


def _text(d: Mapping[str, Any], key: str) -> str:
    value = d.get(key)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is missing or damaged ({value!r})")
    return value


def utc_iso(moment: datetime) -> str:
    """A time as ISO-8601 UTC with milliseconds and a Z, as records store it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> str:
    return utc_iso(datetime.now(UTC))


__all__ = ["DIFFICULTIES", "MODES", "AttemptInfo", "Trainee", "utc_iso", "utc_now"]
