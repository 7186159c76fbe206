"""Run-time errors are shown and logged without losing the attempt; bad settings never crash."""

import json

import pygame
from harness import Harness

from trainer.ui.app import App, start_pygame
from trainer.ui.screens.overlays import ErrorOverlay
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.settings import Settings


def test_an_error_in_a_frame_is_shown_logged_and_the_attempt_goes_on(tmp_path, monkeypatch):
    start_pygame()
    app = App(tmp_path, (1366, 768))
    app.settings.trainee_name, app.settings.trainee_id = "Sam", "sam"
    screen = ProcedureScreen(app, "gel_phantom", 0, seed=1)
    app.show(screen)
    screen.sim.move_probe(dx_mm=3.0)
    inputs_before = len(screen.sim.inputs)
    logged = []
    monkeypatch.setattr("trainer.ui.app.log.error", lambda *a: logged.append(a))
    original = screen.draw_panel
    screen.draw_panel = lambda surface: (_ for _ in ()).throw(RuntimeError("panel broke"))  # type: ignore[method-assign]
    app.tick()
    assert isinstance(app.screen, ErrorOverlay) and "panel broke" in app.screen.message
    assert logged and "panel broke" in logged[0][1]
    screen.draw_panel = original  # type: ignore[method-assign]
    app.screen.button("continue").on_click()
    assert app.screen is screen and len(screen.sim.inputs) >= inputs_before
    app.tick()
    assert app.screen is screen
    journal = list((tmp_path / "journal").glob("*"))
    assert journal, "the attempt in progress is journaled on disk"


def test_a_broken_settings_file_gives_defaults_and_a_notice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    settings, problem = Settings.load(path)
    assert settings == Settings() and "could not be read" in problem
    path.write_text(json.dumps({"ui_scale": 9, "difficulty": "impossible", "bindings": {"advance": "nokey"}}))
    settings, problem = Settings.load(path)
    assert problem == "" and settings.ui_scale == 2.0 and settings.difficulty == "guided"
    h = Harness(tmp_path)  # an unknown key name keeps the default binding
    assert h.app.bindings.key_name("advance") == "UP"


def test_settings_survive_a_restart(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name = "Ola"
    h.app.bindings.remap("advance", pygame.K_i)
    h.app.set_ui_scale(1.3)
    h.app.save_settings()
    again = Harness(tmp_path)
    assert again.app.settings.trainee_name == "Ola" and again.app.settings.ui_scale == 1.3
    assert again.app.bindings.key_name("advance") == "I"
