"""Every screen at four window sizes and three interface scales: no text or widget outside the window,
spilling out of its panel, on top of another, or cut short with no way to read the rest."""

from collections.abc import Callable

import pygame
import pytest
from harness import Harness

import trainer
from helpers import expert_run
from trainer.ui import audit, widgets
from trainer.ui.app import App
from trainer.ui.complications import COMPLICATIONS
from trainer.ui.screen import Screen
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.complication_card import ComplicationCard
from trainer.ui.screens.expert import ExpertScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.loading import LoadingScreen
from trainer.ui.screens.menu import MenuScreen
from trainer.ui.screens.overlays import ErrorOverlay, HelpOverlay, PauseOverlay
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.screens.results import ResultsScreen
from trainer.ui.screens.settings_screen import SettingsScreen
from trainer.ui.screens.start import SignInScreen
from trainer.ui.settings import largest_scale

SIZES = ((1024, 640), (1366, 768), (1920, 1080), (2560, 1440))
SCALES = (0.85, 1.0, 1.5)  # asked for; a window never gets more than it can hold (largest_scale)
LONG_NAME = "Maximiliana Wolfeschlegelsteinhausenberger-Dorff"


def procedure(app: App, difficulty: str, needle: bool) -> Screen:
    screen = ProcedureScreen(app, "esp_block", 0, seed=0, difficulty=difficulty)
    script = trainer.expert_attempt(screen.sc)
    trainer.play(screen.sim, [a for a in script if a.time_s <= (16.0 if needle else 1.0)])
    screen.show_hint()
    screen.seen_events = len(screen.sim.events)
    return screen


def results(app: App, sid: str) -> Screen:
    record = expert_run(sid, trainee=app.trainee).finish().to_dict()
    return ResultsScreen(app, record, None)


def exported(app: App) -> Screen:
    history = HistoryScreen(app)
    history.message = "Saved " + "/home/trainee/Documents/Thoracic trainer exports" * 3 + "/attempts.csv"
    return history


def over_procedure(app: App, make: Callable[[], Screen]) -> Screen:
    app.show(procedure(app, "standard", True))
    return make()


def over_settings(app: App, make: Callable[[], Screen]) -> Screen:
    app.show(SettingsScreen(app))
    return make()


SCREENS: dict[str, Callable[[App], Screen]] = {
    "sign_in": SignInScreen,
    "menu": MenuScreen,
    "briefing": lambda app: BriefingScreen(app, "costovertebral_joint"),
    "procedure_guided": lambda app: procedure(app, "guided", True),
    "procedure_before_puncture": lambda app: procedure(app, "standard", False),
    "procedure_exam": lambda app: procedure(app, "exam", True),
    "expert": lambda app: ExpertScreen(app, "medial_branch", 0),
    "results": lambda app: results(app, "esp_block"),
    "history": HistoryScreen,
    "history_after_export": exported,
    "settings": SettingsScreen,
    "loading": lambda app: LoadingScreen(
        app, "Preparing the patient", lambda progress: None, lambda _: MenuScreen(app)
    ),
    "help": lambda app: over_procedure(app, lambda: HelpOverlay(app)),
    "pause": lambda app: over_procedure(app, lambda: PauseOverlay(app, lambda: None, lambda: None)),
    "error": lambda app: over_procedure(app, lambda: ErrorOverlay(app, RuntimeError("x" * 400))),
    "complication": lambda app: over_settings(  # the card's layout is its own: a cheap screen below
        app, lambda: ComplicationCard(app, max(COMPLICATIONS.values(), key=lambda c: len(c.title)))
    ),
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A trainee with a long name, two trained colleagues and a few stored attempts."""
    folder = tmp_path_factory.mktemp("layouts")
    h = Harness(folder)
    long = h.app.records.sign_in(LONG_NAME, "", "")
    h.app.records.sign_in("王伟", "", "")
    for sid in ("gel_phantom", "esp_block", "esp_block"):
        sc = trainer.load_scenario(sid)
        sim = trainer.Simulation(sc, seed=0, trainee=long)
        recorder = h.app.records.start(sim)
        trainer.play(sim, trainer.expert_attempt(sc))
        h.app.records.save(recorder)
    h.app.close()
    return folder, long.id


@pytest.mark.parametrize("name", list(SCREENS))
def test_every_screen_fits_every_window(data_dir, name):
    folder, trainee_id = data_dir
    h = Harness(folder)
    h.app.settings.trainee_name, h.app.settings.trainee_id = LONG_NAME, trainee_id
    screen = SCREENS[name](h.app)
    if name in ("help", "pause", "error"):
        h.app.push(screen)
    else:
        h.show(screen)
    found = []
    for size in SIZES:
        for scale in SCALES:
            h.app.settings.ui_scale_auto, h.app.settings.ui_scale = False, scale
            h.app.resize(size)
            with audit.recording() as placed:
                h.app.screen.draw(h.app.window)
            assert placed, "the screen drew nothing"
            used = min(scale, largest_scale(size))
            found += [f"{size} at {used}: {p}" for p in audit.problems(placed, size)]
    assert not found, "\n".join(found[:40])


def test_the_scale_follows_the_window_unless_chosen(tmp_path):
    h = Harness(tmp_path)
    h.app.resize((1024, 640))
    small = h.app.fonts.scale
    h.app.resize((2560, 1440))
    assert small == 0.85 and h.app.fonts.scale == 1.5
    h.app.set_ui_scale(1.15)
    assert h.app.fonts.scale == 1.15
    h.app.resize((1024, 640))
    assert h.app.fonts.scale == 0.85, "never more than the window can hold"
    pygame.event.clear()


def test_the_audit_finds_what_a_trainee_would_see_as_broken(tmp_path):
    h = Harness(tmp_path)
    font = h.app.fonts.regular(15)
    surface = pygame.Surface((400, 300))
    with audit.recording() as placed:
        widgets.panel(surface, pygame.Rect(10, 10, 200, 100), name="box")
        widgets.text(surface, font, "spills over the edge of its panel", (150, 20))
        widgets.text(surface, font, "first", (20, 60))
        widgets.text(surface, font, "second", (30, 62))
        widgets.text(surface, font, "off the window", (390, 200))
        widgets.paragraph(surface, font, "words " * 40, pygame.Rect(20, 200, 100, 20))
    found = audit.problems(placed, (400, 300))
    assert any("spills out of the panel" in p for p in found)
    assert any("'first'" in p and "overlaps" in p and "'second'" in p for p in found)
    assert any("off the window" in p and "'off the window'" in p for p in found)
    assert any("cut short" in p for p in found)
    with audit.recording() as placed:
        widgets.paragraph(surface, font, "words " * 40, pygame.Rect(20, 200, 100, 20), elsewhere=True)
        widgets.text(surface, font, "fits", (20, 20))
    assert audit.problems(placed, (400, 300)) == []
