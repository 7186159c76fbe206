"""Memory over a long scripted session of the real game (headless): menu, briefing, a guided attempt
played by the expert's inputs with frames drawn, results, history; again and again until the attempts
add up to the session length. Resident memory must not grow by more than 10 MB after the first laps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from campaigns.common import Row

if TYPE_CHECKING:
    from trainer.ui.app import App

DRAW_EVERY_S = 0.5  # a frame drawn for each half second of attempt time
WARM_UP_ROUNDS = 1  # every scenario once: its renderer, thumbnails and caches are built
LIMIT_MB = 10.0


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
    played_s, laps, warm_mb = 0.0, 0, 0.0
    try:
        while played_s < session_s or laps <= warm_up:
            played_s += _lap(app, scenarios[laps % len(scenarios)])
            laps += 1
            if laps == warm_up:
                warm_mb = rss_mb()
        grown_mb = rss_mb() - warm_mb
    finally:
        app.close()
        pygame.quit()
    name = f"scripted game session: {laps} attempts, {played_s / 60:.0f} min of attempt time"
    return [
        Row(name, laps, f"RSS growth after the first {warm_up} attempts, MB", round(grown_mb), False),
        Row(name, laps, f"MB of growth over the {LIMIT_MB:.0f} MB limit", max(0, round(grown_mb - LIMIT_MB))),
    ]
