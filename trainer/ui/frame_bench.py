"""Time whole game frames on the procedure screen, in the game's own real-time loop.

Each scenario is played twice through the real loop (60 frames a second at most, game time from the
wall clock): once scanning, the probe held moving back and forth and in and out of plane through
the same key events a trainee makes, and once with the expert's inputs given as game time reaches
them (scanning, needling, injecting). A frame's time is the work of one frame: input, the fixed
steps it owes, drawing, and sending the changed rectangles to the display (not the wait for the next
frame). Game time against wall time shows whether slow frames cost time or only frames. Runs headless
unless a display is available (DISPLAY set: a real window, e.g. under Xvfb).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pygame

import trainer
from trainer.actions import apply_due
from trainer.ui.app import App
from trainer.ui.launch import start_pygame
from trainer.ui.screens.procedure import ProcedureScreen

FRAME_BUDGET_MS = 1000.0 / 60.0
SCAN_S = 8.0  # seconds of the probe moving
Phase = Callable[[App, ProcedureScreen], Iterator[None]]


@dataclass(frozen=True, slots=True)
class FrameTimes:
    """Frames of one or more runs: work per frame (ms), and how game time and images kept up."""

    run: str
    frames: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    over_16_7ms_share: float
    fps: float
    image_fps: float
    game_to_wall: float

    @classmethod
    def of(cls, run: str, times_ms: list[float], wall_s: float, game_s: float, images: int) -> FrameTimes:
        ordered = sorted(times_ms)
        n = len(ordered)
        return cls(
            run,
            n,
            round(statistics.median(ordered), 2),
            round(ordered[int(0.95 * (n - 1))], 2),
            round(ordered[int(0.99 * (n - 1))], 2),
            round(sum(t > FRAME_BUDGET_MS for t in ordered) / n, 4),
            round(n / wall_s, 1),
            round(images / wall_s, 1),
            round(game_s / wall_s, 3),
        )


@dataclass(frozen=True, slots=True)
class Run:
    """One timed run and its raw numbers (kept to summarise several runs together)."""

    name: str
    times_ms: list[float]
    wall_s: float
    game_s: float
    images: int

    def times(self) -> FrameTimes:
        return FrameTimes.of(self.name, self.times_ms, self.wall_s, self.game_s, self.images)


def together(runs: list[Run]) -> FrameTimes:
    """All runs as one: percentiles over every frame, game time over all wall time."""
    return Run(
        "all",
        [t for r in runs for t in r.times_ms],
        sum(r.wall_s for r in runs),
        sum(r.game_s for r in runs),
        sum(r.images for r in runs),
    ).times()


def scanning(app: App, screen: ProcedureScreen) -> Iterator[None]:
    """Hold the probe keys: along the plane one way, back, then out of plane and back."""
    fps = 60
    for key in (pygame.K_d, pygame.K_a, pygame.K_w, pygame.K_s, pygame.K_a, pygame.K_d):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        for _ in range(round(SCAN_S / 6 * fps)):
            yield
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))


def expert(app: App, screen: ProcedureScreen) -> Iterator[None]:
    """The expert's inputs, each given once game time reaches it."""
    script = trainer.expert_attempt(screen.sc)
    done = 0
    while done < len(script):
        done = apply_due(screen.sim, script, done)
        yield


PHASES: dict[str, Phase] = {"scanning": scanning, "expert": expert}


def time_phase(app: App, scenario_id: str, name: str, slow_ms: float) -> Run:
    """One fresh guided attempt driven by phase `name` through App.run, timed frame by frame."""
    screen = ProcedureScreen(app, scenario_id, 0, seed=0, difficulty="guided")
    app.show(screen)
    app.run(max_frames=app.frame + 30)  # settle: the first frames, other views warming up
    drive = PHASES[name](app, screen)
    times_ms: list[float] = []
    first_frame = app.frame

    def hook(app: App) -> None:
        if app.frame > first_frame:  # the frame before this one, now finished
            times_ms.append(app.last_frame_s * 1000.0)
        if slow_ms:
            time.sleep(slow_ms / 1000.0)  # a deliberately slow machine: frames drop, time must not
        if next(drive, "end") == "end":
            app.running = False

    wall, game, images = time.perf_counter(), screen.sim.time_s, screen.worker.formed
    app.run(hook)
    app.running = True
    return Run(
        f"{scenario_id} {name}",
        times_ms,
        time.perf_counter() - wall,
        screen.sim.time_s - game,
        screen.worker.formed - images,
    )


def run(scenarios: list[str], size: tuple[int, int], slow_ms: float = 0.0) -> list[Run]:
    _headless()
    start_pygame()
    try:
        app = App(Path(tempfile.mkdtemp(prefix="trainer-bench-")), size)
        app.settings.trainee_name, app.settings.trainee_id = "Bench", "bench"
        try:
            return [time_phase(app, sid, phase, slow_ms) for sid in scenarios for phase in PHASES]
        finally:
            app.close()
    finally:
        pygame.quit()


def summary(runs: list[Run], size: tuple[int, int], slow_ms: float) -> dict[str, object]:
    """The one-line JSON: every frame of every run together, with the conditions."""
    return {
        "size": f"{size[0]}x{size[1]}",
        "display": os.environ.get("SDL_VIDEODRIVER") or ("x11" if os.environ.get("DISPLAY") else ""),
        "added_slowness_ms": slow_ms,
        **{k: v for k, v in asdict(together(runs)).items() if k != "run"},
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


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
        app.close()
        return peak_rss_mb()
    finally:
        pygame.quit()


def _headless() -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # the game makes no sound


def format_row(r: FrameTimes) -> str:
    return (
        f"{r.run:32} {r.frames:6d} {r.median_ms:7.2f} {r.p95_ms:7.2f} {r.p99_ms:7.2f} "
        f"{100 * r.over_16_7ms_share:7.1f} {r.fps:6.1f} {r.image_fps:6.1f} {r.game_to_wall:9.3f}"
    )


TABLE_HEADER = (
    f"{'run':32} {'frames':>6} {'median':>7} {'p95':>7} {'p99':>7} {'>16.7%':>7} {'fps':>6} "
    f"{'images':>6} {'game/wall':>9}"
)
