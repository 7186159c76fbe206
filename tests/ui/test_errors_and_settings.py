"""Run-time errors are shown and logged without losing the attempt; bad settings never crash."""

import json
import time

import pygame
from harness import OPEN, Harness

from trainer.ui.app import App
from trainer.ui.launch import start_pygame
from trainer.ui.screens.overlays import ErrorOverlay
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.settings import Settings


def test_an_error_in_a_frame_is_shown_logged_and_the_attempt_goes_on(tmp_path, monkeypatch):
    start_pygame()
    app = App(tmp_path, (1366, 768))
    OPEN.append(app)
    app.settings.trainee_name, app.settings.trainee_id = "Sam", "sam"
    screen = ProcedureScreen(app, "gel_phantom", 0, seed=1)
    app.show(screen)
    screen.sim.move_probe(dx_mm=3.0)
    inputs_before = len(screen.sim.inputs)
    logged = []
    monkeypatch.setattr("trainer.ui.app.log.error", lambda *a: logged.append(a))
    original = screen.panel_rows
    screen.panel_rows = lambda: (_ for _ in ()).throw(RuntimeError("panel broke"))  # type: ignore[method-assign]
    app.tick()
    assert isinstance(app.screen, ErrorOverlay) and "panel broke" in app.screen.message
    assert logged and "panel broke" in logged[0][1]
    screen.panel_rows = original  # type: ignore[method-assign]
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


def test_a_damaged_database_is_set_aside_and_the_menu_says_so(tmp_path):
    from trainer.ui.screens.menu import MenuScreen

    (tmp_path / "trainer.sqlite3").write_bytes(b"this is not a database" * 100)
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Ola", "ola"
    menu = h.show(MenuScreen(h.app))
    h.frames(2)
    assert isinstance(menu, MenuScreen) and menu.notices
    assert any("trainer.sqlite3" in n or "damaged" in n.lower() for n in menu.notices), menu.notices
    assert h.app.records.store.attempts() == []  # a fresh, working store replaced it


def test_the_frame_rate_shows_when_asked(tmp_path):
    from trainer.ui.screens.settings_screen import SettingsScreen

    h = Harness(tmp_path)
    h.show(SettingsScreen(h.app))
    h.click("fps")
    assert h.app.settings.show_fps
    h.frames(3)  # drawn without error in the corner


def test_a_full_disk_keeps_the_attempt_until_retry_saving_succeeds(tmp_path):
    import trainer
    from trainer.ui.screens.results import ResultsScreen

    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Ola", "ola"
    screen = h.show(ProcedureScreen(h.app, "gel_phantom", 0, seed=2, difficulty="standard"))
    assert isinstance(screen, ProcedureScreen)
    db = h.app.records.store.connection()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now answers 'database or disk is full'
    trainer.play(screen.sim, trainer.expert_attempt(screen.sc))
    screen.finish()
    results = h.screen
    assert isinstance(results, ResultsScreen)
    assert results.outcome is not None and not results.outcome.saved
    assert "kept in memory" in results.message and results.button("retry_save").enabled
    h.frames(2)
    # the store dropped the failed connection; its next one has room again, as after freeing space
    h.click("retry_save")
    assert results.message == "Saved." and not results.button("retry_save").enabled
    assert [r["attempt_id"] for r in h.app.records.store.attempts()] == [results.record["attempt_id"]]


def test_an_unusable_data_folder_still_lets_the_trainee_train(tmp_path, monkeypatch):
    from trainer.records.store import RecordStore, StoreUnavailable
    from trainer.ui.screens.menu import MenuScreen
    from trainer.ui.screens.start import first_screen

    def refuse(self):
        raise StoreUnavailable(f"Cannot open the records in {self.data_dir}: permission denied.")

    monkeypatch.setattr(RecordStore, "connection", refuse)
    h = Harness(tmp_path)
    h.show(first_screen(h.app))
    h.type("Zed")
    h.key(pygame.K_RETURN, frames=2)
    menu = h.screen
    assert isinstance(menu, MenuScreen)
    assert any("permission denied" in n for n in menu.notices)
    h.click("start_gel_phantom")
    h.key(pygame.K_RETURN, frames=2)
    h.wait_for(ProcedureScreen)


def test_a_broken_or_unplayable_scenario_file_never_stops_the_menu(tmp_path, monkeypatch):
    import trainer
    from trainer.scenario import loader
    from trainer.ui import thumbnails
    from trainer.ui.screens.menu import MenuScreen

    folder = tmp_path / "scenarios"  # the scenarios folder holds one good, one broken, one unplayable file
    folder.mkdir()
    gel = (loader.SCENARIO_DIR / "gel_phantom.toml").read_text("utf-8")
    (folder / "gel_phantom.toml").write_text(gel, "utf-8")
    (folder / "broken.toml").write_text('id = "broken"\ntitle = [[[\n', "utf-8")
    flat = gel.replace('id = "gel_phantom"', 'id = "flat_only"').replace("[20.0, 45.0]", "[84.0, 85.0]")
    flat = flat.replace("circle = [-10.0, 36.0, 3.0]", "circle = [5.0, 17.0, 4.0]")  # the tube over the cyst
    (folder / "flat_only.toml").write_text(flat, "utf-8")  # loads; every path at 84-85 deg meets the tube
    monkeypatch.setattr(loader, "SCENARIO_DIR", folder)
    monkeypatch.setattr(trainer, "list_scenarios", lambda: loader.list_scenarios(folder))
    h = Harness(tmp_path / "data")
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Ola", "ola"
    menu = h.show(MenuScreen(h.app))
    assert isinstance(menu, MenuScreen)
    assert [sc.id for sc in menu.scenarios] == ["gel_phantom", "flat_only"]
    assert any("broken.toml" in n and "left out" in n for n in menu.notices), menu.notices
    give_up = time.monotonic() + 60
    while not menu.complete() and time.monotonic() < give_up:
        h.frames(1)
        time.sleep(0.01)
    h.frames(2)
    assert thumbnails.failure("flat_only") and thumbnails.failure("gel_phantom") is None
    assert any("cannot be played: flat_only variant 0: no clear path" in n for n in menu.notices), (
        menu.notices
    )
    assert not menu.button("start_flat_only").enabled and not menu.button("expert_flat_only").enabled
    assert menu.button("start_gel_phantom").enabled
    card = next(r for sc, r in menu.cards.placed if sc.id == "flat_only")
    h.click_at((card.left + 4, card.top + 4))  # the card itself starts a playable procedure
    assert h.screen is menu
