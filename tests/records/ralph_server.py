"""A real Ralph LRS on 127.0.0.1 for the tests: started, stopped and restarted by the test itself.

Ralph lives in its own virtual environment (`.ci/run` makes `.venv-ralph`); $RALPH_BIN may point
elsewhere. Without it the LRS tests are skipped on a developer's machine and fail in CI.

Ralph's file-system LRS backend (the only one that needs no database server) creates its statements
file on the first write and refuses every later one ("fs_lrs.jsonl already exists and overwrite is not
allowed with operation_type create or index", answered as HTTP 500). The server therefore starts with
a `sitecustomize` that makes that backend append. Ralph's API, authentication, statement validation
and duplicate handling (200/204/409) are untouched.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
USER, PASSWORD = "lab-laptop", "s3cret-Pa55"
STARTUP_TIMEOUT_S = 60.0

APPEND_SHIM = """
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""

VALIDATE = """
import json, sys
from ralph.models.xapi.base.statements import BaseXapiStatement
problems = []
for statement in json.load(sys.stdin):
    try:
        BaseXapiStatement(**statement)
    except Exception as exc:
        problems.append(f"{statement.get('id')}: {exc}")
print(json.dumps(problems))
"""


def ralph_executable() -> Path:
    candidates = [os.environ.get("RALPH_BIN"), REPO / ".venv-ralph" / "bin" / "ralph", shutil.which("ralph")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    message = "Ralph LRS is not installed (bash .ci/run installs it in .venv-ralph)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RalphServer:
    """`ralph runserver -b fs` in its own folder; statements land in that folder's fs_lrs.jsonl."""

    def __init__(self, workdir: Path) -> None:
        self.ralph = ralph_executable()
        self.workdir = workdir
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        shim = workdir / "shim"
        shim.mkdir(parents=True, exist_ok=True)
        (shim / "sitecustomize.py").write_text(APPEND_SHIM)
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(workdir / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "PYTHONPATH": str(shim),
        }
        self._process: subprocess.Popen[bytes] | None = None
        subprocess.run(
            [
                str(self.ralph),
                "auth",
                "-u",
                USER,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-M",
                "mailto:lab@example.org",
                "-w",
            ],
            env=self.env,
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> RalphServer:
        log = open(self.workdir / "ralph.log", "ab")  # noqa: SIM115 (the server writes to it)
        self._process = subprocess.Popen(
            [
                str(self.ralph),
                "runserver",
                "-b",
                "fs",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--fs-default-directory-path",
                str(self.workdir),
            ],
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2):
                    return self
            except OSError:
                if self._process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Ralph did not start: {(self.workdir / 'ralph.log').read_text()[-2000:]}")

    def stop(self) -> None:
        """End the server and its reloader child: they run in their own process group."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        except ProcessLookupError:
            pass
        self._process = None

    def statements(self) -> list[dict[str, Any]]:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            self.endpoint + "statements?limit=500",
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return list(json.load(response)["statements"])

    def stored_lines(self) -> int:
        """Statements in Ralph's own file: a statement stored twice would show up here."""
        return sum(len(f.read_text().splitlines()) for f in self.workdir.glob("*.jsonl"))

    def validation_problems(self, statements: list[dict[str, Any]]) -> list[str]:
        """Check statements against Ralph's strict xAPI 1.0.3 statement model."""
        python = self.ralph.parent / "python"
        done = subprocess.run(
            [str(python), "-c", VALIDATE],
            input=json.dumps(statements),
            text=True,
            capture_output=True,
            check=True,
            timeout=120,
        )
        return list(json.loads(done.stdout))
