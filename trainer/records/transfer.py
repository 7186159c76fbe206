"""Importing exported records: idempotent merge by attempt id, sealed session records verified first."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.records.envelope import check_record
from trainer.records.exports import RECORDS_FILE_KIND
from trainer.records.integrity import INTEGRITY_KEY, integrity_problem, unsigned
from trainer.records.sessions import list_sessions
from trainer.records.store import Merge, RecordStore


@dataclass(slots=True)
class ImportReport:
    """What an import did: ids added, already there, in conflict, and rejected with the reason."""

    source: str
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{self.source}: {len(self.added)} added, {len(self.duplicates)} already here, "
            f"{len(self.conflicts)} in conflict, {len(self.rejected)} rejected"
        ]
        lines += [
            f"  conflict: attempt {a} differs from the stored one; the stored one was kept"
            for a in self.conflicts
        ]
        lines += [f"  rejected: attempt {a}: {why}" for a, why in self.rejected]
        return "\n".join(lines)


def read_records_file(path: Path) -> list[Any]:
    """The records in an export (or a single record file, as `demo --headless` prints)."""
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TrainerError(f"{path}: cannot read the file ({exc})") from None
    if isinstance(body, dict) and body.get("kind") == RECORDS_FILE_KIND:
        return list(body.get("records") or [])
    if isinstance(body, dict) and "inputs" in body:
        return [body]
    raise TrainerError(f"{path}: this is not an export of attempt records")


def import_records(store: RecordStore, path: Path) -> ImportReport:
    """Merge the records of an export into the store; importing the same file twice adds nothing."""
    report = ImportReport(Path(path).name)
    keys = {s.id: s.key for s in list_sessions(store)}
    accepted: list[dict[str, Any]] = []
    for index, item in enumerate(read_records_file(path), start=1):
        attempt_id = str(item.get("attempt_id", f"#{index}")) if isinstance(item, dict) else f"#{index}"
        problem = _problem(item, keys)
        if problem:
            report.rejected.append((attempt_id, problem))
        else:
            accepted.append(unsigned(item))
    if accepted:
        outcomes = store.merge(accepted, source=f"import:{report.source}")
        for record, outcome in zip(accepted, outcomes, strict=True):
            {Merge.ADDED: report.added, Merge.DUPLICATE: report.duplicates, Merge.CONFLICT: report.conflicts}[
                outcome
            ].append(record["attempt_id"])
    return report


def _problem(item: Any, keys: dict[str, str]) -> str | None:
    """Why a record from a file is refused: malformed, or a session record that is not genuine."""
    problem = check_record(item)
    if problem:
        return problem
    session_id = item.get("session_id")
    if session_id is None:
        return "its integrity code names a session it does not belong to" if INTEGRITY_KEY in item else None
    if session_id not in keys:
        return f"it belongs to session {session_id}, which is not installed here (install its session file)"
    return integrity_problem(item, keys[session_id])
