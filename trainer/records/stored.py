"""Attempt rows: a record written into the store with a checksum, and read back checked.

Reading never lets one bad row stop the others: a row whose checksum, JSON or fields are damaged is
moved out of the database into `damaged/records/` with a notice (quarantined); a row written by a
newer trainer is left alone and skipped with a notice.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import RecordError
from trainer.json_limits import loads_limited
from trainer.record import checked_record
from trainer.record_migrations import NewerRecordError, is_uuid
from trainer.records.envelope import score_of, trainee_of
from trainer.records.integrity import canonical_json
from trainer.records.paths import atomic_write_text, unused_path
from trainer.records.schema import meta_value, set_meta
from trainer.result import RECORD_FORMAT

QUARANTINE_DIR = Path("damaged") / "records"
COLUMNS = (
    "attempt_id, trainee_id, session_id, scenario_id, started_at, score, passed, source, record, checksum"
)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_values(record: dict[str, Any], source: str) -> tuple[Any, ...]:
    """The attempts row of a checked record, in COLUMNS order."""
    text = canonical_json(record)
    return (
        record["attempt_id"],
        trainee_of(record)["id"] or None,
        record.get("session_id"),
        str(record["scenario"]["id"]),
        str(record["started_at"]),
        score_of(record),
        int(bool(record.get("passed"))),
        source,
        text,
        checksum(text),
    )


def write_row(conn: sqlite3.Connection, record: dict[str, Any], source: str) -> None:
    """Insert the record's row, or replace the row of the same attempt."""
    marks = ", ".join("?" * len(COLUMNS.split(",")))
    conn.execute(f"INSERT OR REPLACE INTO attempts ({COLUMNS}) VALUES ({marks})", row_values(record, source))


def parse_row(attempt_id: str, text: str, stored_sum: str | None) -> dict[str, Any]:
    """The record a row holds, checked; RecordError (NewerRecordError for a newer trainer's) if not."""
    if stored_sum is not None and checksum(text) != stored_sum:
        raise RecordError("its stored text no longer matches its checksum (damaged on disk)")
    try:
        record = loads_limited(text)
    except ValueError as exc:
        raise RecordError(f"its stored text is not readable JSON ({exc})") from None
    if not isinstance(record, dict) or record.get("attempt_id") != attempt_id:
        raise RecordError("its stored text belongs to no attempt or to another one")
    return checked_record(record, with_inputs=False)


@dataclass(slots=True)
class RowReader:
    """Reads attempts rows for one store, quarantining the damaged ones; `notices` says what it did."""

    data_dir: Path
    notices: list[str]

    def records(self, conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
        found = []
        for row in rows:
            try:
                found.append(parse_row(row["attempt_id"], row["record"], row["checksum"]))
            except NewerRecordError as exc:
                self.notices.append(f"Attempt {row['attempt_id']} is not shown: {exc}.")
            except RecordError as exc:
                self.notices.append(self._quarantine(conn, row, str(exc)))
        return found

    def _quarantine(self, conn: sqlite3.Connection, row: sqlite3.Row, why: str) -> str:
        name = row["attempt_id"] if is_uuid(row["attempt_id"]) else f"row-{row['rowid']}"
        path = unused_path(self.data_dir / QUARANTINE_DIR / f"{name}.json")
        try:
            atomic_write_text(path, row["record"])
            conn.execute("DELETE FROM attempts WHERE rowid = ?", (row["rowid"],))
        except (OSError, sqlite3.Error) as exc:
            return f"Attempt {row['attempt_id']} cannot be read ({why}) and could not be set aside ({exc})."
        return (
            f"Attempt {row['attempt_id']} could not be read ({why}); it was moved to {path} and every "
            "other attempt is unaffected."
        )


def upgrade_records(conn: sqlite3.Connection) -> int:
    """Bring stored records of older formats to the current one (trainee ids, ...); returns how many
    were rewritten. Rows that cannot be read are left for the reader to quarantine."""
    if int(meta_value(conn, "record_format", str(RECORD_FORMAT))) >= RECORD_FORMAT:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = conn.execute("SELECT attempt_id, record, source FROM attempts").fetchall()
        changed = sum(_upgrade_row(conn, row) for row in rows)
        set_meta(conn, "record_format", str(RECORD_FORMAT))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return changed


def _upgrade_row(conn: sqlite3.Connection, row: sqlite3.Row) -> bool:
    try:
        record = checked_record(loads_limited(row["record"]), with_inputs=False)
    except (ValueError, RecordError):
        return False
    write_row(conn, record, row["source"])
    return True
