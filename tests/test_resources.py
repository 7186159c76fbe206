"""Bundled data is found through trainer.resources only, installed or in a checkout, zipped or not."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

import trainer
from trainer import resources
from trainer.assessment.reference import load_reference
from trainer.scenario.loader import BUILT_IN_ORDER

TRAINER = Path(trainer.__file__).parent


def test_bundled_data_reads_through_importlib_resources():
    reference = json.loads(resources.data_file("expert_reference.json").read_text(encoding="utf-8"))
    assert set(reference["scenarios"]) >= {"esp_block", "gel_phantom"}
    names = {p.name for p in resources.data_dir("scenarios").iterdir()}
    assert {"esp_block.toml", "gel_phantom.toml", "archive"} <= names
    assert resources.data_path("fonts", "DejaVuSans.ttf").is_file()


def test_the_loaders_use_the_bundled_data():
    assert trainer.list_scenarios() == list(BUILT_IN_ORDER)  # the six bundled ones, found installed
    assert load_reference()["scenarios"]["esp_block"]["metrics"]


def test_no_module_but_resources_knows_where_the_data_lives():
    lookups = re.compile(r"__file__|parents\[|/ \"assets\"|\"scenarios\" ?/")
    offenders = [
        str(path.relative_to(TRAINER))
        for path in TRAINER.rglob("*.py")
        if path.name != "resources.py" and lookups.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_data_that_is_not_on_disk_is_copied_once_to_the_user_cache(tmp_path, monkeypatch):
    archive = tmp_path / "trainer.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("trainer/data/scenarios/demo.toml", "id = 'demo'\n")
        zf.writestr("trainer/data/scenarios/archive/demo.v1.toml", "id = 'old'\n")
    monkeypatch.setattr(resources, "data_root", lambda: zipfile.Path(archive, "trainer/data/"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = resources.data_path("scenarios")
    assert folder.is_dir() and tmp_path / "cache" in folder.parents
    assert (folder / "demo.toml").read_text() == "id = 'demo'\n"
    assert (folder / "archive" / "demo.v1.toml").read_text() == "id = 'old'\n"
    assert resources.data_path("scenarios") == folder  # the copy is reused
    assert [p.name for p in folder.parent.iterdir()] == ["scenarios"]  # no partial copies left


def test_bundled_data_is_rebuilt_in_place_only_in_a_checkout(tmp_path, monkeypatch):
    in_checkout = resources.writable_data_file("expert_reference.json")
    assert in_checkout == TRAINER / "data" / "expert_reference.json"
    installed = tmp_path / "venv" / "lib" / "site-packages" / "trainer" / "data"
    installed.mkdir(parents=True)
    monkeypatch.setattr(resources, "data_root", lambda: installed)
    assert resources.writable_data_file("expert_reference.json") is None


def test_reference_from_an_installed_trainer_needs_an_out_file(monkeypatch, capsys):
    from trainer.cli import main

    monkeypatch.setattr("trainer.cli.writable_data_file", lambda *parts: None)
    assert main(["reference", "gel_phantom", "--variants", "1"]) == 2
    assert "give --out FILE" in capsys.readouterr().err


def test_a_missing_bundled_file_is_an_os_error_and_no_reference():
    missing = resources.data_file("no_such_file.json")
    with pytest.raises(OSError):
        missing.read_text(encoding="utf-8")
    assert load_reference(missing) == {}
