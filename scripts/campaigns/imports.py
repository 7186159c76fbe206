"""Imports as a hostile or careless file would make them: sealed session exports edited after the fact,
stripped of their seal, cut off, imported twice, blown up; and names that try spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import random
import time
import uuid
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from campaigns.common import Row, fresh_record, write_json

EDITS: tuple[tuple[str, Any], ...] = (  # each changes the expert's record (score 100, passed...)
    ("score", 12.5),
    ("passed", False),
    ("band", "novice"),
    ("errors", [{"code": "blind_advance", "time_s": 1.0, "critical": False, "about": "", "amount": 5.0}]),
    ("feedback", ["Forged."]),
    ("subscores", {"accuracy": 1.0, "safety": 1.0, "technique": 1.0, "efficiency": 1.0}),
    ("trainee", {"id": "someone-else", "name": "Someone Else", "programme_id": ""}),
    ("duration_s", 1.0),
    ("started_at", "2020-01-01T00:00:00.000Z"),
)
FORMULAS = ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")')


def _lab(work: Path) -> tuple[Path, Path, dict[str, Any]]:
    """An instructor's store with a session installed, and a lab laptop's sealed export of it."""
    from trainer.records.exports import export_session_results
    from trainer.records.roster import roster_from_names
    from trainer.records.sessions import create_session, install_session_file, write_session_file
    from trainer.records.store import RecordStore

    instructor, laptop = RecordStore(work / "instructor"), RecordStore(work / "laptop")
    session = create_session(instructor, "Lab", ["gel_phantom"], roster_from_names(["Ann", "Bo"]), seed=0)
    install_session_file(laptop, write_session_file(session, work))
    for who in session.roster:
        record = fresh_record(trainee=who, session_id=session.id, mode="exam", difficulty="standard")
        laptop.save_attempt(record)
    export = export_session_results(laptop, session.id, work)
    instructor.close()
    laptop.close()
    return work / "instructor", export, json.loads(export.read_text())


def _import(data: Path, path: Path, *flags: str) -> tuple[int, str]:
    """(new attempts stored, 'crash' if the command raised) for `import` run in this process."""
    from trainer.cli import main
    from trainer.records.store import RecordStore

    before = _count(data)
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            main(["--data-dir", str(data), "import", *flags, str(path)])
    except Exception:
        return 0, "crash"
    RecordStore(data).close()
    return _count(data) - before, ""


def _count(data: Path) -> int:
    from trainer.records.store import RecordStore

    store = RecordStore(data)
    try:
        return len(store.attempts())
    finally:
        store.close()


def tampering(work: Path, truncations: int, seed: int = 14) -> list[Row]:
    rng = random.Random(seed)
    data, export, body = _lab(work)
    forged = crashes = 0
    for key, value in EDITS:
        edited = json.loads(json.dumps(body))
        edited["records"] = edited["records"][:1]  # only the edited record: what it adds, it forged
        edited["records"][0][key] = value
        added, crash = _import(data, write_json(work / "edited.json", edited))
        forged, crashes = forged + added, crashes + (crash == "crash")
    stripped = json.loads(json.dumps(body))
    for r in stripped["records"]:
        r.pop("integrity")
        r["session_id"], r["score"], r["attempt_id"] = None, 99.0, str(uuid.uuid4())
    unsealed, crash = _import(data, write_json(work / "stripped.json", stripped))
    crashes += crash == "crash"
    text = export.read_bytes()
    cut_accepted = 0
    for _ in range(truncations):
        cut = work / "cut.json"
        cut.write_bytes(text[: rng.randrange(1, len(text) - 1)])
        added, crash = _import(data, cut)
        cut_accepted, crashes = cut_accepted + added, crashes + (crash == "crash")
    first, _ = _import(data, export)
    again, crash = _import(data, export)
    crashes += crash == "crash"
    marked, _ = _import(data, work / "stripped.json", "--unverified")
    name = "imports of a sealed session export"
    cases = len(EDITS) + 1 + truncations + 3
    return [
        Row(name, len(EDITS), "edited records accepted", forged),
        Row(name, 2, "records with the seal stripped and the score forged accepted", unsealed),
        Row(name, truncations, "records accepted from cut-off files", cut_accepted),
        Row(name, 2, "attempts added by importing the same file again", again),
        Row(name, 2, "unsealed records kept with --unverified (marked)", marked, False),
        Row(name, 2, "genuine records accepted", first, False),
        Row(name, cases, "tracebacks", crashes),
    ]


def bombs(work: Path) -> list[Row]:
    data = work / "bombs"
    deep = work / "deep.json"
    deep.write_text(
        '{"kind": "thoracic-trainer-records", "records": [' + "[" * 200_000 + "]" * 200_000 + "]}"
    )
    huge = work / "huge.json"
    with open(huge, "wb") as f:
        f.truncate(200 * 2**20)
    repeat = fresh_record()
    repeat["inputs"], repeat["input_count"] = (
        [{"repeat": 4_900_000, "of": [["step", {"dt_s": 0.0167}]]}],
        4_900_000,
    )
    files = [
        deep,
        huge,
        write_json(work / "repeat.json", {"kind": "thoracic-trainer-records", "records": [repeat]}),
    ]
    accepted = crashes = slow = 0
    for path in files:
        started = time.monotonic()
        added, crash = _import(data, path, "--unverified")
        accepted, crashes = accepted + added, crashes + (crash == "crash")
        slow += time.monotonic() - started > 5.0
    name = "oversized imports (200 MB, 200,000 levels deep, 4.9 million inputs)"
    return [
        Row(name, len(files), "accepted", accepted),
        Row(name, len(files), "tracebacks", crashes),
        Row(name, len(files), "refusals slower than 5 s", slow),
    ]


def csv_injection(work: Path) -> list[Row]:
    from trainer.attempt import Trainee
    from trainer.records.exports import export_records
    from trainer.records.store import RecordStore

    store = RecordStore(work / "csv")
    for formula in FORMULAS:
        store.save_attempt(fresh_record(trainee=Trainee.new(formula + " name", formula)))
    path = export_records(store, store.attempts(), work / "out", "csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    live = sum(
        1 for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "@", "\t", "\r") or cell[:2] == "-1"
    )
    store.close()
    return [
        Row(
            "CSV export of names and ids that are formulas",
            len(FORMULAS),
            "cells a spreadsheet would run",
            live,
        )
    ]
