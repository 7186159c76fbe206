"""Two laptops on one shared data folder: recovery never takes a live writer's journal, an asleep
laptop's attempt is recovered and later completed, and a shorter copy never replaces a longer one."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import trainer
from trainer.records import journal_owner
from trainer.records.journal import JOURNAL_DIR
from trainer.records.journal_owner import MACHINE_ENV, Owner, claim_path
from trainer.records.recorder import recover_unfinished
from trainer.records.store import RecordStore
from trainer.replay import Replay

LAPTOP = """
import json, sys
from pathlib import Path
import trainer
from trainer.records.recorder import AttemptRecorder
from trainer.records.store import RecordStore
store = RecordStore(Path(sys.argv[1]))
sc = trainer.load_scenario("gel_phantom")
sim = trainer.Simulation(sc, seed=4, trainee={"id": "t-a", "name": "Ann", "programme_id": ""})
recorder = AttemptRecorder.start(store, sim)
said = []
recorder.notify(said.append)
actions = trainer.expert_attempt(sc)
half = len(actions) // 2
trainer.play(sim, actions[:half])
print(json.dumps({"attempt_id": sim.info.attempt_id, "inputs": len(sim.inputs)}), flush=True)
sys.stdin.readline()  # the test says when to go on
trainer.play(sim, actions[half:])
outcome = recorder.finish()
print(json.dumps({"saved": outcome.saved, "message": outcome.message, "inputs": len(sim.inputs),
                  "said": said}), flush=True)
"""


@pytest.fixture
def laptop_a(tmp_path):
    """An attempt in progress on another laptop (another machine name) writing to the shared folder."""
    data = tmp_path / "share"
    child = subprocess.Popen(
        [sys.executable, "-c", LAPTOP, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, MACHINE_ENV: "laptop-a"},
    )
    started = json.loads(child.stdout.readline())
    yield child, data, started
    if child.poll() is None:
        os.kill(child.pid, signal.SIGCONT)
        child.kill()
    child.wait()


def _finish(child):
    child.stdin.write("go\n")
    child.stdin.flush()
    return json.loads(child.stdout.readline())


def test_start_up_recovery_leaves_a_live_writers_journal_alone(laptop_a):
    child, data, started = laptop_a
    laptop_b = RecordStore(data)
    assert recover_unfinished(laptop_b) == []  # what the game does at start-up on laptop B
    [listed] = recover_unfinished(laptop_b, include_live=True)
    assert listed.in_progress and "laptop-a" in listed.message
    assert laptop_b.attempts() == []
    done = _finish(child)
    assert done["saved"] and done["message"] == "Attempt saved."
    [stored] = laptop_b.attempts()
    assert stored["input_count"] == done["inputs"] > started["inputs"] and "recovered" not in stored
    assert list((data / JOURNAL_DIR).iterdir()) == []


def test_an_asleep_laptops_attempt_is_recovered_and_then_completed_not_cut_short(laptop_a, monkeypatch):
    child, data, started = laptop_a
    os.kill(child.pid, signal.SIGSTOP)  # the lid closes: no heartbeat
    monkeypatch.setattr(journal_owner, "STALE_AFTER_S", 1.0)
    time.sleep(1.5)
    laptop_b = RecordStore(data)
    [recovery] = recover_unfinished(laptop_b)
    assert recovery.saved and recovery.attempt_id == started["attempt_id"]
    assert laptop_b.attempt(started["attempt_id"])["input_count"] == started["inputs"]
    os.kill(child.pid, signal.SIGCONT)  # the lid opens; the trainee finishes
    done = _finish(child)
    assert done["saved"] and done["message"] == "Attempt saved."
    stored = laptop_b.attempt(started["attempt_id"])
    assert stored["input_count"] == done["inputs"] > started["inputs"] and "recovered" not in stored


def test_a_shorter_copy_never_replaces_a_longer_one_and_is_kept_aside(store, make_record):
    full = make_record()
    shown = Replay(full)
    part = {**shown.at(len(shown) // 3).finish().to_dict(), "recovered": True}
    assert store.save_attempt(full).saved
    outcome = store.save_attempt(part)
    assert not outcome.saved and "a longer copy of this attempt is already stored" in outcome.message
    assert json.loads(outcome.kept_at.read_text()) == part and store.attempt(full["attempt_id"]) == full
    assert store.pending == []
    different = {**make_record(attempt_id=full["attempt_id"]), "seed": 99}
    clash = store.save_attempt(different)
    assert not clash.saved and "a different copy" in clash.message and clash.kept_at != outcome.kept_at


def test_a_recovery_in_progress_elsewhere_is_not_taken_twice(store):
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0)
    from trainer.records.recorder import AttemptRecorder

    recorder = AttemptRecorder.start(store, sim)
    sim.step(0.1)
    path = recorder._journal.path
    recorder._journal.close(discard=False)
    (path.with_name(path.name + ".owner")).write_text(Owner("laptop-c", 1).text())
    os.utime(path, (time.time() - 3600, time.time() - 3600))  # laptop C's attempt, long abandoned
    claim_path(path).write_text(Owner("laptop-d", 1).text())  # laptop D is recovering it right now
    assert recover_unfinished(store) == [] and path.exists()
    os.utime(claim_path(path), (time.time() - 3600, time.time() - 3600))  # D's recovery died
    [recovery] = recover_unfinished(store)
    assert recovery.saved and not path.exists() and not claim_path(path).exists()
