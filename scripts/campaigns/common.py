"""What every campaign shares: a row of the results table, sizes, child processes, a real Ralph LRS."""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: `count` of `measure` over `cases`; `must_be_zero` counts are losses or
    crashes (the campaign fails unless they are 0); the others say what happened (refused, kept...)."""

    campaign: str
    cases: int
    measure: str
    count: int
    must_be_zero: bool = True

    @property
    def failed(self) -> bool:
        return self.must_be_zero and self.count != 0


@dataclass(frozen=True, slots=True)
class Size:
    """How big each campaign runs: the full size of issue 14, or a quick one for CI."""

    fuzz_files: int
    record_mutants: int
    kills: int
    lrs_rounds: int
    lab_rounds: int
    session_game_s: float
    core_attempts: int


FULL = Size(
    fuzz_files=10_000,
    record_mutants=400,
    kills=120,
    lrs_rounds=60,
    lab_rounds=10,
    session_game_s=1800,
    core_attempts=40,
)
QUICK = Size(
    fuzz_files=600,
    record_mutants=60,
    kills=8,
    lrs_rounds=6,
    lab_rounds=2,
    session_game_s=300,
    core_attempts=15,
)


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "MPLBACKEND": "Agg"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return {**env, **extra}


def spawn(code: str, *args: str, **env: str) -> subprocess.Popen[str]:
    """A Python child running `code` with `args`, its stdout a pipe of lines."""
    return subprocess.Popen(
        [PYTHON, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=child_env(**env),
        cwd=ROOT,
    )


def read_when_ready(
    child: subprocess.Popen[str], timeout_s: float = 300.0
) -> tuple[list[str], threading.Thread]:
    """The child's stdout lines, collected as they come by the returned thread (it ends when the child
    does); returns once the first line is there (the child has imported the trainer and planned its
    attempt), so a kill timed after this lands while it works, however slow the machine."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(child.stdout or []), daemon=True)
    reader.start()
    wait_for(lambda: lines or child.poll() is not None, timeout_s)
    return lines, reader


def run_cli(data: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python main.py --data-dir DATA ARGV...` in a fresh process, as an instructor would type it."""
    return subprocess.run(
        [PYTHON, str(ROOT / "main.py"), "--data-dir", str(data), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=600,
        check=False,
    )


def crashed(done: subprocess.CompletedProcess[str]) -> bool:
    """A traceback instead of a message."""
    return "Traceback (most recent call last)" in done.stderr or done.returncode not in (0, 1, 2)


@functools.cache
def expert_record(scenario_id: str = "gel_phantom") -> dict[str, Any]:
    import trainer

    sc = trainer.load_scenario(scenario_id)
    sim = trainer.Simulation(sc, seed=0)
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim.finish().to_dict()


def fresh_record(**metadata: Any) -> dict[str, Any]:
    """The expert's record under a new attempt id (and the given trainee, session...)."""
    import trainer

    info = trainer.AttemptInfo.new(**metadata)
    return {**copy.deepcopy(expert_record()), **info.to_dict()}


def ralph_server(workdir: Path) -> Any:
    """A real Ralph LRS on 127.0.0.1 (scripts/test.sh installs it in .venv-ralph)."""
    sys.path.insert(0, str(ROOT / "tests" / "records"))
    from ralph_server import RalphServer

    if not any(Path(p).is_file() for p in (os.environ.get("RALPH_BIN", ""), ROOT / ".venv-ralph/bin/ralph")):
        raise SystemExit("Ralph LRS is not installed: run bash scripts/test.sh once (it makes .venv-ralph)")
    return RalphServer(workdir)


def wait_for(condition: Any, timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path
