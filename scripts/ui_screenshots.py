"""Save a screenshot of every game screen into docs/screenshots/ (run headless or under Xvfb).

    python scripts/ui_screenshots.py [--size 1920x1080] [--out docs/screenshots]
    python scripts/ui_screenshots.py --size 1024x640 --out docs/screenshots/1024x640

Each screen is reached the way a trainee would reach it; the procedure screens are advanced with the
expert autopilot's inputs so the image shows a needle at work.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

import trainer
from trainer.ui.app import App
from trainer.ui.complications import COMPLICATIONS
from trainer.ui.launch import start_pygame
from trainer.ui.screen import Screen
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.complication_card import ComplicationCard
from trainer.ui.screens.expert import ExpertScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.menu import MenuScreen
from trainer.ui.screens.overlays import HelpOverlay, PauseOverlay
from trainer.ui.screens.procedure import ProcedureScreen, open_procedure
from trainer.ui.screens.results import ResultsScreen
from trainer.ui.screens.settings_screen import SettingsScreen
from trainer.ui.screens.start import SignInScreen


def procedure(app: App, scenario_id: str, difficulty: str, stop_s: float | None) -> Screen:
    screen = ProcedureScreen(app, scenario_id, 0, seed=0, difficulty=difficulty)
    script = trainer.expert_attempt(screen.sc)
    trainer.play(screen.sim, [a for a in script if stop_s is None or a.time_s <= stop_s])
    screen.seen_events = len(screen.sim.events)  # fast-forwarded: no stale messages on the shot
    return screen


def finished(app: App, scenario_id: str) -> Screen:
    screen = procedure(app, scenario_id, "standard", None)
    assert isinstance(screen, ProcedureScreen)
    screen.finish()
    return app.screen


def reckless(app: App) -> Screen:
    """A trainee who stays in the rib view and drives a steep needle blind into the pleura."""
    screen = ProcedureScreen(app, "esp_block", 0, seed=0, difficulty="standard")
    sim = screen.sim
    sim.move_probe(dx_mm=30.0)
    sim.insert(-9.0, 62.0)
    for _ in range(300):
        sim.advance(0.2)
        sim.step(1 / 60)
    sim.inject(2.0)
    screen.finish()
    return app.screen


def settle(app: App, name: str) -> None:
    """Frames until the screen shows what it should: the demo under way, every thumbnail in."""
    complete = getattr(app.screen, "complete", lambda: True)
    frames = 200 if name == "expert-demo" else 3
    while frames > 0 or not complete():
        app.tick()
        frames -= 1
    app.tick()  # the frame that shows the last picture to arrive


def hinted(app: App) -> Screen:
    """A standard attempt before the puncture, with a hint asked for and fine control held."""
    screen = procedure(app, "esp_block", "standard", 3.0)
    assert isinstance(screen, ProcedureScreen)
    screen.show_hint()
    screen.controls.keys_down.add(app.bindings.keys["fine"])
    return screen


def enlarged(app: App) -> Screen:
    results = finished(app, "esp_block")
    assert isinstance(results, ResultsScreen)
    results.replay.seek(results.replay.duration_s * 0.6)
    results.toggle_enlarged()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start_pygame()
    app = App(Path(tempfile.mkdtemp(prefix="trainer-shots-")), (size[0], size[1]))
    alex = app.records.sign_in("Alex Morgan", "", "")
    app.settings.trainee_name, app.settings.trainee_id = alex.name, alex.id
    shots: list[tuple[str, Callable[[], Screen]]] = [
        ("sign-in", lambda: SignInScreen(app)),
        ("menu-new-trainee", lambda: MenuScreen(app)),
        ("loading", lambda: open_procedure(app, "esp_block", 0)),
        ("procedure-guided", lambda: procedure(app, "esp_block", "guided", 16.0)),
        ("procedure-standard-hint", lambda: hinted(app)),
        ("procedure-standard-facet", lambda: procedure(app, "facet_joint", "standard", None)),
        ("expert-demo", lambda: ExpertScreen(app, "costotransverse_joint", 0)),
        ("results", lambda: finished(app, "esp_block")),
        ("results-replay-enlarged", lambda: enlarged(app)),
        ("results-costovertebral", lambda: finished(app, "costovertebral_joint")),
        ("results-failed", lambda: reckless(app)),
        ("history", lambda: HistoryScreen(app)),
        ("menu", lambda: MenuScreen(app)),
        ("briefing", lambda: BriefingScreen(app, "costovertebral_joint")),
        ("settings", lambda: SettingsScreen(app)),
    ]
    for name, make in shots:
        screen = make()
        if not app.stack or app.screen is not screen:
            app.show(screen)
        settle(app, name)
        save(app, out, name)
    app.settings.difficulty = "exam"
    app.show(BriefingScreen(app, "esp_block"))
    settle(app, "briefing-exam")
    save(app, out, "briefing-exam")
    app.settings.difficulty = "guided"
    settings = SettingsScreen(app)
    app.show(settings)
    settings.bind("advance", pygame.K_d)  # a key in use: the game asks first
    settle(app, "settings-key-clash")
    save(app, out, "settings-key-clash")
    app.show(procedure(app, "esp_block", "guided", 10.0))
    for name, overlay in (
        ("help", HelpOverlay(app)),
        ("pause", PauseOverlay(app, lambda: None, lambda: None)),
        ("complication", ComplicationCard(app, COMPLICATIONS["pleura_puncture"])),
    ):
        app.push(overlay)
        app.tick()
        save(app, out, name)
        app.pop()
    app.quit()
    app.close()
    pygame.quit()


def save(app: App, out: Path, name: str) -> None:
    pygame.image.save(app.window, out / f"{name}.png")
    print(out / f"{name}.png")


if __name__ == "__main__":
    main()
