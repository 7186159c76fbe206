"""Memory over a long scripted session of the real game (headless): menu, briefing, a guided attempt
played by the expert's inputs with frames drawn, results, history; again and again until the attempts
add up to the session length. Resident memory must not grow by more than 10 MB after the first laps.

Resident memory is read back on the menu after each attempt, once freed memory has been handed back
(as the game does when a screen closes), and compared cycle by cycle: a cycle plays every scenario
once, so the median of the last cycle against that of the first after the warm-up compares the same
mix of renderers (they differ by tens of MB), and one reading's heap noise does not decide."""

from __future__ import annotations

import os
import statistics
from pathlib import Path
from typing import TYPE_CHECKING

from campaigns.common import Row

if TYPE_CHECKING:
    from trainer.ui.app import App

DRAW_EVERY_S = 0.5  # a frame drawn for each half second of attempt time
WARM_UP_ROUNDS = 1  # every scenario once: its renderer, thumbnails and caches are built
LIMIT_MB = 10.0
CORE_LIMIT_MB = 2.0  # the core alone keeps no attempt: its caches fill in the first cycle


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _lap(app: App, scenario_id: str) -> float:
    """One attempt through the game's screens; the attempt time it took, s."""
    import trainer
    from trainer.actions import apply_due
    from trainer.ui.screens.briefing import BriefingScreen
    from trainer.ui.screens.history import HistoryScreen
    from trainer.ui.screens.menu import MenuScreen
    from trainer.ui.screens.procedure import ProcedureScreen

    app.show(MenuScreen(app))
    app.tick()
    app.show(BriefingScreen(app, scenario_id))
    app.tick()
    screen = ProcedureScreen(app, scenario_id, 0, seed=0, difficulty="guided")
    app.show(screen)
    script, done, drawn_at = trainer.expert_attempt(screen.sc), 0, 0.0
    while done < len(script):
        done = apply_due(screen.sim, script, done)
        screen.sim.step(1 / 60)
        if screen.sim.time_s - drawn_at >= DRAW_EVERY_S:
            app.tick()
            drawn_at = screen.sim.time_s
    game_s = screen.sim.time_s
    screen.finish()
    for _ in range(10):
        app.tick()
    app.show(HistoryScreen(app))
    app.tick()
    return game_s


def _settled_rss_mb(app: App) -> float:
    """Resident memory on the menu, once the attempt's screens are gone and freed memory handed back."""
    from trainer.ui.app import release_memory
    from trainer.ui.screens.menu import MenuScreen

    app.show(MenuScreen(app))
    app.tick()
    release_memory()
    return rss_mb()


def core(work: Path, attempts: int) -> list[Row]:
    """The same attempts on the headless 3D core alone (load, expert inputs, a frame every
    DRAW_EVERY_S, finish, the record): growth here is the core's, growth only in the game is the
    screens'. Memory is read after each attempt once freed memory is handed back."""
    import trainer
    from trainer.actions import apply_due
    from trainer.ui.app import release_memory

    scenarios = trainer.list_scenarios()[:5]
    readings: list[float] = []
    for n in range(max(attempts, 3 * len(scenarios))):
        sc = trainer.load_scenario(scenarios[n % len(scenarios)])
        sim = trainer.Simulation(sc, seed=0, difficulty="guided")
        script, done, drawn_at = trainer.expert_attempt(sc), 0, 0.0
        while done < len(script):
            done = apply_due(sim, script, done)
            sim.step(1 / 60)
            if sim.time_s - drawn_at >= DRAW_EVERY_S:
                sim.render()
                drawn_at = sim.time_s
        sim.finish().to_dict()
        del sim
        release_memory()
        readings.append(rss_mb())
    cycle = len(scenarios)
    grown_mb = statistics.median(readings[-cycle:]) - statistics.median(readings[cycle : 2 * cycle])
    name = f"3D core alone: {len(readings)} attempts"
    return [
        Row(
            name,
            len(readings),
            f"RSS growth after the first {cycle} attempts (median of a cycle), MB",
            round(grown_mb),
            False,
        ),
        Row(
            name,
            len(readings),
            f"MB of growth over the {CORE_LIMIT_MB:.0f} MB limit",
            max(0, round(grown_mb - CORE_LIMIT_MB)),
        ),
    ]


def campaign(work: Path, session_s: float) -> list[Row]:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    import trainer
    from trainer.ui.app import App
    from trainer.ui.launch import start_pygame

    start_pygame()
    app = App(work / "session", (1366, 768))
    app.settings.trainee_name, app.settings.trainee_id = "Session", "session"
    scenarios = trainer.list_scenarios()[:5]
    warm_up = WARM_UP_ROUNDS * len(scenarios)
    played_s = 0.0
    readings: list[float] = []
    try:
        while (
            played_s < session_s
            or len(readings) < warm_up + 2 * len(scenarios)
            or len(readings) % len(scenarios)
        ):
            played_s += _lap(app, scenarios[len(readings) % len(scenarios)])
            readings.append(_settled_rss_mb(app))
    finally:
        app.close()
        pygame.quit()
    laps, cycle = len(readings), len(scenarios)
    grown_mb = statistics.median(readings[-cycle:]) - statistics.median(readings[warm_up : warm_up + cycle])
    name = f"scripted game session: {laps} attempts, {played_s / 60:.0f} min of attempt time"
    return [
        Row(
            name,
            laps,
            f"RSS growth after the first {warm_up} attempts (median of a cycle), MB",
            round(grown_mb),
            False,
        ),
        Row(name, laps, f"MB of growth over the {LIMIT_MB:.0f} MB limit", max(0, round(grown_mb - LIMIT_MB))),
    ]
