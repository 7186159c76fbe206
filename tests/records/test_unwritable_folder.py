"""A read-only data folder: a clear message, the attempt kept in memory, saved on retry.

Root ignores file permissions, so the check runs in a child process that, when started as root, gives up
its privileges (becomes the user 'nobody') once the trainer is imported.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

CHILD = """
import json, os, sys
from pathlib import Path
from trainer.records.store import RecordStore
if len(sys.argv) > 3:
    os.setgid(int(sys.argv[3]))
    os.setuid(int(sys.argv[3]))
store = RecordStore(Path(sys.argv[1]))
record = json.loads(Path(sys.argv[2]).read_text())
first = store.save_attempt(record)
print(json.dumps({"saved": first.saved, "message": first.message, "pending": len(store.pending)}), flush=True)
sys.stdin.readline()  # the test makes the folder writable, then says go
again = store.retry_pending()
print(json.dumps({"saved": [o.saved for o in again], "stored": len(store.attempts()),
                  "pending": len(store.pending)}), flush=True)
"""


def _unprivileged_uid() -> list[str]:
    if os.geteuid() != 0:
        return []
    import pwd

    try:
        return [str(pwd.getpwnam("nobody").pw_uid)]
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to lose the privileges")


@pytest.fixture
def shared_tmp():
    folder = Path(tempfile.mkdtemp(prefix="trainer-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.mark.parametrize("existing_database", [False, True])
def test_read_only_data_folder_gives_a_clear_message_and_keeps_the_attempt(
    shared_tmp, make_record, existing_database
):
    data = shared_tmp / "data"
    data.mkdir()
    if existing_database:
        from trainer.records.store import RecordStore

        RecordStore(data).connection().close()
        (data / "trainer.sqlite3").chmod(0o644)
    data.chmod(0o555)
    record_file = shared_tmp / "record.json"
    record_file.write_text(json.dumps(make_record()))
    record_file.chmod(0o644)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(record_file), *_unprivileged_uid()],
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        first = json.loads(child.stdout.readline())
        assert first["saved"] is False and first["pending"] == 1
        assert first["message"].startswith(f"Cannot save in {data}: the folder is read-only")
        assert "kept in memory" in first["message"]
        data.chmod(0o777)
        if existing_database:
            (data / "trainer.sqlite3").chmod(0o666)
        child.stdin.write("go\n")
        child.stdin.flush()
        second = json.loads(child.stdout.readline())
    finally:
        child.kill()
        child.wait()
    assert second == {"saved": [True], "stored": 1, "pending": 0}
