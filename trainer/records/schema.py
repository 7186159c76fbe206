"""The SQLite database file: its tables, versioned migrations, and the settings every connection uses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trainer.errors import TrainerError

# Each entry upgrades the schema by one version; PRAGMA user_version holds how many have been applied.
# Append new migrations, never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE trainees (
        trainee_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
    );
    CREATE TABLE attempts (
        attempt_id TEXT PRIMARY KEY,
        trainee_id TEXT,
        session_id TEXT,
        scenario_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        score REAL,
        passed INTEGER NOT NULL,
        source TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX attempts_by_trainee ON attempts (trainee_id, started_at);
    CREATE INDEX attempts_by_session ON attempts (session_id);
    CREATE TABLE outbox (
        statement_id TEXT PRIMARY KEY,
        attempt_id TEXT NOT NULL,
        body TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued',
        tries INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT ''
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
DB_NAME = "trainer.sqlite3"
BUSY_TIMEOUT_MS = 5000


class NewerDatabaseError(TrainerError):
    """The database was written by a newer version of the trainer."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection with durable settings, migrated to the current schema."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    # The rollback journal (not WAL) also works on network shares, e.g. a lab's shared folder;
    # synchronous=FULL makes a committed attempt survive a power loss.
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    try:
        migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations this database has not seen yet, each in its own transaction.

    The version is read inside the write lock, so two processes opening a new database at once do not
    both apply the same migration.
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NewerDatabaseError(
                    f"{path} was written by a newer version of the trainer (schema {version}, this one "
                    f"knows {SCHEMA_VERSION}); update the trainer"
                )
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What PRAGMA integrity_check reports, or [] for a sound database."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows
