"""The trainer's version, and the versions of everything its numbers depend on.

Exact replay rests on numpy's random streams and arithmetic, GEOS geometry (through shapely) and
OpenCV's image operations. Every record stores `numeric_versions()`, so a replay can say when it runs
on other libraries than the ones that made the record (constraints.txt pins the tested ones).
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from typing import Any

import shapely

__version__ = "0.2.0"

OPENCV_DISTRIBUTIONS = (
    "opencv-python-headless",
    "opencv-python",
    "opencv-contrib-python-headless",
    "opencv-contrib-python",
)


def numeric_versions() -> dict[str, str]:
    """The trainer, Python and numeric library versions in use now (a fresh dict each call)."""
    return dict(_numeric_versions())


@cache
def _numeric_versions() -> tuple[tuple[str, str], ...]:
    return (
        ("trainer", __version__),
        ("python", platform.python_version()),
        ("numpy", _installed("numpy")),
        ("shapely", _installed("shapely")),
        ("geos", shapely.geos_version_string),
        ("opencv", next((v for d in OPENCV_DISTRIBUTIONS if (v := _installed(d)) != "none"), "none")),
    )


def _installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "none"


def recorded_versions(record: Mapping[str, Any]) -> dict[str, str]:
    """The versions a record says made it (empty for an older record or a damaged field)."""
    stored = record.get("versions")
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, Mapping) else {}


def version_differences(record: Mapping[str, Any]) -> list[str]:
    """What differs between the versions a record was made with and those in use now, one
    'numpy 2.3.1 (now 2.4.6)' per library; a record that stores no versions says so."""
    recorded = recorded_versions(record)
    if not recorded:
        return ["the record does not say which library versions made it"]
    now = numeric_versions()
    return [
        f"{name} {recorded.get(name, 'unknown')} (now {version})"
        for name, version in now.items()
        if str(recorded.get(name, "unknown")) != version
    ]
