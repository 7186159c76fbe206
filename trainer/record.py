"""Read attempt records back: from a file, as stored results, or as what a replay needs.

Every problem becomes a RecordError that says what is wrong, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trainer.actions import Action
from trainer.assessment.findings import Finding
from trainer.assessment.report import Report
from trainer.attempt import AttemptInfo
from trainer.errors import RecordError
from trainer.events import Event
from trainer.input_codec import decode_inputs
from trainer.result import RECORD_FORMAT, AttemptResult
from trainer.versions import recorded_versions

READABLE_FORMATS = (1, RECORD_FORMAT)  # format 1: the core's records, before the assessment


def read_record_file(path: str | Path) -> dict[str, Any]:
    """The record in a JSON file; a cut-off or non-JSON file is a RecordError."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecordError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RecordError(f"{path}: not a text file") from None
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"{path}: not a complete JSON record (cut off or damaged near line "
            f"{exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(record, dict):
        raise RecordError(f"{path}: not an attempt record (a JSON object is expected)")
    return record


def _field(record: Mapping[str, Any], key: str, *kinds: type) -> Any:
    """record[key], which must be one of `kinds` (a bool is not taken for a number)."""
    if key not in record:
        raise RecordError(f"the record has no '{key}'")
    value = record[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise RecordError(f"the record's '{key}' is damaged ({value!r})")
    return value


def scenario_of(record: Mapping[str, Any]) -> tuple[str, int, int]:
    """(scenario id, version, variant) the record was made on."""
    if not isinstance(record, Mapping):
        raise RecordError("not an attempt record (a JSON object is expected)")
    fmt = _field(record, "format", int)
    if fmt not in READABLE_FORMATS:
        raise RecordError(
            f"record format {fmt} is not one this version reads ({', '.join(map(str, READABLE_FORMATS))})"
        )
    sc = _field(record, "scenario", dict)
    return _field(sc, "id", str), _field(sc, "version", int), _field(sc, "variant", int)


def inputs_of(record: Mapping[str, Any]) -> list[Action]:
    """The record's inputs, checked against its input count (a cut-off list is an error)."""
    try:
        inputs = decode_inputs(record.get("inputs"))
    except (TypeError, ValueError) as exc:
        raise RecordError(f"the record's inputs are damaged ({exc})") from None
    expected = record.get("input_count", len(inputs))
    if expected != len(inputs):
        raise RecordError(
            f"the record is truncated or damaged: it holds {len(inputs)} of its {expected} inputs"
        )
    return inputs


def info_of(record: Mapping[str, Any]) -> AttemptInfo:
    """Who, mode, difficulty and when; a format-1 record gets the defaults."""
    if record.get("format") == 1:
        return AttemptInfo.new()
    try:
        return AttemptInfo.from_dict(record)
    except ValueError as exc:
        raise RecordError(f"the record's metadata is damaged: {exc}") from None


def load_record(record: Mapping[str, Any]) -> AttemptResult:
    """A stored record as an AttemptResult, without replaying it: works whatever scenario
    version it was made on (`scenario_version` says which)."""
    sid, version, variant = scenario_of(record)
    if record["format"] == 1:
        raise RecordError("a format-1 record holds no assessment; replay it to assess it")
    try:
        events = tuple(Event.from_dict(e) for e in _field(record, "events", list))
        report = Report(
            metrics=dict(_field(record, "metrics", dict)),
            units=dict(_field(record, "metric_units", dict)),
            subscores=dict(_field(record, "subscores", dict)),
            score=float(_field(record, "score", int, float)),
            band=_field(record, "band", str),
            passed=_field(record, "passed", bool),
            findings=tuple(Finding.from_dict(f) for f in _field(record, "errors", list)),
            feedback=tuple(map(str, _field(record, "feedback", list))),
            strengths=tuple(map(str, _field(record, "strengths", list))),
            standing=dict(_field(record, "standing", dict)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"the record's results are damaged ({exc!r})") from None
    return AttemptResult(
        sid,
        version,
        variant,
        _field(record, "seed", int),
        info_of(record),
        float(_field(record, "duration_s", int, float)),
        events,
        tuple(inputs_of(record)),
        report,
        versions=recorded_versions(record),
    )
