"""A session's roster: typed names, or a CSV class list with a name column and optionally a programme
id column (a student number, email or user name) and the trainer's own `trainee_id`.

Every trainee gets an opaque id; names are kept as typed. Two entries with the same name are allowed
only when their programme ids tell them apart.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from trainer.attempt import Trainee
from trainer.errors import TrainerError
from trainer.records.trainees import name_key

NAME_COLUMNS = ("name", "trainee", "full name", "full_name")
PROGRAMME_COLUMNS = (
    "programme_id",
    "programme id",
    "program_id",
    "program id",
    "student_id",
    "student id",
    "id",
    "email",
    "username",
)
TRAINEE_ID_COLUMN = "trainee_id"  # the trainer's own opaque id, e.g. in a roster it exported


def roster_from_names(names: list[str]) -> list[Trainee]:
    """Trainees with new ids for typed names; blank names are skipped, duplicates refused."""
    return roster_from_entries([(name, "") for name in names])


def roster_from_entries(entries: list[tuple[str, str]]) -> list[Trainee]:
    """Trainees with new ids for (name, programme id) pairs; an entry given twice is refused."""
    seen: set[tuple[str, str]] = set()
    roster = []
    for name, programme_id in entries:
        if not name.strip():
            continue
        key = (name_key(name), programme_id.strip().casefold())
        if key in seen:
            raise TrainerError(
                f"'{name.strip()}' appears twice on the roster"
                + ("" if programme_id else ": give each a programme ID (an 'id' column) to tell them apart")
            )
        seen.add(key)
        roster.append(Trainee.new(name, programme_id))
    return roster


def read_roster_csv(path: Path) -> list[Trainee]:
    """Trainees from a CSV export of a class list: a header with a name column, or one name per line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainerError(f"{path}: cannot read the roster ({exc})") from None
    rows = [r for r in csv.reader(io.StringIO(text), _dialect(text)) if any(c.strip() for c in r)]
    if not rows:
        raise TrainerError(f"{path}: the roster is empty")
    header = [c.strip().casefold() for c in rows[0]]
    name_col = _column(header, NAME_COLUMNS)
    if name_col is None:
        return roster_from_names([r[0] for r in rows])
    programme_col, id_col = _column(header, PROGRAMME_COLUMNS), _column(header, (TRAINEE_ID_COLUMN,))
    body = [r for r in rows[1:] if _cell(r, name_col)]
    roster = roster_from_entries([(_cell(r, name_col), _cell(r, programme_col)) for r in body])
    return [
        Trainee(_cell(r, id_col) or t.id, t.name, t.programme_id) for t, r in zip(roster, body, strict=True)
    ]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(c) for c in names if c in header), None)


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel
