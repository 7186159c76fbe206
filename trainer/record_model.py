"""The typed attempt record: every field's type and range, checked before a record is stored, read or
replayed, so that one damaged or hostile record is refused with a message naming the field instead
of breaking an export, a report or the cohort summary for everyone.

`check_record_fields(record)` validates a record at the current format (`trainer.record_migrations`
brings older ones up to it first); its inputs are checked by `trainer.record.inputs_of`.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from trainer.assessment.thresholds import DIFFICULTIES
from trainer.attempt import MODES
from trainer.errors import RecordError
from trainer.events import EventKind

MAX_NAME_CHARS = 500  # names, ids and labels
MAX_TEXT_CHARS = 20_000  # one feedback paragraph
MAX_ITEMS = 10_000  # events, errors, metrics...
MAX_DURATION_S = 7 * 24 * 3600.0  # an attempt is minutes long; a week is a damaged value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _uuid(value: str) -> str:
    uuid.UUID(value)
    return value


def _iso_time(value: str) -> str:
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


Finite = Annotated[float, AfterValidator(_finite)]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
Metric = Annotated[bool, Field(strict=True)] | int | Finite | Name


class _Part(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class TraineeFields(_Part):
    id: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    name: Name
    programme_id: Name = ""


class ScenarioFields(_Part):
    id: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    version: int
    variant: int


class FindingFields(_Part):
    code: Name
    time_s: Finite | None
    critical: bool
    about: Name
    amount: Finite
    gate: bool = False  # records before the error gates have none


class EventFields(_Part):
    time_s: Finite
    kind: EventKind
    structure: Name
    tip_mm: tuple[Finite, Finite]
    critical: bool
    compartment: Name = ""
    volume_ml: Finite = 0.0

    model_config = ConfigDict(strict=False, extra="forbid", frozen=True)  # kind: a string -> EventKind


class RecordFields(BaseModel):
    """A record at the current format. Unknown top-level keys (`recovered`, `unverified`, a seal) are
    allowed; everything the trainer reads is typed."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    format: int
    attempt_id: Annotated[str, AfterValidator(_uuid)]
    mode: Literal[MODES]  # type: ignore[valid-type]
    difficulty: Literal[DIFFICULTIES]  # type: ignore[valid-type]
    trainee: TraineeFields | None
    session_id: Name | None
    started_at: Annotated[str, AfterValidator(_iso_time)]
    scenario: ScenarioFields
    seed: int
    duration_s: Annotated[Finite, Field(ge=0, le=MAX_DURATION_S)]
    score: Annotated[Finite, Field(ge=0, le=100)]
    band: Name
    passed: bool
    target_reached: bool
    metrics: Annotated[dict[Name, Metric], Field(max_length=MAX_ITEMS)]
    metric_units: Annotated[dict[Name, Name], Field(max_length=MAX_ITEMS)]
    subscores: Annotated[dict[Name, Finite], Field(max_length=MAX_ITEMS)]
    errors: Annotated[list[FindingFields], Field(max_length=MAX_ITEMS)]
    events: Annotated[list[EventFields], Field(max_length=MAX_ITEMS)]
    feedback: Annotated[list[Text], Field(max_length=MAX_ITEMS)]
    strengths: Annotated[list[Text], Field(max_length=MAX_ITEMS)]
    standing: Annotated[dict[Name, Finite], Field(max_length=MAX_ITEMS)]
    input_count: Annotated[int, Field(ge=0)]
    inputs: list[Any]
    recovered: bool = False
    unverified: bool = False


def check_record_fields(record: Any) -> RecordFields:
    """The record's fields, typed; RecordError names the first field that is missing or wrong."""
    if not isinstance(record, Mapping):
        raise RecordError("not an attempt record (a JSON object is expected)")
    try:
        return RecordFields.model_validate(dict(record))
    except ValidationError as exc:
        raise RecordError(_first_problem(exc)) from None
    except RecursionError:
        raise RecordError("the record nests too deeply to be read") from None


def _first_problem(exc: ValidationError) -> str:
    """The first wrong field; a value that fits none of a union's types is named once."""
    first = exc.errors(include_url=False)[0]
    loc, message = list(first["loc"]), first["msg"]
    if loc and _is_union_member(loc[-1]):  # pydantic names the union member: name the field
        loc, message = loc[:-1], "not a finite number, true/false or text"
    where = ".".join(str(part) for part in loc) or "record"
    return f"the record's '{where}' is missing or damaged ({message})"


def _is_union_member(part: Any) -> bool:
    return isinstance(part, str) and (part in ("bool", "int", "str", "float") or part.startswith("function-"))
