"""Standing against experts: where an attempt's metrics fall among the autopilot's runs over many
anatomical variants (the bundled data file expert_reference.json, rebuilt by `python main.py reference`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources.abc import Traversable
from typing import Any

from trainer.assessment.metric import Better, MetricValue
from trainer.resources import data_file

REFERENCE_NAME = "expert_reference.json"
REFERENCE_FORMAT = 1
TOLERANCE = 1e-6


@lru_cache(maxsize=4)
def load_reference(source: Traversable | None = None) -> dict[str, Any]:
    """The stored reference (the bundled one by default); empty when the file is missing or
    unreadable (no standing then)."""
    try:
        data = json.loads(
            (data_file(REFERENCE_NAME) if source is None else source).read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == REFERENCE_FORMAT else {}


def expert_runs(scenario_id: str, version: int, reference: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The experts' values per metric for a scenario version (empty if there are none)."""
    entry = reference.get("scenarios", {}).get(scenario_id)
    if not isinstance(entry, dict) or entry.get("version") != version:
        return {}
    runs = entry.get("metrics", {})
    return runs if isinstance(runs, dict) else {}


def percentile(value: float, experts: list[float], better: Better) -> float:
    """Percent of expert runs that this value equals or beats."""
    if better == "lower":
        matched = sum(1 for e in experts if value <= e + TOLERANCE)
    else:
        matched = sum(1 for e in experts if value >= e - TOLERANCE)
    return round(100.0 * matched / len(experts), 1)


def standing(
    scenario_id: str,
    version: int,
    metrics: Mapping[str, MetricValue],
    better: Mapping[str, Better],
    reference: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """Per ordered metric, the percent of expert runs the attempt equalled or beat."""
    runs = expert_runs(scenario_id, version, load_reference() if reference is None else reference)
    return {
        name: percentile(float(value), [float(e) for e in runs[name]], better[name])
        for name, value in metrics.items()
        if better.get(name) is not None and runs.get(name) and not isinstance(value, str)
    }
