"""The journal of the attempt in progress: a header, then every input, one JSON line each.

Each input is handed to the operating system as it happens (a killed process loses nothing) and the
file is forced to disk about once a second (a power loss loses at most the last second). Replaying
the inputs rebuilds the attempt, so the journal is all that is needed to recover it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from trainer.actions import Action
from trainer.attempt import AttemptInfo
from trainer.errors import TrainerError
from trainer.record_migrations import legacy_trainee
from trainer.records.paths import sync_folder

JOURNAL_DIR = "journal"
JOURNAL_SUFFIX = ".journal"
SYNC_INTERVAL_S = 1.0


@dataclass(frozen=True, slots=True)
class JournalHeader:
    """The first line: what is needed to rebuild the simulation. Its "context" key holds the
    attempt's metadata, `AttemptInfo.to_dict()` (the same keys journals have always had there)."""

    info: AttemptInfo
    scenario_id: str
    variant: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "context": self.info.to_dict(),
            "scenario_id": self.scenario_id,
            "variant": self.variant,
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JournalHeader:
        """The header; a trainee written before opaque ids gets one, as its records do."""
        context = dict(d["context"])
        who = context.get("trainee")
        if isinstance(who, dict) and "programme_id" not in who:
            context["trainee"] = legacy_trainee(who)
        return cls(AttemptInfo.from_dict(context), str(d["scenario_id"]), int(d["variant"]), int(d["seed"]))


class AttemptJournal:
    """Append-only journal file for one attempt."""

    def __init__(self, path: Path, header: JournalHeader) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = open(path, "x", encoding="utf-8")  # noqa: SIM115 (kept open)
        self._synced_at = float("-inf")
        self._write(header.to_dict())
        self.sync()
        sync_folder(path.parent)

    def append(self, action: Action) -> None:
        self._write(action.to_list())
        if time.monotonic() - self._synced_at >= SYNC_INTERVAL_S:
            self.sync()

    def sync(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._synced_at = time.monotonic()

    def close(self, discard: bool) -> None:
        """Close the file; `discard` removes it (the attempt is safely stored elsewhere)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if discard:
            self.path.unlink(missing_ok=True)

    def _write(self, item: Any) -> None:
        if self._file is None:
            raise TrainerError(f"{self.path}: the journal is closed")
        self._file.write(json.dumps(item, separators=(",", ":")) + "\n")
        self._file.flush()


def journal_path(data_dir: Path, attempt_id: str) -> Path:
    return data_dir / JOURNAL_DIR / f"{attempt_id}{JOURNAL_SUFFIX}"


def read_journal(path: Path) -> tuple[JournalHeader, list[Action]]:
    """The header and inputs of a journal; a torn last line (cut off by the crash) is ignored."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
        header = JournalHeader.from_dict(json.loads(lines[0]))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise TrainerError(f"{path}: the journal's header is unreadable ({exc})") from None
    actions: list[Action] = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            actions.append(Action.from_list(json.loads(line)))
        except (ValueError, TypeError) as exc:
            if any(rest.strip() for rest in lines[number:]):
                raise TrainerError(f"{path}: line {number} is damaged ({exc})") from None
            break  # only the last line is torn: the crash cut it off
    return header, actions
