"""How long the trainee waits: launch to the first screen (new and returning trainee), and Enter on
the briefing to the procedure's first frame.

Launches are timed in a fresh Python process each (imports included), from just before the process
starts to the first frame on the display. Opening a procedure is timed in this process through the
real loop: the Enter key event, then frames until the loading screen shows and until the procedure's
first frame.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pygame

import trainer
from trainer.ui.app import App
from trainer.ui.launch import open_game, start_pygame
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.procedure import ProcedureScreen

RETURNING_ATTEMPTS = ("gel_phantom", "esp_block")


def measure(size: tuple[int, int]) -> dict[str, object]:
    _headless()
    new_user = Path(tempfile.mkdtemp(prefix="trainer-new-"))
    returning = Path(tempfile.mkdtemp(prefix="trainer-returning-"))
    make_returning_trainee(returning)
    return {
        "size": f"{size[0]}x{size[1]}",
        "new_trainee_first_screen": launch(new_user, size),
        "returning_trainee_menu": launch(returning, size),
        "procedure": open_procedure_timing(size),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def make_returning_trainee(data_dir: Path) -> None:
    """A trainee who has signed in before and finished two attempts."""
    from trainer.ui.portfolio import Portfolio

    records = Portfolio(data_dir)
    try:
        alex = records.sign_in("Alex Morgan", "", "")
        for sid in RETURNING_ATTEMPTS:
            sim = trainer.Simulation(trainer.load_scenario(sid), seed=0, trainee=alex)
            recorder = records.start(sim)
            trainer.play(sim, trainer.expert_attempt(sim.scenario))
            records.save(recorder)
    finally:
        records.close()
    settings = {"trainee_name": alex.name, "trainee_id": alex.id}
    (data_dir / "settings.json").write_text(json.dumps(settings), encoding="utf-8")


def launch(data_dir: Path, size: tuple[int, int]) -> dict[str, object]:
    """A fresh process, timed from just before it starts to its first frame and to a complete menu."""
    code = "import sys; from trainer.ui.startup_bench import first_frame; first_frame(*sys.argv[1:])"
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, str(started), str(data_dir), f"{size[0]}x{size[1]}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def first_frame(started: str, data_dir: str, size: str) -> None:
    """In the launched process: open the game as `python main.py` does, draw frames, report."""
    import trainer.cli  # noqa: F401  (what main.py imports before anything else)

    w, h = (int(v) for v in size.split("x"))
    app = open_game(data_dir, size=(w, h))
    try:
        app.run(max_frames=1)
        first_s = time.time() - float(started)
        screen = type(app.screen).__name__
        complete = getattr(app.screen, "complete", lambda: True)
        app.run(lambda app: stop_when(app, complete()))
        out = {"screen": screen, "first_frame_s": round(first_s, 2)}
        out["complete_s"] = round(time.time() - float(started), 2)
        print(json.dumps(out))
    finally:
        app.close()
        pygame.quit()


def open_procedure_timing(size: tuple[int, int]) -> dict[str, object]:
    """Enter on the ESP briefing: time to the next frame on screen, and to the procedure's first."""
    start_pygame()
    app = App(Path(tempfile.mkdtemp(prefix="trainer-open-")), size)
    app.settings.trainee_name, app.settings.trainee_id = "Bench", "bench"
    try:
        app.show(BriefingScreen(app, "esp_block"))
        app.run(max_frames=app.frame + 2)
        enter = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
        pygame.event.post(enter)
        pressed = time.perf_counter()
        app.run(max_frames=app.frame + 1)
        next_frame_s = time.perf_counter() - pressed
        screen = type(app.screen).__name__
        app.run(lambda app: stop_when(app, isinstance(app.screen, ProcedureScreen)))  # ends on its frame
        return {
            "next_frame_s": round(next_frame_s, 3),
            "next_screen": screen,
            "procedure_first_frame_s": round(time.perf_counter() - pressed, 2),
        }
    finally:
        app.close()
        pygame.quit()


def stop_when(app: App, done: bool) -> None:
    """A frame hook: end the loop once `done` (the frame about to be drawn is the last)."""
    app.running = not done


def _headless() -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
