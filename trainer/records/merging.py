"""What to do when an attempt arrives that the store already holds: never keep the shorter copy.

A laptop's start-up recovery may store another laptop's attempt part-way (its journal looked
abandoned); when the whole attempt arrives later it extends the stored inputs and replaces them. A
copy that is shorter than, or different from, the stored one is a conflict: the stored one stays and
the caller is told.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from trainer.errors import RecordError
from trainer.record import inputs_of
from trainer.records.integrity import canonical_json

IGNORED_KEYS = ("recovered",)  # a recovered copy of the same inputs is the same attempt


class Merge(StrEnum):
    ADDED = "added"
    DUPLICATE = "duplicate"  # the same attempt, already here: nothing to do
    REPLACED = "replaced"  # the stored copy was a shorter part of this one, which took its place
    CONFLICT = "conflict"  # a shorter or different copy: the stored one was kept


def compare(stored: dict[str, Any], incoming: dict[str, Any]) -> Merge:
    """DUPLICATE, REPLACED or CONFLICT for two copies of one attempt (both already checked)."""
    if _without(stored) == _without(incoming):
        return Merge.DUPLICATE
    try:
        old, new = inputs_of(stored), inputs_of(incoming)
    except RecordError:
        return Merge.CONFLICT
    if len(new) > len(old) and new[: len(old)] == old:
        return Merge.REPLACED
    return Merge.CONFLICT


def conflict_message(stored: dict[str, Any], incoming: dict[str, Any]) -> str:
    have, got = int(stored.get("input_count", 0)), int(incoming.get("input_count", 0))
    if got < have:
        return f"a longer copy of this attempt is already stored ({have} inputs, this one has {got})"
    return "a different copy of this attempt is already stored"


def _without(record: dict[str, Any]) -> str:
    return canonical_json({k: v for k, v in record.items() if k not in IGNORED_KEYS})
