"""Shared fixtures: the expert autopilot's attempts, run once per test session in the background on
two processes, and reproducible seeds for every randomised test (Hypothesis derandomised; `fuzz_seed` from the test's id)."""

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


EXPERT_NICENESS = 5  # the background runs give way to the tests running meanwhile
_expert_runs: dict[str, Any] = {}  # the pool and the futures of the expert's attempts


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the expert's 100 attempts in two low-priority background processes as soon as a collected
    test needs them, and run the tests that need them last: the attempts and the other tests then
    share both cores instead of taking turns."""
    needs = {id(item) for item in items if "expert_outcomes" in getattr(item, "fixturenames", ())}
    if needs:
        items[:] = [i for i in items if id(i) not in needs] + [i for i in items if id(i) in needs]
        _start_expert_runs()


def _start_expert_runs() -> None:
    from helpers import expert_outcome  # by module name, so the pool's workers can find it

    pool = ProcessPoolExecutor(
        max_workers=min(2, os.cpu_count() or 1), initializer=os.nice, initargs=(EXPERT_NICENESS,)
    )
    jobs = [(sid, v) for sid in THORACIC for v in VARIANTS]
    _expert_runs.update(pool=pool, futures={job: pool.submit(expert_outcome, job) for job in jobs})


def pytest_sessionfinish() -> None:
    if "pool" in _expert_runs:
        _expert_runs.pop("pool").shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def expert_outcomes() -> dict[tuple[str, int], tuple[dict[str, Any], dict[str, Any]]]:
    """The autopilot on the five thoracic scenarios, variants 0-19: (record, final state) per run
    the autopilot could plan. Every test of the expert's attempts shares these runs."""
    if "futures" not in _expert_runs:
        _start_expert_runs()
    done = {job: future.result() for job, future in _expert_runs["futures"].items()}
    return {job: outcome for job, outcome in done.items() if outcome is not None}


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
