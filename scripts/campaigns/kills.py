"""SIGKILL during attempts: a child plays attempt after attempt (journaling, saving) and is killed at a
random moment; the next start recovers. No attempt the child was told was saved may be missing, no
in-progress attempt may come back shorter than the inputs the child had already journaled, and the
store must stay sound."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

from campaigns.common import Row, read_when_ready, spawn

PLAYER = """
import sys
from pathlib import Path
import trainer
from trainer.records.recorder import AttemptRecorder
from trainer.records.store import RecordStore
store = RecordStore(Path(sys.argv[1]))
sc = trainer.load_scenario("gel_phantom")
script = trainer.expert_attempt(sc)
while True:
    sim = trainer.Simulation(sc, seed=0, trainee={"id": "t-kill", "name": "Kay", "programme_id": ""})
    recorder = AttemptRecorder.start(store, sim)
    print("start", sim.info.attempt_id, flush=True)
    for n, timed in enumerate(script):
        trainer.play(sim, [timed])
        if n % 50 == 0:
            print("inputs", sim.info.attempt_id, len(sim.inputs), flush=True)
    outcome = recorder.finish()
    print("saved" if outcome.saved else "unsaved", sim.info.attempt_id, flush=True)
"""


def _one_kill(data: Path, rng: random.Random) -> tuple[set[str], dict[str, int]]:
    """Run the player for a random while, kill it; (attempts it saved, inputs journaled per attempt)."""
    child = spawn(PLAYER, str(data))
    lines, reader = read_when_ready(child)
    time.sleep(rng.uniform(1.5, 6.0))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    reader.join(10)
    saved: set[str] = set()
    journaled: dict[str, int] = {}
    for line in list(lines):
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "saved":
            saved.add(parts[1])
        elif len(parts) == 3 and parts[0] == "inputs":
            journaled[parts[1]] = int(parts[2])
    return saved, journaled


def campaign(work: Path, kills: int, seed: int = 14) -> list[Row]:
    from trainer.records.recorder import recover_unfinished
    from trainer.records.schema import integrity_problems
    from trainer.records.store import RecordStore

    rng = random.Random(seed)
    data = work / "data"
    saved: set[str] = set()
    lost = short = unsound = in_progress = 0
    for _ in range(kills):
        told_saved, journaled = _one_kill(data, rng)
        saved |= told_saved
        store = RecordStore(data)
        recover_unfinished(store)
        stored = {r["attempt_id"]: r for r in store.attempts()}
        unsound += bool(integrity_problems(store.connection()))
        store.close()
        lost += len(saved - set(stored))
        unfinished = {a: n for a, n in journaled.items() if a not in told_saved}
        in_progress += len(unfinished)
        short += sum(1 for a, n in unfinished.items() if stored.get(a, {}).get("input_count", -1) < n)
    name = "SIGKILL during attempts"
    return [
        Row(name, kills, f"saved attempts lost (of {len(saved)})", lost),
        Row(name, kills, f"in-progress attempts lost or cut short (of {in_progress})", short),
        Row(name, kills, "stores failing integrity_check", unsound),
    ]
