"""Shared fixtures: the expert autopilot's attempts, run once per test session on two processes."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # test helpers import as plain modules

THORACIC = ("esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint")
VARIANTS = range(20)


@pytest.fixture(scope="session")
def expert_records() -> dict[tuple[str, int], dict[str, Any]]:
    """The autopilot's records on the five thoracic scenarios, variants 0-19."""
    from helpers import expert_record  # by module name, so the pool's workers can find it

    jobs = [(sid, v) for sid in THORACIC for v in VARIANTS]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return dict(zip(jobs, pool.map(expert_record, jobs), strict=True))
