"""Opening the database when it may be damaged: a damaged file is set aside and what it holds is salvaged."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from trainer.records.paths import set_aside
from trainer.records.schema import integrity_problems

TABLES = ("trainees", "sessions", "attempts", "outbox")
DAMAGED_DIR = "damaged"


def open_or_salvage(
    path: Path, connect: Callable[[Path], sqlite3.Connection]
) -> tuple[sqlite3.Connection, list[str]]:
    """A sound connection to `path`, and notices for the user if the file had to be rebuilt."""
    try:
        conn = connect(path)
        problems = integrity_problems(conn) if path.stat().st_size else []
    except sqlite3.DatabaseError as exc:
        if _is_write_failure(exc):
            raise
        conn, problems = None, [str(exc)]
    if not problems and conn is not None:
        return conn, []
    if conn is not None:
        conn.close()
    return _rebuild(path, connect, problems)


def _is_write_failure(exc: sqlite3.Error) -> bool:
    """Errors of the folder (read-only, full, locked), not of the file's contents."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.OperationalError) and code not in (
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
    )


def _rebuild(
    path: Path, connect: Callable[[Path], sqlite3.Connection], problems: list[str]
) -> tuple[sqlite3.Connection, list[str]]:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    kept = set_aside(path, path.parent / DAMAGED_DIR / stamp)
    for extra in ("-journal", "-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            set_aside(side, kept.parent)
    conn = connect(path)
    counts = _copy_readable_rows(kept, conn)
    saved = ", ".join(f"{n} {table}" for table, n in counts.items() if n) or "nothing"
    notice = (
        f"The record database was damaged ({problems[0]}). It was moved to {kept} and a new one "
        f"was started; recovered from the old file: {saved}."
    )
    return conn, [notice]


def _copy_readable_rows(damaged: Path, target: sqlite3.Connection) -> dict[str, int]:
    """Copy every row that can still be read from the damaged file; stop at the first unreadable page."""
    counts = dict.fromkeys(TABLES, 0)
    try:
        source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error:
        return counts
    try:
        target.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            counts[table] = _copy_table(source, target, table)
        target.execute("COMMIT")
    finally:
        source.close()
    return counts


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> int:
    copied = 0
    try:
        columns = [r[1] for r in target.execute(f"PRAGMA table_info({table})")]
        cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
        marks = ", ".join("?" * len(columns))
        for row in cursor:
            copied += target.execute(
                f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})", row
            ).rowcount
    except sqlite3.DatabaseError:
        pass  # the rest of this table is unreadable; what was copied is kept
    return copied
