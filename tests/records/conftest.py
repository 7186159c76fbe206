"""Fixtures for the records tests: real finished attempts with a complete record envelope."""

from __future__ import annotations

import copy
import functools
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import trainer
from trainer.records.store import RecordStore

MakeRecord = Callable[..., dict[str, Any]]

METRICS = {"elapsed_time_s": 21.5, "path_length_mm": 48.2, "tip_to_target_mm": 1.2, "target_hit": True,
           "blind_advances": 0, "injectate_distribution": "correct plane"}
UNITS = {"elapsed_time_s": "s", "path_length_mm": "mm", "tip_to_target_mm": "mm", "target_hit": "",
         "blind_advances": "count", "injectate_distribution": "class"}


@functools.cache
def _expert_result(scenario: str, variant: int, seed: int) -> dict[str, Any]:
    sc = trainer.load_scenario(scenario, variant=variant)
    sim = trainer.Simulation(sc, seed=seed)
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim.finish().to_dict()


def complete_record(base: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    """A real `result.to_dict()` with the agreed envelope filled in (issue 4 adds these for real)."""
    record = copy.deepcopy(base)
    record.update({"attempt_id": str(uuid.uuid4()), "trainee": {"id": "t-ann", "name": "Ann Example"},
                   "session_id": None, "mode": "practice", "difficulty": "standard",
                   "started_at": "2026-03-01T09:00:00.000Z", "score": 82.5, "band": "safe",
                   "metrics": dict(METRICS), "metric_units": dict(UNITS),
                   "feedback": [], "strengths": ["kept the tip in view"]})
    record.update(envelope)
    return record


@pytest.fixture
def make_record() -> MakeRecord:
    def make(scenario: str = "esp_block", variant: int = 0, seed: int = 0, **envelope: Any) -> dict[str, Any]:
        return complete_record(_expert_result(scenario, variant, seed), **envelope)
    return make


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    s = RecordStore(tmp_path / "data")
    yield s
    s.close()
