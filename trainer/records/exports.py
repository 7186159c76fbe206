"""Exports of attempt records: CSV (one row per attempt), JSON (full, replayable) and xAPI statements.

Every export is written atomically to a file name inside the chosen folder, never outside it.
"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.records.envelope import critical_events, errors_of, scenario_of, score_of, trainee_of
from trainer.records.integrity import signed
from trainer.records.lrs_settings import load_settings
from trainer.records.paths import atomic_write_text, contained_path, safe_file_stem, unused_path
from trainer.records.sessions import list_sessions
from trainer.records.spreadsheet import csv_text
from trainer.records.store import RecordStore
from trainer.records.xapi import XapiIdentity, statements_for

EXPORT_FORMATS = {"csv": ".csv", "json": ".json", "xapi": ".xapi.json"}
RECORDS_FILE_KIND = "thoracic-trainer-records"
RECORDS_FILE_FORMAT = 1
# The metrics the CSV shows as columns, in order (docs/scoring.md defines them): what an instructor
# looks at first. Every record holds all metrics; the JSON export has the rest.
KEY_METRICS: tuple[str, ...] = (
    "elapsed_time_s",
    "path_length_mm",
    "redirections",
    "passes",
    "tissue_damage_mm2",
    "tip_to_target_mm",
    "target_hit",
    "tip_visible_pct",
    "blind_advance_mm",
    "probe_drift_mm",
    "closest_pleura_mm",
    "closest_vessel_mm",
    "closest_neuraxis_mm",
    "injectate_distribution",
)
CSV_COLUMNS = (
    "attempt_id",
    "trainee_id",
    "trainee_name",
    "programme_id",
    "started_at",
    "scenario",
    "variant",
    "mode",
    "difficulty",
    "session_id",
    "score",
    "band",
    "passed",
    "duration_s",
    *KEY_METRICS,
    "errors",
    "critical_events",
    "provenance",
)


def csv_row(record: dict[str, Any]) -> list[Any]:
    who = trainee_of(record)
    scenario_id, variant = scenario_of(record)
    metrics = record.get("metrics") or {}
    errors = "; ".join(e["code"] for e in errors_of(record))
    events = "; ".join(
        f"{e.get('kind')} ({e.get('structure')}) at {e.get('time_s')} s" for e in critical_events(record)
    )
    return [
        record.get("attempt_id"),
        who["id"],
        who["name"],
        who["programme_id"],
        record.get("started_at"),
        scenario_id,
        variant,
        record.get("mode"),
        record.get("difficulty"),
        record.get("session_id"),
        score_of(record),
        record.get("band"),
        record.get("passed"),
        record.get("duration_s"),
        *(metrics.get(name) for name in KEY_METRICS),
        errors,
        events,
        provenance(record),
    ]


def provenance(record: dict[str, Any]) -> str:
    """How the record came to be stored, when it is not the plain story: recovered after a crash,
    imported without a seal."""
    notes = [
        note
        for key, note in (("recovered", "recovered after a crash"), ("unverified", "unverified import"))
        if record.get(key) is True
    ]
    return "; ".join(notes)


def records_document(store: RecordStore, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON export: full records, each of a known session sealed with that session's key."""
    keys = {s.id: s.key for s in list_sessions(store)}
    sealed = [
        signed(r, r["session_id"], keys[r["session_id"]]) if r.get("session_id") in keys else r
        for r in records
    ]
    return {
        "kind": RECORDS_FILE_KIND,
        "format": RECORDS_FILE_FORMAT,
        "exported_at": _now(),
        "exported_by": socket.gethostname(),
        "records": sealed,
    }


def xapi_identity(store: RecordStore) -> XapiIdentity:
    settings = load_settings(store.data_dir)
    return settings.identity if settings else XapiIdentity()


def export_records(
    store: RecordStore, records: list[dict[str, Any]], folder: Path, fmt: str, name: str | None = None
) -> Path:
    """Write `records` as csv, json or xapi to `folder/name` (a dated default name) and return the path."""
    if fmt not in EXPORT_FORMATS:
        raise TrainerError(f"unknown export format '{fmt}' (use {', '.join(EXPORT_FORMATS)})")
    path = (
        contained_path(folder, name)
        if name
        else unused_path(contained_path(folder, f"attempts-{_stamp()}{EXPORT_FORMATS[fmt]}"))
    )
    if fmt == "csv":
        atomic_write_text(path, csv_text(CSV_COLUMNS, map(csv_row, records)))
    elif fmt == "json":
        atomic_write_text(path, json.dumps(records_document(store, records), indent=1))
    else:
        identity = xapi_identity(store)
        statements = [s for r in records for s in statements_for(r, identity)]
        atomic_write_text(path, json.dumps(statements, indent=1))
    return path


def export_session_results(store: RecordStore, session_id: str, folder: Path) -> Path:
    """This laptop's results for a session, sealed, named after the session and the laptop."""
    if session_id not in {s.id for s in list_sessions(store)}:
        raise TrainerError(f"no session '{session_id}' is installed here ('session list' shows them)")
    records = store.attempts(session_id=session_id)
    host = safe_file_stem(socket.gethostname(), "laptop")
    path = unused_path(contained_path(folder, f"session-{session_id[:8]}-{host}-{_stamp()}.json"))
    return export_records(store, records, folder, "json", path.name)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
