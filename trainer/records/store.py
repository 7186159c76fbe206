"""The local record store: trainees, attempts and sessions in one SQLite file in the data folder.

Saving never raises for a full or read-only folder: the attempt stays in `pending` (in memory), the
outcome says why in one sentence, and `retry_pending()` saves it once the folder is usable again.
Every record is checked against the typed record model when it is stored and when it is read; a
stored record that has become unreadable is set aside with a notice and the others stay usable.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.attempt import Trainee, utc_now
from trainer.errors import RecordError, TrainerError
from trainer.record import checked_record
from trainer.records import outbox
from trainer.records.envelope import trainee_of
from trainer.records.lrs_settings import LrsSettings, load_settings
from trainer.records.merging import Merge, compare, conflict_message
from trainer.records.paths import atomic_write_text, describe_os_error, unused_path
from trainer.records.salvage import open_or_salvage
from trainer.records.schema import DB_NAME, connect
from trainer.records.stored import RowReader, upgrade_records, write_row
from trainer.records.xapi import statements_for

CONFLICTS_DIR = "conflicts"

__all__ = ["Merge", "RecordStore", "SaveOutcome", "StoreUnavailable"]


class StoreUnavailable(TrainerError):
    """The data folder cannot be written (read-only, full, or missing)."""


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What happened to a finished attempt; `message` is ready to show. `kept_at` is where a copy
    that conflicts with the stored one was written instead (nothing is lost)."""

    attempt_id: str
    saved: bool
    message: str
    kept_at: Path | None = None


class RecordStore:
    """Attempts, trainees and sessions of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.pending: list[dict[str, Any]] = []
        self.notices: list[str] = []  # things the user should know, e.g. a damaged database set aside
        self._conn: sqlite3.Connection | None = None
        self._rows = RowReader(self.data_dir, self.notices)

    # ------------------------------------------------------------------ connection
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                conn, notices = open_or_salvage(self.db_path, connect)
                upgrade_records(conn)
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailable(describe_os_error(exc, self.data_dir)) from None
            self._conn = conn
            self.notices += notices
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: all of it is committed, or none of it."""
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ saving
    def save_attempt(self, record: dict[str, Any], source: str = "local") -> SaveOutcome:
        """Commit a finished attempt (and queue its LRS statements); on failure keep it in memory.
        A copy shorter than, or different from, the stored attempt is a conflict, never "saved"."""
        attempt_id = str(record.get("attempt_id", "")) if isinstance(record, dict) else ""
        try:
            current = checked_record(record)
        except RecordError as exc:
            raise TrainerError(f"attempt {attempt_id or '?'} cannot be stored: {exc}") from None
        try:
            [merged] = self.merge([current], source)
            if merged == Merge.CONFLICT:
                return self._set_aside(current)
        except (StoreUnavailable, OSError, sqlite3.Error) as exc:
            self.close()  # reopen on retry: SQLite may have opened the file read-only
            if all(r.get("attempt_id") != attempt_id for r in self.pending):
                self.pending.append(current)
            why = str(exc) if isinstance(exc, StoreUnavailable) else describe_os_error(exc, self.data_dir)
            return SaveOutcome(
                attempt_id,
                False,
                f"{why} The attempt is kept in memory until it can be saved: free some space or make "
                "the folder writable, then retry.",
            )
        self._drop_pending(attempt_id)
        return SaveOutcome(attempt_id, True, "Attempt saved.")

    def _set_aside(self, record: dict[str, Any]) -> SaveOutcome:
        """Keep a conflicting copy in conflicts/ (as a record file that imports and replays)."""
        attempt_id = record["attempt_id"]
        stored = self.attempt(attempt_id) or {}
        path = unused_path(self.data_dir / CONFLICTS_DIR / f"{attempt_id}.json")
        atomic_write_text(path, json.dumps(record))
        self._drop_pending(attempt_id)
        message = (
            f"Not saved over the stored attempt: {conflict_message(stored, record)}. The stored one was "
            f"kept and this copy was written to {path}."
        )
        return SaveOutcome(attempt_id, False, message, kept_at=path)

    def _drop_pending(self, attempt_id: str) -> None:
        self.pending = [r for r in self.pending if r.get("attempt_id") != attempt_id]

    def retry_pending(self) -> list[SaveOutcome]:
        """Try again to save the attempts kept in memory."""
        return [self.save_attempt(record) for record in list(self.pending)]

    def merge(self, records: list[dict[str, Any]], source: str) -> list[Merge]:
        """Add checked records in one transaction; an attempt already stored is a duplicate, replaced by a
        longer copy of itself, or a conflict (the stored one kept)."""
        settings = self._lrs_settings()
        with self.transaction() as conn:
            return [self._insert(conn, record, source, settings) for record in records]

    def _insert(
        self, conn: sqlite3.Connection, record: dict[str, Any], source: str, settings: LrsSettings | None
    ) -> Merge:
        row = conn.execute(
            "SELECT rowid, attempt_id, record, checksum FROM attempts WHERE attempt_id = ?",
            (record["attempt_id"],),
        ).fetchone()
        stored = self._rows.records(conn, [row]) if row is not None else []
        merged = compare(stored[0], record) if stored else Merge.ADDED
        if merged in (Merge.ADDED, Merge.REPLACED):
            self._register(conn, record)
            write_row(conn, record, source)
        if settings is not None and merged == Merge.ADDED:
            outbox.queue(conn, record["attempt_id"], statements_for(record, settings.identity))
        elif settings is not None and merged == Merge.REPLACED:
            outbox.queue_replacement(conn, stored[0], record, settings.identity)
        return merged

    @staticmethod
    def _register(conn: sqlite3.Connection, record: dict[str, Any]) -> None:
        who = trainee_of(record)
        if who["id"]:
            conn.execute(
                "INSERT OR IGNORE INTO trainees (trainee_id, name, created_at, programme_id) "
                "VALUES (?, ?, ?, ?)",
                (who["id"], who["name"], utc_now(), who["programme_id"]),
            )

    def _lrs_settings(self) -> LrsSettings | None:
        """The LRS settings; unreadable ones are reported but never stop an attempt being saved."""
        try:
            return load_settings(self.data_dir)
        except TrainerError as exc:
            self.notices.append(str(exc))
            return None

    # ------------------------------------------------------------------ the LRS queue
    def queue_for_lrs(self, records: list[dict[str, Any]]) -> int:
        """Queue the statements of stored attempts again, sent ones included (e.g. after connecting an
        LRS, or after it lost data); returns how many more are queued."""
        settings = load_settings(self.data_dir)
        if settings is None:
            raise TrainerError("no LRS is set up: use 'python main.py lrs-config' first")
        before = self.outbox_size()
        with self.transaction() as conn:
            for record in records:
                outbox.queue(
                    conn, record["attempt_id"], statements_for(record, settings.identity), again=True
                )
        return self.outbox_size() - before

    def outbox_size(self) -> int:
        return self.lrs_status().queued

    def lrs_status(self) -> outbox.OutboxStatus:
        return outbox.status(self.connection())

    # ------------------------------------------------------------------ reading
    def attempts(
        self, trainee_id: str | None = None, session_id: str | None = None, scenario_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored records, oldest first, optionally for one trainee, session or scenario."""
        clauses, values = [], []
        for column, value in (
            ("trainee_id", trainee_id),
            ("session_id", session_id),
            ("scenario_id", scenario_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._read(f"{where} ORDER BY started_at, attempt_id", values)

    def attempt(self, attempt_id: str) -> dict[str, Any] | None:
        found = self._read("WHERE attempt_id = ?", [attempt_id])
        return found[0] if found else None

    def _read(self, clause: str, values: list[Any]) -> list[dict[str, Any]]:
        conn = self.connection()
        rows = conn.execute(f"SELECT rowid, attempt_id, record, checksum FROM attempts {clause}", values)
        return self._rows.records(conn, rows.fetchall())

    def attempt_session(self, attempt_id: str) -> str | None:
        row = (
            self.connection()
            .execute("SELECT session_id FROM attempts WHERE attempt_id = ?", (attempt_id,))
            .fetchone()
        )
        return None if row is None else row["session_id"]

    def delete_attempt(self, attempt_id: str) -> bool:
        """Remove an attempt (sessions.delete_attempt checks the instructor PIN first)."""
        with self.transaction() as conn:
            gone = conn.execute("DELETE FROM attempts WHERE attempt_id = ?", (attempt_id,)).rowcount
            conn.execute("DELETE FROM outbox WHERE attempt_id = ? AND state != ?", (attempt_id, outbox.SENT))
        return bool(gone)

    # ------------------------------------------------------------------ trainees
    def add_trainee(self, trainee: Trainee) -> Trainee:
        """Remember a trainee (its name and programme id as given)."""
        if not trainee.name.strip():
            raise TrainerError("a trainee needs a name")
        try:
            with self.transaction() as conn:
                conn.execute(
                    "INSERT INTO trainees (trainee_id, name, created_at, programme_id) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (trainee_id) DO UPDATE SET name = excluded.name, "
                    "programme_id = excluded.programme_id",
                    (trainee.id, trainee.name, utc_now(), trainee.programme_id),
                )
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise StoreUnavailable(describe_os_error(exc, self.data_dir)) from None
        return trainee

    def trainees(self) -> list[Trainee]:
        rows = self.connection().execute(
            "SELECT trainee_id, name, programme_id FROM trainees ORDER BY name, programme_id"
        )
        return [Trainee(r["trainee_id"], r["name"], r["programme_id"]) for r in rows.fetchall()]

    def trainee(self, trainee_id: str) -> Trainee | None:
        row = (
            self.connection()
            .execute(
                "SELECT trainee_id, name, programme_id FROM trainees WHERE trainee_id = ?", (trainee_id,)
            )
            .fetchone()
        )
        return None if row is None else Trainee(row["trainee_id"], row["name"], row["programme_id"])
