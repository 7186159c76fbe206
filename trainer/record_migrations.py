"""Bringing records of older formats up to the current one: a chain of small per-format steps.

`STEPS[n]` turns a format-n record into a format-(n+1) record; `upgrade(record)` applies every step
the record needs. Each step is deterministic, so the same old record becomes the same new record on
every laptop (merges and sealed imports still match). To change the format: bump `RECORD_FORMAT` in
`trainer/result.py`, append one step here, and describe it in docs/record-format.md.

Format 1 records (from before the assessment) hold no results: they only replay, unchanged.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from trainer.errors import RecordError
from trainer.result import RECORD_FORMAT

REPLAY_ONLY_FORMAT = 1
# Old trainee ids (slugs of names, or ids typed at sign-in) become uuid5(LEGACY_TRAINEES, old id).
LEGACY_TRAINEES = uuid.UUID("6b0f3f5e-2f1c-4d5e-9a7b-3c8e1d2f4a60")

Step = Callable[[dict[str, Any]], dict[str, Any]]


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _name_slug(name: str) -> str:
    """The id format 2's sign-in screen derived from a name when none was typed."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "trainee"


def legacy_trainee(old: Mapping[str, Any]) -> dict[str, str]:
    """A format-2 trainee {"id", "name"} as a format-3 one: an opaque id (kept if it is a UUID
    already), the name as it was, and the old id as the programme id when someone typed it (not when
    it was only a slug of the name)."""
    old_id, name = str(old.get("id", "")), str(old.get("name", ""))
    if is_uuid(old_id):
        return {"id": old_id, "name": name, "programme_id": str(old.get("programme_id", ""))}
    typed = old_id not in ("", _name_slug(name))
    return {
        "id": str(uuid.uuid5(LEGACY_TRAINEES, old_id)),
        "name": name,
        "programme_id": old_id if typed else "",
    }


def _opaque_trainee_ids(record: dict[str, Any]) -> dict[str, Any]:
    """Format 2 -> 3: trainees get opaque ids and a programme id."""
    who = record.get("trainee")
    return {**record, "format": 3, "trainee": legacy_trainee(who) if isinstance(who, Mapping) else who}


def _on_the_patient(record: dict[str, Any]) -> dict[str, Any]:
    """Format 3 -> 4: nothing to change; format-4 records may hold probe turns, fans, rocks and
    placements, which a format-3 trainer cannot replay."""
    return {**record, "format": 4}


STEPS: dict[int, Step] = {2: _opaque_trainee_ids, 3: _on_the_patient}


def upgrade(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record at the current format (a format-1 record as it is); RecordError for an unknown one."""
    if not isinstance(record, Mapping):
        raise RecordError("not an attempt record (a JSON object is expected)")
    fmt = record.get("format")
    if "format" not in record:
        raise RecordError("the record has no 'format'")
    if fmt == REPLAY_ONLY_FORMAT:
        return dict(record)
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt <= REPLAY_ONLY_FORMAT:
        raise RecordError(f"the record's format ({fmt!r})"[:80] + " is unknown")
    if fmt > RECORD_FORMAT:
        raise NewerRecordError(fmt)
    upgraded = dict(record)
    for step in range(fmt, RECORD_FORMAT):
        upgraded = STEPS[step](upgraded)
    return upgraded


class NewerRecordError(RecordError):
    """A record written by a newer version of the trainer: kept as it is, never set aside as damaged."""

    def __init__(self, fmt: int) -> None:
        super().__init__(
            f"the record has format {fmt}, newer than this trainer's {RECORD_FORMAT}: update the trainer"
        )
