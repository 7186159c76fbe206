"""Skills-lab sessions: a roster, the scenarios, fixed exam settings, a shared key and an optional PIN.

The instructor creates the session on one laptop and writes a session file; copying that file to every
lab laptop (USB stick or shared folder) and installing it there shares the roster, the settings and the
session key that seals exported results. The PIN is stored only as a scrypt hash.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from trainer.attempt import DIFFICULTIES, Trainee, utc_now
from trainer.errors import TrainerError
from trainer.json_limits import read_json_file
from trainer.record_migrations import legacy_trainee
from trainer.records.integrity import canonical_json, hash_pin, new_session_key, pin_matches
from trainer.records.paths import atomic_write_text, contained_path, safe_file_stem
from trainer.records.store import RecordStore
from trainer.records.trainees import matched_roster, one_of
from trainer.scenario import load_scenario
from trainer.simulation import Simulation

SESSION_FILE_KIND = "thoracic-trainer-session"
SESSION_FILE_FORMAT = 2  # 2: roster trainees have opaque ids and programme ids
OWNER_ONLY = 0o600
SESSION_KEY = re.compile(r"[0-9a-f]{64}")


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
    def from_dict(cls, d: Mapping[str, Any]) -> SkillsLabSession:
        """A session from its stored or exported form; ValueError (or KeyError, TypeError) names what
        is damaged. Roster trainees written before opaque ids get them as their records do."""
        roster = tuple(Trainee.from_dict(_current_trainee(t)) for t in _typed(d, "roster", list))
        key = _typed(d, "key", str)
        if not SESSION_KEY.fullmatch(key):
            raise ValueError("the session key is damaged (64 hexadecimal digits are expected)")
        pin = d.get("pin")
        if pin is not None and not isinstance(pin, dict):
            raise ValueError("the session's PIN hash is damaged")
        return cls(
            id=_typed(d, "id", str),
            name=_typed(d, "name", str),
            scenarios=tuple(_typed(s, "scenario", str) for s in _typed(d, "scenarios", list)),
            roster=roster,
            variant=_typed(d, "variant", int),
            seed=_typed(d, "seed", int),
            difficulty=_typed(d, "difficulty", str),
            created_at=_typed(d, "created_at", str),
            key=key,
            pin=pin,
        )

    def sign_in(self, who: str, programme_id: str = "") -> Trainee:
        """The roster trainee with this id, or this name (and programme id, when given or when two
        share the name); names compare without case or spacing differences."""
        try:
            return one_of(self.roster, who, programme_id, f"on the roster of session '{self.name}'")
        except TrainerError as exc:
            raise exc if "give the programme ID" in str(exc) else self._not_on_roster(who) from None

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
        tuple(matched_roster(store.trainees(), roster)),
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
            "INSERT OR IGNORE INTO trainees (trainee_id, name, created_at, programme_id) VALUES (?, ?, ?, ?)",
            [(t.id, t.name, utc_now(), t.programme_id) for t in session.roster],
        )


def load_session(store: RecordStore, session_id: str) -> SkillsLabSession:
    row = (
        store.connection().execute("SELECT body FROM sessions WHERE session_id = ?", (session_id,)).fetchone()
    )
    if row is None:
        raise TrainerError(f"no session '{session_id}' here: install its session file first")
    session = _parsed(row["body"])
    if isinstance(session, str):
        raise TrainerError(f"session '{session_id}' is damaged ({session}): install its session file again")
    return session


def list_sessions(store: RecordStore) -> list[SkillsLabSession]:
    """The sessions installed here; a damaged one is left out with a notice on the store."""
    sessions = []
    for row in store.connection().execute("SELECT session_id, body FROM sessions").fetchall():
        session = _parsed(row["body"])
        if isinstance(session, str):
            store.notices.append(
                f"Session {row['session_id']} is damaged ({session}); install its session file again."
            )
        else:
            sessions.append(session)
    return sorted(sessions, key=lambda s: s.created_at)


def _parsed(body: str) -> SkillsLabSession | str:
    """The session in a stored body, or why it cannot be read."""
    try:
        return SkillsLabSession.from_dict(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        return str(exc) or type(exc).__name__


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
    path = contained_path(folder, name or f"{safe_file_stem(session.name, 'session').lower()}.session.json")
    body = {"kind": SESSION_FILE_KIND, "format": SESSION_FILE_FORMAT, "session": session.to_dict()}
    atomic_write_text(path, json.dumps(body, indent=2), mode=OWNER_ONLY)
    return path


def install_session_file(store: RecordStore, path: Path, pin: str | None = None) -> SkillsLabSession:
    """Install a session file on this laptop; replacing different settings of a protected session
    needs its PIN."""
    try:
        body = read_json_file(Path(path))
        if not isinstance(body, dict) or body.get("kind") != SESSION_FILE_KIND:
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


def _current_trainee(entry: Any) -> Mapping[str, Any]:
    """A roster entry at the current trainee form (one without a programme id predates opaque ids)."""
    if isinstance(entry, Mapping) and "programme_id" not in entry:
        return legacy_trainee(entry)
    return entry if isinstance(entry, Mapping) else {}


def _typed(d: Any, key: str, kind: type) -> Any:
    value = d.get(key) if isinstance(d, Mapping) else d
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"the session's '{key}' is missing or damaged")
    return value
