"""The journal of the attempt in progress: a header, then every input, one JSON line each.

Each input is handed to the operating system as it happens (a killed process loses nothing) and the
file is forced to disk about once a second (a power loss loses at most the last second). Replaying
the inputs rebuilds the attempt, so the journal is all that is needed to recover it. An owner file and
a heartbeat say which computer and process write it (`journal_owner`), so a laptop sharing the data
folder never recovers an attempt that is still running elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from trainer.actions import Action
from trainer.attempt import AttemptInfo
from trainer.errors import TrainerError
from trainer.record_migrations import legacy_trainee
from trainer.records.journal_owner import Heartbeat, Owner, owner_path, release
from trainer.records.paths import atomic_write_text, sync_folder

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
    """Append-only journal file for one attempt, owned by this process while it is open."""

    def __init__(self, path: Path, header: JournalHeader, inputs: Sequence[Action] = ()) -> None:
        """Start the journal; with `inputs`, write it afresh holding them (after a write failure)."""
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(owner_path(path), Owner.me().text())
        lines = [header.to_dict(), *(a.to_list() for a in inputs)]
        if inputs:  # never append after a line a full disk may have cut short
            atomic_write_text(path, "".join(_line(item) for item in lines))
        self._file: IO[str] | None = open(path, "a" if inputs else "x", encoding="utf-8")  # noqa: SIM115
        self._synced_at = float("-inf")
        if not inputs:
            self._write(lines[0])
        self.sync()
        sync_folder(path.parent)
        self._heartbeat = Heartbeat(path)

    @property
    def lost(self) -> bool:
        """Whether the journal file disappeared under us (another computer recovered it)."""
        return self._heartbeat.lost.is_set()

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
        """Close the file, whatever state a write error left it in; `discard` removes it and its owner
        file (the attempt is safely stored elsewhere)."""
        self._heartbeat.stop()
        file, self._file = self._file, None
        if file is not None:
            with contextlib.suppress(OSError):  # a full disk fails the flush inside close()
                file.close()
        if discard:
            self.path.unlink(missing_ok=True)
            release(self.path)

    def _write(self, item: Any) -> None:
        if self._file is None:
            raise TrainerError(f"{self.path}: the journal is closed")
        self._file.write(_line(item))
        self._file.flush()


def _line(item: Any) -> str:
    return json.dumps(item, separators=(",", ":")) + "\n"


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
