"""Skills-lab sessions: a roster, the scenarios, fixed exam settings, a shared key and an optional PIN.

The instructor creates the session on one laptop and writes a session file; copying that file to every
lab laptop (USB stick or shared folder) and installing it there shares the roster, the settings and the
session key that seals exported results. The PIN is stored only as a scrypt hash.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from trainer.attempt import DIFFICULTIES, Trainee, utc_now
from trainer.errors import TrainerError
from trainer.records.integrity import canonical_json, hash_pin, new_session_key, pin_matches
from trainer.records.paths import atomic_write_text, contained_path
from trainer.records.store import RecordStore
from trainer.scenario import load_scenario
from trainer.simulation import Simulation

SESSION_FILE_KIND = "thoracic-trainer-session"
SESSION_FILE_FORMAT = 1
OWNER_ONLY = 0o600


class PinError(TrainerError):
    """The instructor PIN is missing or wrong."""


@dataclass(frozen=True, slots=True)
class SkillsLabSession:
    """One session: everyone takes the same scenarios on the same anatomical variant and seed."""

    id: str
    name: str
    scenarios: tuple[str, ...]
    roster: tuple[Trainee, ...]
    variant: int = 0
    seed: int = 0
    difficulty: str = "exam"
    created_at: str = field(default_factory=utc_now)
    key: str = field(default_factory=new_session_key, repr=False)
    pin: dict[str, Any] | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "scenarios": list(self.scenarios),
            "roster": [t.to_dict() for t in self.roster],
            "variant": self.variant,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "created_at": self.created_at,
            "key": self.key,
            "pin": self.pin,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SkillsLabSession:
        roster = tuple(Trainee.from_dict(t) for t in d["roster"])
        return cls(
            id=str(d["id"]),
            name=str(d["name"]),
            scenarios=tuple(map(str, d["scenarios"])),
            roster=roster,
            variant=int(d["variant"]),
            seed=int(d["seed"]),
            difficulty=str(d["difficulty"]),
            created_at=str(d["created_at"]),
            key=str(d["key"]),
            pin=d.get("pin"),
        )

    def sign_in(self, who: str) -> Trainee:
        """The roster trainee with this id or name (names compare without case)."""
        for t in self.roster:
            if who == t.id or who.strip().casefold() == t.name.casefold():
                return t
        raise self._not_on_roster(who)

    def simulation(self, scenario_id: str, trainee: Trainee) -> Simulation:
        """A new exam attempt by a signed-in trainee at one of the session's scenarios: the session's
        variant, seed and difficulty, recorded with the session's id."""
        if scenario_id not in self.scenarios:
            raise TrainerError(f"'{scenario_id}' is not one of this session's scenarios")
        if trainee not in self.roster:
            raise self._not_on_roster(trainee.name)
        return Simulation(
            load_scenario(scenario_id, variant=self.variant),
            seed=self.seed,
            mode="exam",
            difficulty=self.difficulty,
            trainee=trainee,
            session_id=self.id,
        )

    def _not_on_roster(self, who: str) -> TrainerError:
        return TrainerError(f"'{who}' is not on the roster of session '{self.name}'")

    def check_pin(self, pin: str | None) -> None:
        if self.pin is None:
            return
        if not pin:
            raise PinError(f"session '{self.name}' is protected: the instructor PIN is required")
        if not pin_matches(pin, self.pin):
            raise PinError("the instructor PIN is wrong")


def create_session(
    store: RecordStore,
    name: str,
    scenarios: list[str],
    roster: list[Trainee],
    variant: int = 0,
    seed: int = 0,
    difficulty: str = "exam",
    pin: str | None = None,
) -> SkillsLabSession:
    """Create and store a session; every scenario must exist with the chosen variant."""
    if not roster:
        raise TrainerError("a session needs at least one trainee on its roster")
    if difficulty not in DIFFICULTIES:
        raise TrainerError(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
    if not scenarios:
        raise TrainerError("a session needs at least one scenario")
    for sid in scenarios:
        load_scenario(sid, variant=variant)
    session = SkillsLabSession(
        str(uuid.uuid4()),
        name.strip() or "Skills lab",
        tuple(scenarios),
        tuple(roster),
        variant,
        seed,
        difficulty,
        pin=hash_pin(pin) if pin else None,
    )
    save_session(store, session)
    return session


def save_session(store: RecordStore, session: SkillsLabSession) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO sessions VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET body = excluded.body",
            (session.id, canonical_json(session.to_dict())),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO trainees VALUES (?, ?, ?)",
            [(t.id, t.name, utc_now()) for t in session.roster],
        )


def load_session(store: RecordStore, session_id: str) -> SkillsLabSession:
    row = (
        store.connection().execute("SELECT body FROM sessions WHERE session_id = ?", (session_id,)).fetchone()
    )
    if row is None:
        raise TrainerError(f"no session '{session_id}' here: install its session file first")
    return SkillsLabSession.from_dict(json.loads(row["body"]))


def list_sessions(store: RecordStore) -> list[SkillsLabSession]:
    rows = store.connection().execute("SELECT body FROM sessions").fetchall()
    sessions = [SkillsLabSession.from_dict(json.loads(r["body"])) for r in rows]
    return sorted(sessions, key=lambda s: s.created_at)


def update_session(store: RecordStore, session_id: str, pin: str | None, **changes: Any) -> SkillsLabSession:
    """Change a session's settings (name, scenarios, roster, variant, seed, difficulty) with the PIN."""
    session = load_session(store, session_id)
    session.check_pin(pin)
    unknown = set(changes) - {"name", "scenarios", "roster", "variant", "seed", "difficulty"}
    if unknown:
        raise TrainerError(f"a session has no setting {', '.join(sorted(unknown))}")
    updated = replace(session, **changes)
    save_session(store, updated)
    return updated


def delete_attempt(store: RecordStore, attempt_id: str, pin: str | None = None) -> bool:
    """Delete an attempt; one taken in a PIN-protected session needs the instructor PIN."""
    session_id = store.attempt_session(attempt_id)
    if session_id is not None:
        try:
            session = load_session(store, session_id)
        except TrainerError:
            session = None
        if session is not None:
            session.check_pin(pin)
    return store.delete_attempt(attempt_id)


def write_session_file(session: SkillsLabSession, folder: Path, name: str | None = None) -> Path:
    """The file to copy to each lab laptop. It holds the session key: hand it to lab laptops only."""
    path = contained_path(folder, name or f"{_slug(session.name)}.session.json")
    body = {"kind": SESSION_FILE_KIND, "format": SESSION_FILE_FORMAT, "session": session.to_dict()}
    atomic_write_text(path, json.dumps(body, indent=2), mode=OWNER_ONLY)
    return path


def install_session_file(store: RecordStore, path: Path, pin: str | None = None) -> SkillsLabSession:
    """Install a session file on this laptop; replacing different settings of a protected session
    needs its PIN."""
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
        if body.get("kind") != SESSION_FILE_KIND:
            raise ValueError("not a session file")
        session = SkillsLabSession.from_dict(body["session"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise TrainerError(f"{path}: cannot read the session file ({exc})") from None
    try:
        existing: SkillsLabSession | None = load_session(store, session.id)
    except TrainerError:
        existing = None
    if existing is not None and existing != session:
        existing.check_pin(pin)
    save_session(store, session)
    return session


def _slug(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.strip().lower()).strip("-")
    return "-".join(part for part in cleaned.split("-") if part) or "session"
