"""Data folders that misbehave: read-only, full while an attempt runs, shared by two laptops."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

from campaigns.common import Row, spawn

READ_ONLY = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from campaigns.common import fresh_record
from trainer.records.store import RecordStore
records = [fresh_record() for _ in range(5)]  # made before giving up root: the stdlib may be root's
if sys.argv[2] != "-":
    os.setgid(int(sys.argv[2])); os.setuid(int(sys.argv[2]))
store = RecordStore(Path(sys.argv[1]))
outcomes = [store.save_attempt(r) for r in records]
print(json.dumps({"saved": sum(o.saved for o in outcomes), "pending": len(store.pending)}), flush=True)
sys.stdin.readline()
again = store.retry_pending()
print(json.dumps({"saved": sum(o.saved for o in again), "stored": len(store.attempts())}), flush=True)
"""

FULL_DISK = """
import errno, json, sys
from pathlib import Path
import trainer
from trainer.records import recorder as rec
from trainer.records.recorder import AttemptRecorder
from trainer.records.store import RecordStore
data = Path(sys.argv[1])
rec.RESUME_AFTER_S = 0.0
store = RecordStore(data); store.connection()
sc = trainer.load_scenario("gel_phantom")
sim = trainer.Simulation(sc, seed=1)
recorder = AttemptRecorder.start(store, sim)
said, errors = [], 0
recorder.notify(said.append)
script = trainer.expert_attempt(sc)
with open(data / "filler", "wb") as f:
    try:
        while True:
            f.write(b"\\0" * 65536); f.flush()
    except OSError:
        pass
for timed in script:
    try:
        trainer.play(sim, [timed])
    except Exception:
        errors += 1
outcome = recorder.finish()
(data / "filler").unlink()
retried = store.retry_pending()
stored = store.attempt(sim.info.attempt_id)
print(json.dumps({"errors": errors, "said": len(said), "saved_later": [o.saved for o in retried],
                  "kept": bool(stored) and stored["input_count"] == len(sim.inputs)}), flush=True)
"""


def read_only(work: Path, rounds: int) -> list[Row]:
    lost = 0
    nobody = str(pwd.getpwnam("nobody").pw_uid) if os.geteuid() == 0 else "-"
    for n in range(rounds):
        data = work / f"read-only-{n}"
        data.mkdir(parents=True)
        data.chmod(0o555)
        child = spawn(READ_ONLY, str(data), nobody, str(Path(__file__).resolve().parents[1]))
        first = json.loads(child.stdout.readline())  # type: ignore[union-attr]
        data.chmod(0o777)
        child.stdin.write("go\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
        second = json.loads(child.stdout.readline())  # type: ignore[union-attr]
        child.wait()
        lost += 5 - second["stored"] if first["saved"] == 0 else 0
    return [Row("read-only data folder, then made writable", 5 * rounds, "attempts lost", lost)]


def full_disk(work: Path, rounds: int) -> list[Row]:
    if os.geteuid() != 0:
        return [
            Row("disk full during an attempt (needs root to mount a small tmpfs)", 0, "not run", 0, False)
        ]
    errors = repeats = lost = 0
    for n in range(rounds):
        disk = work / f"disk-{n}"
        disk.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)
        try:
            child = spawn(FULL_DISK, str(disk / "data"))
            result = json.loads(child.stdout.readline())  # type: ignore[union-attr]
            child.wait()
        finally:
            subprocess.run(["umount", str(disk)], check=True)
        errors += result["errors"]
        repeats += max(0, result["said"] - 1)
        lost += not (result["saved_later"] == [True] and result["kept"])
    name = "disk full during an attempt (2 MB tmpfs), then freed"
    return [
        Row(name, rounds, "errors raised into the game's inputs", errors),
        Row(name, rounds, "messages repeated after the first", repeats),
        Row(name, rounds, "attempts lost", lost),
    ]


LAPTOP = """
import json, sys
from pathlib import Path
import trainer
from trainer.records.recorder import AttemptRecorder
from trainer.records.store import RecordStore
store = RecordStore(Path(sys.argv[1]))
sc = trainer.load_scenario("gel_phantom")
sim = trainer.Simulation(sc, seed=4)
recorder = AttemptRecorder.start(store, sim)
script = trainer.expert_attempt(sc)
trainer.play(sim, script[: len(script) // 2])
print(json.dumps({"attempt_id": sim.info.attempt_id, "inputs": len(sim.inputs)}), flush=True)
sys.stdin.readline()
trainer.play(sim, script[len(script) // 2 :])
outcome = recorder.finish()
print(json.dumps({"saved": outcome.saved, "inputs": len(sim.inputs)}), flush=True)
"""


def two_laptops(work: Path, rounds: int) -> list[Row]:
    """Laptop A runs attempts in a shared folder; laptop B (this process) starts up meanwhile."""
    from trainer.records import journal_owner
    from trainer.records.recorder import recover_unfinished
    from trainer.records.store import RecordStore

    taken = cut_short = 0
    for n in range(rounds):
        asleep = n % 2 == 1
        data = work / f"share-{n}"
        child = spawn(LAPTOP, str(data), THORACIC_TRAINER_MACHINE=f"laptop-a-{n}")
        started = json.loads(child.stdout.readline())  # type: ignore[union-attr]
        if asleep:
            os.kill(child.pid, signal.SIGSTOP)  # the lid closes: no heartbeat
            journal_owner.STALE_AFTER_S, stale_was = 1.0, journal_owner.STALE_AFTER_S
            time.sleep(1.5)
        recovered = recover_unfinished(RecordStore(data))
        if asleep:
            journal_owner.STALE_AFTER_S = stale_was
            os.kill(child.pid, signal.SIGCONT)
        else:
            taken += len(recovered)  # a live writer's journal must be left alone
        child.stdin.write("go\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
        done = json.loads(child.stdout.readline())  # type: ignore[union-attr]
        child.wait()
        stored = RecordStore(data).attempt(started["attempt_id"])
        cut_short += not (done["saved"] and stored and stored["input_count"] == done["inputs"])
        shutil.rmtree(data, ignore_errors=True)
    name = "two laptops on one shared folder (awake, and asleep mid-attempt)"
    return [
        Row(name, rounds, "live attempts taken by the other laptop's recovery", taken),
        Row(name, rounds, "finished attempts lost or stored cut short", cut_short),
    ]
