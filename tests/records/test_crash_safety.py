"""Processes killed with SIGKILL: committed attempts survive, journals recover, the database stays sound."""

import json
import os
import random
import signal
import subprocess
import sys

from trainer.records.recorder import recover_unfinished
from trainer.records.schema import integrity_problems
from trainer.records.store import RecordStore

FINISH_THEN_WAIT = """
import sys, time, trainer
from pathlib import Path
from trainer.records.recorder import AttemptRecorder
from trainer.records.store import RecordStore
store = RecordStore(Path(sys.argv[1]))
sc = trainer.load_scenario("facet_joint")
sim = trainer.Simulation(sc, seed=7, trainee={"id": "t-cy", "name": "Cy"}, difficulty="exam")
recorder = AttemptRecorder.start(store, sim)
actions = trainer.expert_attempt(sc)
trainer.play(sim, actions if sys.argv[2] == "finish" else actions[: len(actions) // 2])
if sys.argv[2] == "finish":
    print(recorder.finish().attempt_id, flush=True)
else:
    print(sim.info.attempt_id, len(sim.inputs), flush=True)
time.sleep(60)
"""

SAVE_FOREVER = """
import json, sys, uuid
from pathlib import Path
from trainer.records.store import RecordStore
store = RecordStore(Path(sys.argv[1]))
record = json.loads(Path(sys.argv[2]).read_text())
while True:
    record = {**record, "attempt_id": str(uuid.uuid4())}
    assert store.save_attempt(record).saved
    print(record["attempt_id"], flush=True)
"""


def _spawn(*args):
    return subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True)


def _kill(child):
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def test_an_attempt_survives_a_kill_right_after_it_finished(tmp_path):
    child = _spawn(FINISH_THEN_WAIT, str(tmp_path), "finish")
    attempt_id = child.stdout.readline().strip()
    _kill(child)
    store = RecordStore(tmp_path)
    assert store.attempt(attempt_id)["scenario"]["id"] == "facet_joint"
    assert integrity_problems(store.connection()) == []
    assert recover_unfinished(store) == []


def test_the_journal_recovers_an_attempt_killed_midway(tmp_path):
    child = _spawn(FINISH_THEN_WAIT, str(tmp_path), "midway")
    attempt_id, n_inputs = child.stdout.readline().split()
    _kill(child)
    store = RecordStore(tmp_path)
    [recovery] = recover_unfinished(store)
    assert recovery.saved and recovery.attempt_id == attempt_id
    record = store.attempt(attempt_id)
    assert record["recovered"] and record["input_count"] == int(n_inputs)
    assert record["trainee"] == {"id": "t-cy", "name": "Cy", "programme_id": ""}
    assert record["difficulty"] == "exam"


def test_the_store_passes_integrity_check_after_repeated_kills(tmp_path, make_record):
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(make_record()))
    data = tmp_path / "data"
    committed: list[str] = []
    rng = random.Random(6)
    for _ in range(6):
        child = _spawn(SAVE_FOREVER, str(data), str(record_file))
        for _ in range(rng.randint(2, 12)):
            committed.append(child.stdout.readline().strip())
        _kill(child)  # very likely in the middle of the next transaction
    store = RecordStore(data)
    assert integrity_problems(store.connection()) == []
    assert store.notices == []
    stored = {r["attempt_id"] for r in store.attempts()}
    assert set(committed) <= stored and len(stored) <= len(committed) + 6
