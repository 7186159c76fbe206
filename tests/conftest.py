"""Shared fixtures: the expert autopilot's attempts, run once per test session on two processes."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import trainer

sys.path.insert(0, str(Path(__file__).parent))  # test helpers import as plain modules

THORACIC = ("esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint")
VARIANTS = range(20)


def expert_record(job: tuple[str, int]) -> dict[str, Any]:
    scenario_id, variant = job
    sc = trainer.load_scenario(scenario_id, variant=variant)
    sim = trainer.Simulation(sc, seed=0, mode="demo")
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim.finish().to_dict()


@pytest.fixture(scope="session")
def expert_records() -> dict[tuple[str, int], dict[str, Any]]:
    """The autopilot's records on the five thoracic scenarios, variants 0-19."""
    jobs = [(sid, v) for sid in THORACIC for v in VARIANTS]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return dict(zip(jobs, pool.map(expert_record, jobs), strict=True))
