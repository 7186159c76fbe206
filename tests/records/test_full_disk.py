"""A disk that fills up while an attempt runs: the write error is caught once and said once, the attempt
goes on in memory, the journal comes back when there is room, and the attempt is saved on retry.

The disk is a real 2 MB tmpfs when the tests may mount one (as root); otherwise the child process gets a
file-size limit, which makes writes fail the same way (EFBIG instead of ENOSPC)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

CHILD = """
import errno, json, resource, signal, sys
from pathlib import Path
import trainer
from trainer.records import recorder as rec
from trainer.records.journal import read_journal
from trainer.records.recorder import AttemptRecorder
from trainer.records.store import RecordStore

data, mode = Path(sys.argv[1]), sys.argv[2]
rec.RESUME_AFTER_S = 0.0
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

def fill():
    if mode == "rlimit":
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
        return
    with open(data / "filler", "wb") as f:
        try:
            while True:
                f.write(b"\\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC

def free():
    if mode == "rlimit":
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    else:
        (data / "filler").unlink()

store = RecordStore(data)
store.connection()
sc = trainer.load_scenario("gel_phantom")
sim = trainer.Simulation(sc, seed=1)
recorder = AttemptRecorder.start(store, sim)
said = []
recorder.notify(said.append)
actions = trainer.expert_attempt(sc)
third = len(actions) // 3
errors = 0

def play(part):
    global errors
    for timed in part:
        try:
            trainer.play(sim, [timed])
        except Exception:
            errors += 1

play(actions[:third])
fill()
play(actions[third : 2 * third])
said_while_full = list(said)
free()
play(actions[2 * third :])
journal_inputs = len(read_journal(recorder._path())[1])
fill()
outcome = recorder.finish()
pending = len(store.pending)
free()
retried = store.retry_pending()
stored = store.attempt(sim.info.attempt_id)
print(json.dumps({
    "errors": errors, "said_while_full": said_while_full, "said": said, "inputs": len(sim.inputs),
    "journal_inputs": journal_inputs, "saved_when_full": outcome.saved, "message": outcome.message,
    "pending": pending, "retried": [o.saved for o in retried],
    "stored_inputs": stored["input_count"] if stored else None,
}))
"""


@pytest.fixture(params=["full disk", "file-size limit"])
def small_disk(tmp_path, request):
    """(folder, mode): a 2 MB tmpfs if it can be mounted here, else a folder and a file-size limit."""
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    mounted = (
        request.param == "full disk"
        and os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], check=False
        ).returncode
        == 0
    )
    yield folder, "tmpfs" if mounted else "rlimit"
    if mounted:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_during_an_attempt_is_said_once_and_loses_nothing(small_disk):
    folder, mode = small_disk
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder / "data"), mode],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["errors"] == 0  # no input ever raised: the game shows no error overlays
    assert len(result["said_while_full"]) == 1  # one message while the disk was full, not one per input
    expected = "the disk is full" if mode == "tmpfs" else "Cannot save in"
    assert expected in result["said_while_full"][0] and "kept in memory" in result["said_while_full"][0]
    assert "protected against a crash again" in result["said"][1]
    assert result["journal_inputs"] == result["inputs"]  # the journal came back whole
    assert not result["saved_when_full"] and "kept in memory" in result["message"] and result["pending"] == 1
    assert result["retried"] == [True] and result["stored_inputs"] == result["inputs"]
