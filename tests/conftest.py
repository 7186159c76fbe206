"""Shared fixtures: the expert autopilot's attempts, run once per test session (in the background on
two processes, or shared out between the pytest-xdist workers), and reproducible seeds for every
randomised test (Hypothesis derandomised; `fuzz_seed` from the test's id)."""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
import zlib
from collections.abc import Iterator
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
EXPERT_WAIT_S = 1800.0  # an xdist worker gives up waiting for another's expert attempts after this long
EXPERT_JOBS = [(sid, v) for sid in THORACIC for v in VARIANTS]
_expert_runs: dict[str, Any] = {}  # in one process: the pool and the futures of the expert's attempts


def _xdist_worker() -> str | None:
    """This process's pytest-xdist worker id ("gw0", "gw1"...), or None when tests run in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def _needs_expert(item: pytest.Item) -> bool:
    return "expert_outcomes" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that need the expert's 100 attempts last (in one process they are made meanwhile)."""
    needs = {id(item) for item in items if _needs_expert(item)}
    items[:] = [i for i in items if id(i) not in needs] + [i for i in items if id(i) in needs]


@pytest.fixture(scope="session")
def shared_expert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Where pytest-xdist workers share the expert's attempts (None: the tests run in one process)."""
    if _xdist_worker() is None:
        return None
    folder = tmp_path_factory.getbasetemp().parent / "expert-runs"  # one per run, shared by its workers
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session", autouse=True)
def expert_runs_in_background(
    request: pytest.FixtureRequest, shared_expert_dir: Path | None
) -> Iterator[None]:
    """In one process: start the expert's attempts with the first test, in two low-priority background
    processes, when a test of the session needs them, so they use the core the tests leave idle.
    (With pytest-xdist both cores are busy with tests: the workers share the attempts instead.)"""
    if shared_expert_dir is None and any(_needs_expert(i) for i in request.session.items):
        from helpers import expert_outcome  # by module name, so the pool's workers can find it

        pool = ProcessPoolExecutor(
            max_workers=min(2, os.cpu_count() or 1), initializer=os.nice, initargs=(EXPERT_NICENESS,)
        )
        _expert_runs.update(pool=pool, futures={job: pool.submit(expert_outcome, job) for job in EXPERT_JOBS})
    yield
    if "pool" in _expert_runs:
        _expert_runs.pop("pool").shutdown(cancel_futures=True)


def _shared_outcomes(shared: Path) -> dict[tuple[str, int], Any]:
    """The workers' shared attempts: this worker plays every job no other worker has claimed yet,
    then waits for the jobs the others claimed, and reads them all."""
    from helpers import expert_outcome_to, outcome_file_name

    for job in EXPERT_JOBS:
        with contextlib.suppress(FileExistsError):
            (shared / (outcome_file_name(job) + ".claimed")).touch(exist_ok=False)
            expert_outcome_to(job, shared)
    files = {job: shared / outcome_file_name(job) for job in EXPERT_JOBS}
    deadline = time.monotonic() + EXPERT_WAIT_S
    while not all(f.exists() for f in files.values()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"another worker's expert attempts did not arrive in {shared}")
        time.sleep(0.2)
    done = {job: pickle.loads(f.read_bytes()) for job, f in files.items()}
    for outcome in done.values():
        if isinstance(outcome, Exception):  # another worker's attempt failed
            raise outcome
    return done


@pytest.fixture(scope="session")
def expert_outcomes(
    shared_expert_dir: Path | None,
) -> dict[tuple[str, int], tuple[dict[str, Any], dict[str, Any]]]:
    """The autopilot on the five thoracic scenarios, variants 0-19: (record, final state) per run
    the autopilot could plan. Every test of the expert's attempts shares these runs."""
    if shared_expert_dir is not None:
        done = _shared_outcomes(shared_expert_dir)
    else:
        from helpers import expert_outcome

        futures = _expert_runs.get("futures", {})
        done = {job: futures[job].result() if job in futures else expert_outcome(job) for job in EXPERT_JOBS}
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
