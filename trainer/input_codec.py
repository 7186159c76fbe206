"""Inputs in a record, compactly: repeated runs of blocks of up to eight actions are folded.

An attempt is one input per 1/60 s step, and steps alternate with advances or probe moves, so a
plain run-length code barely helps. Items are `[name, {args}]` or `{"repeat": n, "of": [items]}`
(`[name, {args}, n]`, the first record format's runs, still decodes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from trainer.actions import TEXT_ARGS, Action

MAX_BLOCK = 8
MAX_INPUTS = 5_000_000  # about 11 hours at 60 steps per second, two inputs per step


def encode_inputs(actions: Sequence[Action]) -> list[Any]:
    """JSON-ready items; each run of a repeating block of up to MAX_BLOCK actions becomes one."""
    out: list[Any] = []
    i = 0
    while i < len(actions):
        size, count = _longest_repeat(actions, i)
        block = [a.to_list() for a in actions[i : i + size]]
        if count > 1:
            out.append({"repeat": count, "of": block})
        else:
            out.extend(block)
        i += size * count
    return out


def _longest_repeat(actions: Sequence[Action], i: int) -> tuple[int, int]:
    """(block size, repeats) covering the most actions from i; (1, 1) if nothing repeats."""
    best = (1, 1)
    for size in range(1, MAX_BLOCK + 1):
        block = actions[i : i + size]
        count = 1
        while actions[i + count * size : i + (count + 1) * size] == block:
            count += 1
        if count > 1 and size * count > best[0] * best[1]:
            best = (size, count)
    return best


def decode_inputs(items: Any) -> list[Action]:
    """The actions of encoded items; ValueError says what is malformed."""
    if not isinstance(items, list):
        raise ValueError("'inputs' must be a list")
    actions: list[Action] = []
    for item in items:
        block, count = _unfold(item)
        if len(actions) + len(block) * count > MAX_INPUTS:
            raise ValueError(f"more than {MAX_INPUTS} inputs")
        actions.extend(block * count)
    return actions


def _unfold(item: Any) -> tuple[list[Action], int]:
    if isinstance(item, dict):
        count, block = item.get("repeat"), item.get("of")
        if set(item) != {"repeat", "of"} or not isinstance(block, list) or not block:
            raise ValueError(f"a folded input must be {{'repeat': n, 'of': [inputs]}}, not {item!r}")
        return [_action(a) for a in block], _count(count)
    if isinstance(item, list) and len(item) == 3:
        return [_action(item[:2])], _count(item[2])
    return [_action(item)], 1


MAX_TEXT_ARG_CHARS = 16  # a level or a side


def _action(item: Any) -> Action:
    action = Action.from_list(item)
    for key, value in action.args:
        if key in TEXT_ARGS:
            good = isinstance(value, str) and len(value) <= MAX_TEXT_ARG_CHARS
        else:
            good = isinstance(value, int | float) and math.isfinite(value)
        if not good:
            raise ValueError(f"input '{action.name}' has a bad {key}: {str(value)[:40]!r}")
    return action


def _count(count: Any) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"a repeat count must be a positive whole number, not {count!r}")
    return count
