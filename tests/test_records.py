"""Records: the agreed JSON envelope, exact replay, stepping and scrubbing, and clear errors."""

import json
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scripted import advance, in_view, reach

import trainer
from trainer.actions import Action
from trainer.input_codec import decode_inputs, encode_inputs
from trainer.record import load_record, read_record_file
from trainer.replay import RecordError, Replay, replay
from trainer.scenario.loader import SCENARIO_DIR

# with pytest-xdist on one worker: the eventful attempt is played once
pytestmark = pytest.mark.xdist_group("test_records")


@pytest.fixture(scope="module")
def eventful() -> dict:
    """A scripted attempt with two passes, a redirection, an injection and a critical event."""
    sim = in_view(
        "esp_block",
        trainee={"id": "r-7", "name": "A. Resident"},
        session_id="lab-1",
        mode="exam",
        difficulty="exam",
    )
    reach(sim, -40.0, (-10.0, 24.0))
    sim.steer(-6.0)
    advance(sim, 2.0)
    sim.inject(1.0)
    sim.advance(-sim.needle.depth_mm)
    reach(sim, -30.0, (-11.5, 40.0), stop_on=(trainer.events.EventKind.VESSEL_PUNCTURE,))
    return sim.finish().to_dict()


def state(sim: trainer.Simulation) -> tuple:
    return (sim.time_s, sim.needle, sim.probe, sim.events, sim.injectate, sim.assessment.values())


def test_the_record_keeps_the_agreed_envelope(eventful):
    r = json.loads(json.dumps(eventful))
    assert r["format"] == 4 and uuid.UUID(r["attempt_id"]).version == 4
    assert r["scenario"] == {"id": "esp_block", "version": 2, "variant": 0} and r["seed"] == 0
    assert (r["mode"], r["difficulty"], r["session_id"]) == ("exam", "exam", "lab-1")
    assert r["trainee"] == {"id": "r-7", "name": "A. Resident", "programme_id": ""}
    assert datetime.fromisoformat(r["started_at"]).utcoffset().total_seconds() == 0
    assert isinstance(r["duration_s"], float) and 0.0 <= r["score"] <= 100.0
    assert isinstance(r["band"], str) and r["passed"] is False and r["target_reached"] is False
    assert set(r["metric_units"]) == set(r["metrics"])
    assert all(isinstance(v, int | float | bool | str) for v in r["metrics"].values())
    assert all("kind" in e for e in r["events"]) and r["feedback"] and isinstance(r["strengths"], list)
    assert len(decode_inputs(r["inputs"])) == r["input_count"]


def test_a_stored_record_loads_back_as_it_was(eventful):
    assert load_record(eventful).to_dict() == eventful


def test_replaying_a_record_gives_the_same_attempt(eventful, expert_records):
    assert replay(eventful).to_dict() == eventful
    expert = expert_records["costovertebral_joint", 1]
    assert replay(json.loads(json.dumps(expert))).to_dict() == expert


def test_the_replay_steps_and_scrubs_to_the_same_states(eventful):
    inputs = decode_inputs(eventful["inputs"])
    fresh = trainer.Simulation(trainer.load_scenario("esp_block"), seed=0)
    expected = [state(fresh.snapshot())]
    for action in inputs:
        action.apply(fresh)
        expected.append(state(fresh.snapshot()))
    shown = Replay(eventful)
    assert len(shown) == len(inputs)
    for index in (len(inputs), 3, 0, len(inputs) // 2, len(inputs) // 2 + 1, 1, len(inputs) - 1):
        assert state(shown.at(index)) == expected[index], index
    shown.at(10)
    assert state(shown.step()) == expected[11]
    assert shown.at_time(0.5).time_s <= 0.5 < shown.at(shown.index + 1).time_s
    assert shown.result().to_dict() == eventful


def test_an_older_scenario_version_loads_says_so_and_replays_from_the_archive(eventful, tmp_path):
    """The record was made on esp_block version 2; the installed scenario is now version 3."""
    text = (SCENARIO_DIR / "esp_block.toml").read_text(encoding="utf-8")
    (tmp_path / "esp_block.toml").write_text(text.replace("version = 2", "version = 3", 1))
    assert load_record(eventful).scenario_version == 2
    with pytest.raises(RecordError, match=r"made on version 2 of 'esp_block'.*version 3 is installed"):
        replay(eventful, scenario_dir=tmp_path)
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "esp_block.v2.toml").write_text(text)
    again = replay(eventful, scenario_dir=tmp_path)
    assert again.scenario_version == 2 and again.to_dict() == eventful


def test_a_record_of_the_2d_scenarios_replays_from_the_archived_version_1():
    """Records made before the 3D patient replay exactly on the archived 2D files."""
    sc = trainer.load_scenario(SCENARIO_DIR / "archive" / "esp_block.v1.toml")
    assert sc.version == 1 and sc.anatomy is None
    sim = trainer.Simulation(sc, seed=0, mode="demo")
    trainer.play(sim, trainer.expert_attempt(sc))
    record = sim.finish().to_dict()
    again = replay(record)
    assert again.scenario_version == 1 and again.to_dict() == record


def damaged(record: dict) -> list[dict]:
    """Ways a record gets corrupted or cut off."""
    missing = [
        {k: v for k, v in record.items() if k != key}
        for key in ("scenario", "seed", "inputs", "mode", "attempt_id")
    ]
    wrong = [
        ("seed", "zero"),
        ("format", 99),
        ("difficulty", "heroic"),
        ("trainee", {"id": 7}),
        ("scenario", {"id": "no_such", "version": 1, "variant": 0}),
        ("inputs", [["launch", {}]]),
        ("inputs", [["advance", {"mm": "x"}]]),
        ("inputs", [["advance", {"mm": float("nan")}]]),
        ("inputs", [{"repeat": -1, "of": []}]),
        ("inputs", record["inputs"][:-1]),
        ("input_count", record["input_count"] + 5),
    ]
    return missing + [{**record, key: value} for key, value in wrong]


def test_a_corrupted_or_truncated_record_gives_a_clear_error(eventful):
    for bad in damaged(eventful):
        with pytest.raises(RecordError):
            replay(bad)
    with pytest.raises(RecordError, match="truncated"):
        replay({**eventful, "inputs": eventful["inputs"][:-1]})
    with pytest.raises(RecordError):
        load_record({**eventful, "events": [{"kind": "teleport"}]})
    with pytest.raises(RecordError):
        replay(["not", "a", "record"])  # type: ignore[arg-type]


def test_a_cut_off_record_file_is_reported_not_raised(eventful, tmp_path):
    path = tmp_path / "attempt.json"
    path.write_text(json.dumps(eventful)[:5000], encoding="utf-8")
    with pytest.raises(RecordError, match="cut off"):
        read_record_file(path)
    run = subprocess.run(
        [sys.executable, "main.py", "replay", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert run.returncode == 2 and run.stderr.startswith("error:") and "Traceback" not in run.stderr


def test_a_record_file_replays_from_the_command_line(eventful, tmp_path):
    path = tmp_path / "attempt.json"
    path.write_text(json.dumps(eventful), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "main.py", "replay", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert json.loads(run.stdout)["reproduced"] is True


def test_a_first_format_record_still_replays():
    sim = in_view("gel_phantom")
    reach(sim, -24.0, (5.0, 28.0))
    sim.inject(1.0)
    items = [item for a in sim.inputs for item in ([*a.to_list(), 1],)]  # the old [name, args, n]
    old = {
        "format": 1,
        "scenario": {"id": "gel_phantom", "version": 1, "variant": 0},
        "seed": 0,
        "inputs": items,
    }
    assert replay(old).events == tuple(sim.events)


actions = st.one_of(
    st.builds(lambda mm: Action.of("advance", mm=mm), st.sampled_from([0.05, -0.05, 0.5])),
    st.just(Action.of("step", dt_s=1.0 / 60.0)),
    st.builds(lambda d: Action.of("steer", delta_deg=d), st.floats(-5, 5, allow_nan=False)),
    st.just(Action.of("inject", ml=0.1)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(actions, max_size=80))
def test_inputs_fold_and_unfold_to_the_same_actions(seq):
    encoded = json.loads(json.dumps(encode_inputs(seq)))
    assert decode_inputs(encoded) == seq


def test_an_attempt_folds_into_a_short_record(expert_records):
    record = expert_records["esp_block", 0]
    assert record["input_count"] > 2000
    assert len(json.dumps(record["inputs"])) < 5000
