"""Fixtures for the records tests: records of real finished attempts, an expert's and an unsafe one."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scripted import reckless_esp

import trainer
from helpers import expert_run
from trainer.records.store import RecordStore

MakeRecord = Callable[..., dict[str, Any]]
ANN = {"id": "t-ann", "name": "Ann Example"}


@functools.cache
def _expert_record(scenario_id: str) -> dict[str, Any]:
    return expert_run(scenario_id).finish().to_dict()


@functools.cache
def _unsafe_record() -> dict[str, Any]:
    """The reckless ESP attempt: in the rib view, steep, blind, on into the pleura."""
    return reckless_esp().finish().to_dict()


@pytest.fixture
def make_record() -> MakeRecord:
    """`make_record(unsafe=False, scenario_id="esp_block", **metadata)`: a copy of a real record (the
    expert's on that scenario, or the unsafe ESP attempt) under new metadata (AttemptInfo's fields:
    trainee, mode, session_id, started_at; a fresh attempt id unless given). Difficulty stays
    "standard", the one the attempt was scored at, so the record replays to itself."""

    def make(unsafe: bool = False, scenario_id: str = "esp_block", **metadata: Any) -> dict[str, Any]:
        base = _unsafe_record() if unsafe else _expert_record(scenario_id)
        defaults = {"trainee": ANN, "started_at": "2026-03-01T09:00:00.000Z"}
        info = trainer.AttemptInfo.new(**{**defaults, **metadata})
        return {**copy.deepcopy(base), **info.to_dict()}

    return make


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    s = RecordStore(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def private_places(tmp_path_factory, monkeypatch):
    """Credentials and logs of the tests go to temporary folders, never the user's keyring or files: no
    keyring backend (the owner-only file is used) unless a test installs one."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("THORACIC_TRAINER_CONFIG", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("THORACIC_TRAINER_LOG_DIR", str(tmp_path_factory.mktemp("logs")))
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)
