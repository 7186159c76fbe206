"""Read attempt records back: from a file, as stored results, or as what a replay needs.

Every record is first brought to the current format (`trainer.record_migrations`) and checked
against the typed record model (`trainer.record_model`). Every problem becomes a RecordError that
says what is wrong, never a traceback; a hostile record (a file bomb, millions of inputs) is refused
before any work is done on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trainer.actions import Action
from trainer.assessment.findings import Finding
from trainer.assessment.report import Report
from trainer.attempt import AttemptInfo, Trainee
from trainer.errors import RecordError
from trainer.events import Event
from trainer.input_codec import decode_inputs
from trainer.json_limits import read_json_file
from trainer.record_migrations import REPLAY_ONLY_FORMAT, upgrade
from trainer.record_model import RecordFields, check_record_fields
from trainer.result import AttemptResult
from trainer.versions import recorded_versions

# About two hours of attempt at 60 steps per second with two inputs per step: a record that claims
# more is refused before a single input is unfolded or replayed.
MAX_REPLAY_INPUTS = 1_000_000


def read_record_file(path: str | Path) -> dict[str, Any]:
    """The record in a JSON file; a cut-off, non-JSON, oversized or too deeply nested file is a
    RecordError."""
    try:
        record = read_json_file(Path(path))
    except OSError as exc:
        raise RecordError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RecordError(f"{path}: not a text file") from None
    except ValueError as exc:
        lineno = getattr(exc, "lineno", None)
        where = f" near line {lineno}, column {getattr(exc, 'colno', '?')}" if lineno else f": {exc}"
        raise RecordError(f"{path}: not a complete JSON record (cut off or damaged{where})") from None
    if not isinstance(record, dict):
        raise RecordError(f"{path}: not an attempt record (a JSON object is expected)")
    return record


def scenario_of(record: Mapping[str, Any]) -> tuple[str, int, int]:
    """(scenario id, version, variant) the record was made on."""
    sc = upgrade(record).get("scenario")
    if not isinstance(sc, Mapping):
        raise RecordError("the record has no 'scenario'")
    sid, version, variant = sc.get("id"), _whole(sc.get("version")), _whole(sc.get("variant"))
    if not isinstance(sid, str) or version is None or variant is None:
        raise RecordError(f"the record's 'scenario' is damaged ({dict(sc)!r})"[:300])
    return sid, version, variant


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def input_total(items: Any) -> int:
    """How many inputs the encoded items unfold to, counted without unfolding them."""
    if not isinstance(items, list):
        raise RecordError("the record's inputs are damaged ('inputs' must be a list)")
    total = 0
    for item in items:
        if isinstance(item, dict):
            count, block = item.get("repeat"), item.get("of")
            if isinstance(count, int) and isinstance(block, list):
                total += max(count, 0) * len(block)
                continue
        total += item[2] if isinstance(item, list) and len(item) == 3 and isinstance(item[2], int) else 1
    return total


def inputs_of(record: Mapping[str, Any]) -> list[Action]:
    """The record's inputs, checked against its input count (a cut-off list is an error) and the cap."""
    items = record.get("inputs")
    total = input_total(items)
    if total > MAX_REPLAY_INPUTS:
        raise RecordError(
            f"the record holds {total} inputs, more than the {MAX_REPLAY_INPUTS} an attempt can have"
        )
    try:
        inputs = decode_inputs(items)
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
    record = upgrade(record)
    if record.get("format") == REPLAY_ONLY_FORMAT:
        return AttemptInfo.new()
    try:
        return AttemptInfo.from_dict(record)
    except ValueError as exc:
        raise RecordError(f"the record's metadata is damaged: {exc}") from None


def _current(record: Mapping[str, Any]) -> tuple[dict[str, Any], RecordFields]:
    current = upgrade(record)
    if current.get("format") == REPLAY_ONLY_FORMAT:
        raise RecordError("a format-1 record holds no assessment; replay it to assess it")
    return current, check_record_fields(current)


def checked_record(record: Mapping[str, Any], with_inputs: bool = True) -> dict[str, Any]:
    """The record at the current format, every field checked (`with_inputs`: its inputs decoded and
    counted too); RecordError names what is wrong."""
    current, _ = _current(record)
    if with_inputs:
        inputs_of(current)
    return current


def load_record(record: Mapping[str, Any]) -> AttemptResult:
    """A stored record as an AttemptResult, without replaying it: works whatever scenario
    version it was made on (`scenario_version` says which)."""
    current, fields = _current(record)
    return AttemptResult(
        fields.scenario.id,
        fields.scenario.version,
        fields.scenario.variant,
        fields.seed,
        _info(fields),
        fields.duration_s,
        tuple(Event.from_dict(e.model_dump()) for e in fields.events),
        tuple(inputs_of(current)),
        _report(fields),
        versions=recorded_versions(current),
    )


def _info(fields: RecordFields) -> AttemptInfo:
    who = fields.trainee
    return AttemptInfo(
        fields.attempt_id,
        fields.mode,
        fields.difficulty,
        None if who is None else Trainee(who.id, who.name, who.programme_id),
        fields.session_id,
        fields.started_at,
    )


def _report(fields: RecordFields) -> Report:
    return Report(
        metrics=dict(fields.metrics),
        units=dict(fields.metric_units),
        subscores=dict(fields.subscores),
        score=fields.score,
        band=fields.band,
        passed=fields.passed,
        findings=tuple(Finding(**f.model_dump()) for f in fields.errors),
        feedback=tuple(fields.feedback),
        strengths=tuple(fields.strengths),
        standing=dict(fields.standing),
    )
