"""The SQLite database file: its tables, versioned migrations, and the settings every connection uses."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from trainer.errors import TrainerError
from trainer.record_migrations import legacy_trainee


def _opaque_trainee_ids(conn: sqlite3.Connection) -> None:
    """Schema 2: trainees get opaque ids and a programme id (record format 3), records a checksum,
    the store a small key-value table, and refused LRS statements one dead-letter state. Stored
    records themselves are brought to the current format by `upgrade_records`."""
    for statement in _statements(
        """
        ALTER TABLE trainees ADD COLUMN programme_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE attempts ADD COLUMN checksum TEXT;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('record_format', '2');
        UPDATE outbox SET state = 'dead' WHERE state IN ('rejected', 'conflict')
        """
    ):
        conn.execute(statement)
    rows = conn.execute("SELECT trainee_id, name FROM trainees").fetchall()
    for old_id, name in rows:
        new = legacy_trainee({"id": old_id, "name": name})
        conn.execute("DELETE FROM trainees WHERE trainee_id = ?", (old_id,))
        conn.execute(
            "INSERT OR IGNORE INTO trainees (trainee_id, name, created_at, programme_id) "
            "VALUES (?, ?, datetime('now'), ?)",
            (new["id"], name, new["programme_id"]),
        )


# Each entry upgrades the schema by one version; PRAGMA user_version holds how many have been applied.
# An entry is SQL, or a function for a step SQL alone cannot do. Append new migrations, never edit a
# released one.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
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
    _opaque_trainee_ids,
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
    conn.text_factory = _lenient_text  # a damaged byte in one row must not stop every query
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
            step = MIGRATIONS[version]
            if isinstance(step, str):
                for statement in _statements(step):
                    conn.execute(statement)
            else:
                step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def meta_value(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return default if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value)
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What PRAGMA integrity_check reports, or [] for a sound database."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows
