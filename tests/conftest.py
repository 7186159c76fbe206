"""Shared fixtures: the expert autopilot's attempts, run once per test session on two processes, and
reproducible seeds for every randomised test (Hypothesis derandomised; `fuzz_seed` from the test's id)."""

from __future__ import annotations

import os
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))  # test helpers import as plain modules

THORACIC = ("esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint")
VARIANTS = range(20)

# Every Hypothesis test draws the same examples on every run and machine (HYPOTHESIS_PROFILE=explore
# draws new ones; a failure prints the seed to reproduce it with).
settings.register_profile("reproducible", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))


@pytest.fixture(scope="session")
def expert_outcomes() -> dict[tuple[str, int], tuple[dict[str, Any], dict[str, Any]]]:
    """The autopilot on the five thoracic scenarios, variants 0-19: (record, final state) per run.
    Every test of the expert's 100 attempts shares these runs."""
    from helpers import expert_outcome  # by module name, so the pool's workers can find it

    jobs = [(sid, v) for sid in THORACIC for v in VARIANTS]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return dict(zip(jobs, pool.map(expert_outcome, jobs), strict=True))


@pytest.fixture(scope="session")
def expert_records(expert_outcomes) -> dict[tuple[str, int], dict[str, Any]]:
    """The autopilot's records (mode demo) on the five thoracic scenarios, variants 0-19."""
    return {job: record for job, (record, _) in expert_outcomes.items()}


@pytest.fixture
def fuzz_seed(request: pytest.FixtureRequest) -> int:
    """A seed fixed by the test's id (the same on every run and machine), or FUZZ_SEED when set; a
    failing test's report names it."""
    seed = int(os.environ.get("FUZZ_SEED", zlib.crc32(request.node.nodeid.encode("utf-8"))))
    request.node.user_properties.append(("fuzz_seed", seed))
    return seed


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    seeds = [value for name, value in item.user_properties if name == "fuzz_seed"]
    if seeds and call.excinfo is not None and call.when == "call":
        item.add_report_section("call", "seed", f"reproduce with FUZZ_SEED={seeds[0]}")
