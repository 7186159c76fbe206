"""The local record store: trainees, attempts and sessions in one SQLite file in the data folder.

Saving never raises for a full or read-only folder: the attempt stays in `pending` (in memory), the
outcome says why in one sentence, and `retry_pending()` saves it once the folder is usable again.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from trainer.attempt import Trainee, utc_now
from trainer.errors import TrainerError
from trainer.records.envelope import check_record, score_of, trainee_of
from trainer.records.integrity import canonical_json
from trainer.records.lrs_settings import LrsSettings, load_settings
from trainer.records.paths import describe_os_error
from trainer.records.salvage import open_or_salvage
from trainer.records.schema import DB_NAME, connect
from trainer.records.xapi import statements_for


class StoreUnavailable(TrainerError):
    """The data folder cannot be written (read-only, full, or missing)."""


class Merge(StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"  # the same attempt, already here: nothing to do
    CONFLICT = "conflict"  # the same attempt id with different contents: kept as it was


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What happened to a finished attempt; `message` is ready to show."""

    attempt_id: str
    saved: bool
    message: str


class RecordStore:
    """Attempts, trainees and sessions of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.pending: list[dict[str, Any]] = []
        self.notices: list[str] = []  # things the user should know, e.g. a damaged database set aside
        self._conn: sqlite3.Connection | None = None

    # ------------------------------------------------------------------ connection
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                self._conn, notices = open_or_salvage(self.db_path, connect)
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailable(describe_os_error(exc, self.data_dir)) from None
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
        """Commit a finished attempt (and queue its LRS statements); on failure keep it in memory."""
        attempt_id = str(record.get("attempt_id", ""))
        problem = check_record(record)
        if problem:
            raise TrainerError(f"attempt {attempt_id or '?'} cannot be stored: {problem}")
        try:
            self.merge([record], source)
        except (StoreUnavailable, OSError, sqlite3.Error) as exc:
            self.close()  # reopen on retry: SQLite may have opened the file read-only
            if all(r.get("attempt_id") != attempt_id for r in self.pending):
                self.pending.append(record)
            why = str(exc) if isinstance(exc, StoreUnavailable) else describe_os_error(exc, self.data_dir)
            return SaveOutcome(
                attempt_id,
                False,
                f"{why} The attempt is kept in memory until it can be "
                "saved: free some space or make the folder writable, "
                "then retry.",
            )
        self.pending = [r for r in self.pending if r.get("attempt_id") != attempt_id]
        return SaveOutcome(attempt_id, True, "Attempt saved.")

    def retry_pending(self) -> list[SaveOutcome]:
        """Try again to save the attempts kept in memory."""
        return [self.save_attempt(record) for record in list(self.pending)]

    def merge(self, records: list[dict[str, Any]], source: str) -> list[Merge]:
        """Add records in one transaction; an attempt already stored is a duplicate or a conflict."""
        settings = self._lrs_settings()
        with self.transaction() as conn:
            results = [self._insert(conn, record, source) for record in records]
            if settings is not None:
                for record, merged in zip(records, results, strict=True):
                    if merged == Merge.ADDED:
                        self._queue(conn, record, statements_for(record, settings.identity))
        return results

    def _insert(self, conn: sqlite3.Connection, record: dict[str, Any], source: str) -> Merge:
        text = canonical_json(record)
        row = conn.execute(
            "SELECT record FROM attempts WHERE attempt_id = ?", (record["attempt_id"],)
        ).fetchone()
        if row is not None:
            return Merge.DUPLICATE if row["record"] == text else Merge.CONFLICT
        who = trainee_of(record)
        if who["id"]:
            conn.execute(
                "INSERT OR IGNORE INTO trainees VALUES (?, ?, ?)", (who["id"], who["name"], utc_now())
            )
        conn.execute(
            "INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record["attempt_id"],
                who["id"] or None,
                record.get("session_id"),
                str(record["scenario"]["id"]),
                str(record["started_at"]),
                score_of(record),
                int(bool(record.get("passed"))),
                source,
                text,
            ),
        )
        return Merge.ADDED

    @staticmethod
    def _queue(conn: sqlite3.Connection, record: dict[str, Any], statements: list[dict[str, Any]]) -> None:
        now = utc_now()
        conn.executemany(
            "INSERT OR IGNORE INTO outbox (statement_id, attempt_id, body, queued_at) VALUES (?, ?, ?, ?)",
            [(s["id"], record["attempt_id"], json.dumps(s), now) for s in statements],
        )

    def _lrs_settings(self) -> LrsSettings | None:
        """The LRS settings; unreadable ones are reported but never stop an attempt being saved."""
        try:
            return load_settings(self.data_dir)
        except TrainerError as exc:
            self.notices.append(str(exc))
            return None

    def queue_for_lrs(self, records: list[dict[str, Any]]) -> int:
        """Queue statements for stored attempts (e.g. after connecting an LRS); returns how many."""
        settings = load_settings(self.data_dir)
        if settings is None:
            raise TrainerError("no LRS is set up: use 'python main.py lrs-config' first")
        before = self.outbox_size()
        with self.transaction() as conn:
            for record in records:
                self._queue(conn, record, statements_for(record, settings.identity))
        return self.outbox_size() - before

    def outbox_size(self) -> int:
        row = self.connection().execute("SELECT count(*) FROM outbox WHERE state = 'queued'").fetchone()
        return int(row[0])

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
        rows = (
            self.connection()
            .execute(f"SELECT record FROM attempts {where} ORDER BY started_at, attempt_id", values)
            .fetchall()
        )
        return [json.loads(r["record"]) for r in rows]

    def attempt(self, attempt_id: str) -> dict[str, Any] | None:
        row = (
            self.connection()
            .execute("SELECT record FROM attempts WHERE attempt_id = ?", (attempt_id,))
            .fetchone()
        )
        return None if row is None else json.loads(row["record"])

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
            conn.execute("DELETE FROM outbox WHERE attempt_id = ?", (attempt_id,))
        return bool(gone)

    # ------------------------------------------------------------------ trainees
    def add_trainee(self, name: str, trainee_id: str | None = None) -> Trainee:
        trainee = Trainee(trainee_id or str(uuid.uuid4()), name.strip())
        if not trainee.name:
            raise TrainerError("a trainee needs a name")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO trainees VALUES (?, ?, ?) ON CONFLICT (trainee_id) DO UPDATE "
                "SET name = excluded.name",
                (trainee.id, trainee.name, utc_now()),
            )
        return trainee

    def trainees(self) -> list[Trainee]:
        rows = self.connection().execute("SELECT trainee_id, name FROM trainees ORDER BY name").fetchall()
        return [Trainee(r["trainee_id"], r["name"]) for r in rows]

    def trainee(self, trainee_id: str) -> Trainee | None:
        return next((t for t in self.trainees() if t.id == trainee_id), None)
