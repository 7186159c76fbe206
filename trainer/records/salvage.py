"""Opening the database when it may be damaged: a damaged file is set aside and what it holds is salvaged.

Salvage goes two ways and keeps the union: SQLite copies every row it can still read table by table,
then the file is read page by page (`sqlite_pages`), so rows behind a damaged page, or in a file whose
schema SQLite can no longer read at all, are recovered too. Every attempt salvaged is checked like any
other before it is kept. The old file is never deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from trainer.errors import RecordError
from trainer.json_limits import loads_limited
from trainer.record import checked_record
from trainer.records import sqlite_pages
from trainer.records.paths import set_aside
from trainer.records.schema import integrity_problems
from trainer.records.stored import checksum, write_row

TABLES = ("trainees", "sessions", "attempts", "outbox")
DAMAGED_DIR = "damaged"
Value = sqlite_pages.Value


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
    except UnicodeDecodeError:  # SQLite's own message quotes the garbage in a damaged schema
        conn, problems = None, ["its schema holds bytes that are not text"]
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
    counts = salvage_into(kept, conn)
    saved = ", ".join(f"{n} {table}" for table, n in counts.items() if n) or "nothing"
    notice = (
        f"The record database was damaged ({problems[0][:200]}). It was moved to {kept} and a new one "
        f"was started; recovered from the old file: {saved}."
    )
    return conn, [notice]


def salvage_into(damaged: Path, target: sqlite3.Connection) -> dict[str, int]:
    """Copy every row that can still be read from the damaged file, by SQL and page by page."""
    counts = dict.fromkeys(TABLES, 0)
    target.execute("BEGIN IMMEDIATE")
    try:
        for table, n in _copy_by_sql(damaged, target).items():
            counts[table] += n
        for values in sqlite_pages.rows(damaged.read_bytes()):
            table = _place(target, values)
            if table:
                counts[table] += 1
        target.execute("UPDATE outbox SET state = 'dead' WHERE state IN ('rejected', 'conflict')")  # schema 1
        target.execute("COMMIT")
    except BaseException:
        target.execute("ROLLBACK")
        raise
    return counts


def _copy_by_sql(damaged: Path, target: sqlite3.Connection) -> dict[str, int]:
    counts = dict.fromkeys(TABLES, 0)
    try:
        source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
        source.text_factory = lambda b: b.decode("utf-8", "replace")
    except sqlite3.Error:
        return counts
    try:
        for table in ("trainees", "sessions", "outbox"):
            counts[table] = _copy_table(source, target, table, legacy=table == "trainees")
    finally:
        source.close()
    return counts  # attempts come from the pages, where each is checked on its own


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str, legacy: bool) -> int:
    copied = 0
    try:
        columns = [r[1] for r in target.execute(f"PRAGMA table_info({table})")]
        present = {r[1] for r in source.execute(f"PRAGMA table_info({table})")}
        shared = [c for c in columns if c in present]
        if legacy and "programme_id" not in present:
            return 0  # trainees of schema 1 have old ids: they come back with their attempts' records
        cursor = source.execute(f"SELECT {', '.join(shared)} FROM {table}")
        marks = ", ".join("?" * len(shared))
        for row in cursor:
            copied += target.execute(
                f"INSERT OR IGNORE INTO {table} ({', '.join(shared)}) VALUES ({marks})", row
            ).rowcount
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        pass  # the rest of this table is unreadable by SQL; the page scan may still find it
    return copied


def _place(target: sqlite3.Connection, values: list[Value]) -> str:
    """Put one row read from a page where it belongs, by its shape; the table's name, or '' if it was
    not wanted (already there, damaged, or a row of a table that is rebuilt anyway)."""
    if len(values) in (9, 10) and _attempt(target, values):
        return "attempts"
    texts = all(isinstance(v, str) for v in values)
    if len(values) == 2 and texts and '"roster"' in str(values[1]):
        return "sessions" if _insert(target, "sessions", values) else ""
    if len(values) == 4 and texts and _looks_like_time(str(values[2])):
        return "trainees" if _insert(target, "trainees", values) else ""
    if len(values) == 7 and isinstance(values[0], str) and '"verb"' in str(values[2]):
        return "outbox" if _insert(target, "outbox", values) else ""
    return ""


def _attempt(target: sqlite3.Connection, values: list[Value]) -> bool:
    text, source = values[8], values[7]
    if not isinstance(text, str) or not isinstance(source, str):
        return False
    if len(values) == 10 and isinstance(values[9], str) and checksum(text) != values[9]:
        return False
    try:
        record = checked_record(loads_limited(text), with_inputs=False)
    except (ValueError, RecordError):
        return False
    if target.execute("SELECT 1 FROM attempts WHERE attempt_id = ?", (record["attempt_id"],)).fetchone():
        return False
    write_row(target, record, source)
    who = record.get("trainee")
    if isinstance(who, dict):
        _insert(target, "trainees", [who["id"], who["name"], record["started_at"], who["programme_id"]])
    return True


def _insert(target: sqlite3.Connection, table: str, values: list[Value]) -> bool:
    columns = [r[1] for r in target.execute(f"PRAGMA table_info({table})")][: len(values)]
    marks = ", ".join("?" * len(values))
    sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    return target.execute(sql, values).rowcount == 1


def _looks_like_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
