"""Importing exported records: idempotent merge by attempt id, seals verified, hostile files refused.

A record is accepted when it passes the typed record model and its seal holds: a skills-lab record
must carry a valid integrity code made with its session's key. A record without a seal (a trainee's
own export, or one whose seal was stripped) is refused, unless the import is asked to keep
unverified records: then it is stored marked `"unverified": true`, and listings and exports say so.
Files over the size limit or nested too deeply are refused before they are parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.errors import RecordError, TrainerError
from trainer.json_limits import read_json_file
from trainer.record import checked_record
from trainer.records.exports import RECORDS_FILE_KIND
from trainer.records.integrity import INTEGRITY_KEY, integrity_problem, unsigned
from trainer.records.sessions import list_sessions
from trainer.records.store import Merge, RecordStore

UNSEALED = "it carries no integrity code"


@dataclass(slots=True)
class ImportReport:
    """What an import did: ids added, already there, replacing a shorter copy, in conflict, and
    rejected with the reason; `unverified` lists the added ids kept without a seal."""

    source: str
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{self.source}: {len(self.added)} added, {len(self.duplicates)} already here, "
            f"{len(self.replaced)} replaced a shorter copy, {len(self.conflicts)} in conflict, "
            f"{len(self.rejected)} rejected"
            + (f"; {len(self.unverified)} added without a seal, marked unverified" if self.unverified else "")
        ]
        lines += [
            f"  conflict: attempt {a} differs from the stored one; the stored one was kept"
            for a in self.conflicts
        ]
        lines += [f"  rejected: attempt {a}: {why}" for a, why in self.rejected]
        if any(why.startswith(UNSEALED) for _, why in self.rejected):
            lines.append("  (records without a seal can be kept, marked unverified, with --unverified)")
        return "\n".join(lines)


def read_records_file(path: Path) -> list[Any]:
    """The records in an export (or a single record file, as `demo --headless` prints)."""
    try:
        body = read_json_file(Path(path))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TrainerError(f"{path}: cannot read the file ({exc})") from None
    if isinstance(body, dict) and body.get("kind") == RECORDS_FILE_KIND:
        records = body.get("records")
        if not isinstance(records, list):
            raise TrainerError(f"{path}: the export's 'records' is damaged")
        return records
    if isinstance(body, dict) and "inputs" in body:
        return [body]
    raise TrainerError(f"{path}: this is not an export of attempt records")


def import_records(store: RecordStore, path: Path, keep_unverified: bool = False) -> ImportReport:
    """Merge the records of an export into the store; importing the same file twice adds nothing."""
    report = ImportReport(Path(path).name)
    keys = {s.id: s.key for s in list_sessions(store)}
    accepted: list[dict[str, Any]] = []
    for index, item in enumerate(read_records_file(path), start=1):
        attempt_id = _label(item, index)
        try:
            accepted.append(_accept(item, keys, keep_unverified))
        except RecordError as exc:
            report.rejected.append((attempt_id, str(exc)))
    if accepted:
        outcomes = store.merge(accepted, source=f"import:{report.source}")
        for record, outcome in zip(accepted, outcomes, strict=True):
            _file(report, outcome).append(record["attempt_id"])
            if outcome == Merge.ADDED and record.get("unverified"):
                report.unverified.append(record["attempt_id"])
    return report


def _file(report: ImportReport, outcome: Merge) -> list[str]:
    return {
        Merge.ADDED: report.added,
        Merge.DUPLICATE: report.duplicates,
        Merge.REPLACED: report.replaced,
        Merge.CONFLICT: report.conflicts,
    }[outcome]


def _label(item: Any, index: int) -> str:
    attempt_id = item.get("attempt_id") if isinstance(item, dict) else None
    return attempt_id[:80] if isinstance(attempt_id, str) and attempt_id else f"#{index}"


def _accept(item: Any, keys: dict[str, str], keep_unverified: bool) -> dict[str, Any]:
    """The record to store: sealed and genuine, or (if allowed) unsealed and marked unverified."""
    if not isinstance(item, dict):
        raise RecordError("it is not a JSON object")
    record = checked_record(unsigned(item))
    problem = _seal_problem(item, keys)
    if problem == UNSEALED and keep_unverified:
        return {**record, "unverified": True}
    if problem:
        raise RecordError(problem)
    return record


def _seal_problem(item: dict[str, Any], keys: dict[str, str]) -> str | None:
    """Why the record's seal does not prove it genuine, or None if it does."""
    session_id = item.get("session_id")
    if session_id is not None and (not isinstance(session_id, str) or session_id not in keys):
        return (
            f"it belongs to session {str(session_id)[:80]}, which is not installed here "
            "(install its session file)"
        )
    if INTEGRITY_KEY not in item:
        return UNSEALED
    if session_id is None:
        return "its integrity code names a session it does not belong to"
    try:
        return integrity_problem(item, keys[session_id])
    except (TypeError, ValueError) as exc:
        return f"its integrity code cannot be checked ({exc})"
