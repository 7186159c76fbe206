"""A session's roster: typed names, or a CSV file with a 'name' column (and optionally 'id', 'email')."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from trainer.attempt import Trainee
from trainer.errors import TrainerError

NAME_COLUMNS = ("name", "trainee", "full name", "full_name")
ID_COLUMNS = ("id", "trainee_id", "email", "username")


def roster_from_names(names: list[str]) -> list[Trainee]:
    """Trainees with new ids for typed names; blank names are skipped, duplicates refused."""
    cleaned = [n.strip() for n in names if n.strip()]
    seen: set[str] = set()
    for name in cleaned:
        if name.casefold() in seen:
            raise TrainerError(f"'{name}' appears twice on the roster")
        seen.add(name.casefold())
    return [Trainee(str(uuid.uuid4()), name) for name in cleaned]


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
    name_col = next((header.index(c) for c in NAME_COLUMNS if c in header), None)
    if name_col is None:
        return roster_from_names([r[0] for r in rows])
    id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    pairs = [(_cell(r, name_col), _cell(r, id_col)) for r in rows[1:]]
    pairs = [(name, given) for name, given in pairs if name]
    trainees = roster_from_names([name for name, _ in pairs])
    return [Trainee(given or t.id, t.name) for t, (_, given) in zip(trainees, pairs, strict=True)]


def _cell(row: list[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel
