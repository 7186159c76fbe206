"""Reading JSON that may be hostile: a size limit and a nesting limit, checked before parsing.

A file nested ten thousand levels deep, or a gigabyte of brackets, gets a one-sentence refusal
instead of a RecursionError or an exhausted memory.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

MAX_JSON_BYTES = 64 * 1024 * 1024  # an export of several thousand attempts
MAX_JSON_DEPTH = 32  # an attempt record nests six levels deep
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPEN, _CLOSE = b"[{", b"]}"


class JsonLimitError(ValueError):
    """The JSON is too large or nested too deeply to be read safely."""


def nesting_depth(data: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (strings ignored), in linear time."""
    brackets = np.frombuffer(_STRING.sub(b"", data), dtype=np.uint8)
    steps = np.isin(brackets, np.frombuffer(_OPEN, np.uint8)).astype(np.int32)
    steps -= np.isin(brackets, np.frombuffer(_CLOSE, np.uint8)).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def loads_limited(data: bytes | str, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads with the limits; JsonLimitError or json.JSONDecodeError (both ValueError) on refusal."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise JsonLimitError(
            f"it is {len(raw) / 2**20:.0f} MB, more than the {max_bytes / 2**20:.0f} MB allowed"
        )
    depth = nesting_depth(raw)
    if depth > max_depth:
        raise JsonLimitError(f"it nests {depth} levels deep, more than the {max_depth} allowed")
    try:
        return json.loads(raw)
    except RecursionError:
        raise JsonLimitError(f"it nests more than {max_depth} levels deep") from None


def read_json_file(path: Path, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON in a file, refused (JsonLimitError) before reading if the file is too large."""
    size = path.stat().st_size
    if size > max_bytes:
        raise JsonLimitError(f"it is {size / 2**20:.0f} MB, more than the {max_bytes / 2**20:.0f} MB allowed")
    return loads_limited(path.read_bytes(), max_bytes, max_depth)
