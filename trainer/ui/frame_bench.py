"""Time whole game frames (input, simulation step, B-mode render, drawing, flip) on the procedure screen.

The expert's inputs drive a trainee's procedure screen at 60 Hz so every kind of frame is in the sample:
scanning, needling, injecting. Runs headless unless a display is available.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pygame

import trainer
from trainer.actions import apply_due
from trainer.ui.app import App, start_pygame
from trainer.ui.screens.procedure import ProcedureScreen

FRAME_BUDGET_MS = 1000.0 / 60.0


@dataclass(frozen=True, slots=True)
class FrameTimes:
    scenario: str
    difficulty: str
    frames: int
    median_ms: float
    p95_ms: float
    worst_ms: float
    over_budget_pct: float


def time_frames(app: App, scenario_id: str, difficulty: str) -> FrameTimes:
    """One expert attempt replayed through the real procedure screen, timed frame by frame."""
    screen = ProcedureScreen(app, scenario_id, 0, seed=0, difficulty=difficulty)
    app.show(screen)
    script = trainer.expert_attempt(screen.sc)
    times_ms: list[float] = []
    next_action = 0
    while next_action < len(script):
        start = time.perf_counter()
        next_action = apply_due(screen.sim, script, next_action)
        app.tick()
        times_ms.append((time.perf_counter() - start) * 1000.0)
    times_ms = times_ms[10:]  # the first frames build the renderer's caches
    times_ms.sort()
    over = sum(t > FRAME_BUDGET_MS for t in times_ms) / len(times_ms) * 100.0
    return FrameTimes(
        scenario_id,
        difficulty,
        len(times_ms),
        statistics.median(times_ms),
        times_ms[int(0.95 * (len(times_ms) - 1))],
        times_ms[-1],
        over,
    )


def run(scenarios: list[str], size: tuple[int, int]) -> list[FrameTimes]:
    _headless()
    start_pygame()
    try:
        app = App(Path(tempfile.mkdtemp(prefix="trainer-bench-")), size)
        app.settings.trainee_name, app.settings.trainee_id = "Bench", "bench"
        return [time_frames(app, sid, d) for sid in scenarios for d in ("guided", "standard")]
    finally:
        pygame.quit()


def session_peak_mb(size: tuple[int, int]) -> float:
    """Peak resident memory over a realistic session: the menu with its thumbnails, then each
    thoracic procedure from its briefing through the expert's attempt to the results and replay,
    then the history."""
    from trainer.bench import peak_rss_mb
    from trainer.ui.screens.briefing import BriefingScreen
    from trainer.ui.screens.history import HistoryScreen
    from trainer.ui.screens.menu import MenuScreen

    _headless()
    start_pygame()
    try:
        app = App(Path(tempfile.mkdtemp(prefix="trainer-bench-")), size)
        app.settings.trainee_name, app.settings.trainee_id = "Bench", "bench"
        for sid in trainer.list_scenarios()[:5]:
            app.show(MenuScreen(app))
            app.tick()
            app.show(BriefingScreen(app, sid))
            app.tick()
            app.show(ProcedureScreen(app, sid, 0, seed=0, difficulty="guided"))
            screen = app.screen
            assert isinstance(screen, ProcedureScreen)
            trainer.play(screen.sim, trainer.expert_attempt(screen.sc))
            app.tick()
            screen.finish()
            del screen  # the results screen keeps what it needs; the game holds nothing else
            for _ in range(30):
                app.tick()
        app.show(HistoryScreen(app))
        app.tick()
        return peak_rss_mb()
    finally:
        pygame.quit()


def _headless() -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # the game makes no sound


def format_row(r: FrameTimes) -> str:
    return (
        f"{r.scenario:22} {r.difficulty:9} {r.frames:6d} {r.median_ms:8.2f} {r.p95_ms:8.2f} "
        f"{r.worst_ms:8.2f} {r.over_budget_pct:7.1f}"
    )


TABLE_HEADER = (
    f"{'scenario':22} {'overlays':9} {'frames':>6} {'median':>8} {'p95':>8} {'worst':>8} {'>16.7ms':>7}"
)
