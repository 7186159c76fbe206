"""Versions: --version, help under the name it was started as, records that say which libraries made
them, and a replay that says when those differ."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import trainer
from trainer.cli import command_name, main
from trainer.versions import numeric_versions, version_differences

ROOT = Path(__file__).resolve().parents[1]


def started_as(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ((sys.executable, "main.py"), "python main.py"),
        ((sys.executable, "-m", "trainer"), "python -m trainer"),
        ((str(Path(sys.executable).parent / "thoracic-trainer"),), "thoracic-trainer"),
    ],
)
def test_version_and_help_name_the_command_that_was_run(command, name):
    version = started_as(*command, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"{name} {trainer.__version__}"
    help_text = started_as(*command, "demo", "--help")
    assert help_text.stdout.startswith(f"usage: {name} demo ")


def test_command_names():
    assert command_name("/usr/local/bin/thoracic-trainer") == "thoracic-trainer"
    assert command_name(r"C:\Tools\thoracic-trainer.exe".replace("\\", "/")) == "thoracic-trainer"
    assert command_name("main.py") == "python main.py"
    assert command_name("/site/trainer/__main__.py") == "python -m trainer"


def test_the_package_metadata_and_the_code_agree_on_the_version():
    installed = metadata.version("thoracic-us-trainer")
    assert installed == trainer.__version__, "stale install metadata: run pip install -e '.[test]' again"


def test_the_tests_run_on_the_pinned_numeric_libraries():
    pins = dict(
        re.findall(r"^([a-z0-9-]+)==(\S+)$", (ROOT / "constraints.txt").read_text(encoding="utf-8"), re.M)
    )
    assert set(pins) == {"numpy", "opencv-python-headless", "shapely"}
    now = numeric_versions()
    pinned = (pins["numpy"], pins["opencv-python-headless"], pins["shapely"])
    assert (now["numpy"], now["opencv"], now["shapely"]) == pinned, "install with -c constraints.txt"


def test_a_record_stores_the_versions_that_made_it_and_keeps_them_when_loaded():
    record = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0).finish().to_dict()
    assert record["versions"] == numeric_versions()
    assert set(record["versions"]) == {"trainer", "python", "numpy", "shapely", "geos", "opencv"}
    older = {**record, "versions": {**record["versions"], "numpy": "1.26.0"}}
    assert trainer.load_record(older).to_dict()["versions"]["numpy"] == "1.26.0"
    assert trainer.load_record({**record, "versions": ["damaged"]}).to_dict()["versions"] == {}


def test_version_differences_name_each_library():
    now = numeric_versions()
    assert version_differences({"versions": now}) == []
    assert version_differences({"versions": {**now, "numpy": "1.26.0"}}) == [
        f"numpy 1.26.0 (now {now['numpy']})"
    ]
    assert version_differences({}) == ["the record does not say which library versions made it"]


def write_demo_record(tmp_path: Path, capsys: pytest.CaptureFixture[str], **changes: object) -> Path:
    assert main(["demo", "gel_phantom", "--headless", "--inputs"]) == 0
    record = {**json.loads(capsys.readouterr().out), **changes}
    path = tmp_path / "attempt.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def test_replay_says_when_other_libraries_made_the_record_and_still_reproduces_it(tmp_path, capsys):
    other = {**numeric_versions(), "numpy": "1.26.0", "opencv": "4.9.0.80"}
    path = write_demo_record(tmp_path, capsys, versions=other)
    assert main(["replay", str(path)]) == 0
    out = capsys.readouterr()
    assert "made with other versions" in out.err and "numpy 1.26.0 (now" in out.err
    assert "opencv 4.9.0.80" in out.err and "parts that differ: none" in out.err
    report = json.loads(out.out)
    assert report["reproduced"] and all(report["matches"].values())
    assert len(report["versions_differ"]) == 2


def test_replay_reports_which_parts_still_reproduce(tmp_path, capsys):
    path = write_demo_record(tmp_path, capsys, score=12.5, versions={})
    assert main(["replay", str(path)]) == 1
    out = capsys.readouterr()
    assert "parts that differ: score" in out.err
    report = json.loads(out.out)
    assert report["matches"] == {"events": True, "passed": True, "score": False, "metrics": True}


def test_replay_on_the_same_libraries_says_nothing_extra(tmp_path, capsys):
    path = write_demo_record(tmp_path, capsys)
    assert main(["replay", str(path)]) == 0
    out = capsys.readouterr()
    assert out.err == "" and json.loads(out.out)["versions_differ"] == []
