"""Thousands of random input events on every screen: nothing raises, nothing is lost."""

from collections.abc import Callable

import numpy as np
import pygame
import pytest
from harness import Harness

from helpers import expert_run
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.expert import ExpertScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.menu import MenuScreen
from trainer.ui.screens.overlays import HelpOverlay, PauseOverlay
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.screens.results import ResultsScreen
from trainer.ui.screens.settings_screen import SettingsScreen
from trainer.ui.screens.start import SignInScreen

KEYS = [
    pygame.K_a,
    pygame.K_d,
    pygame.K_w,
    pygame.K_s,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_SPACE,
    pygame.K_RETURN,
    pygame.K_ESCAPE,
    pygame.K_F1,
    pygame.K_F10,
    pygame.K_h,
    pygame.K_o,
    pygame.K_z,
    pygame.K_x,
    pygame.K_c,
    pygame.K_v,
    pygame.K_r,
    pygame.K_f,
    pygame.K_b,
    pygame.K_TAB,
    pygame.K_BACKSPACE,
    pygame.K_LSHIFT,
    pygame.K_LCTRL,
    pygame.K_PAGEUP,
    pygame.K_PAGEDOWN,
    pygame.K_q,
    pygame.K_1,
    pygame.K_DELETE,
]
TEXTS = ["a", "Zoë", "👩‍⚕️", "\x00", "=cmd|' /C calc'!A0", "x" * 300, "\t", "ñ", "💉"]

SCREENS: dict[str, Callable[[App], Screen]] = {
    "sign_in": SignInScreen,
    "menu": MenuScreen,
    "briefing": lambda app: BriefingScreen(app, "costovertebral_joint"),
    "procedure": lambda app: ProcedureScreen(app, "esp_block", 0),
    "exam": lambda app: ProcedureScreen(app, "facet_joint", 3, difficulty="exam"),
    "expert": lambda app: ExpertScreen(app, "medial_branch", 0),
    "settings": SettingsScreen,
    "history": HistoryScreen,
    "results": lambda app: ResultsScreen(app, expert_run("gel_phantom").finish().to_dict(), None),
    "pause": lambda app: overlay(app, lambda: PauseOverlay(app, lambda: None, lambda: None)),
    "help": lambda app: overlay(app, lambda: HelpOverlay(app)),
}


def overlay(app: App, make: Callable[[], Screen]) -> Screen:
    """An overlay over a running procedure."""
    app.show(ProcedureScreen(app, "gel_phantom", 0))
    return make()


def random_event(rng: np.random.Generator, size: tuple[int, int]) -> pygame.event.Event:
    w, h = size
    pos = (int(rng.integers(-20, w + 20)), int(rng.integers(-20, h + 20)))
    kind = rng.integers(0, 10)
    if kind < 3:
        key = int(rng.choice(KEYS))
        down = pygame.KEYDOWN if rng.random() < 0.6 else pygame.KEYUP
        return pygame.event.Event(down, key=key, mod=0, unicode="", scancode=0)
    if kind == 3:
        return pygame.event.Event(pygame.TEXTINPUT, text=str(rng.choice(TEXTS)))
    if kind in (4, 5):
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    if kind == 6:
        button = int(rng.integers(1, 6))
        down = pygame.MOUSEBUTTONDOWN if rng.random() < 0.5 else pygame.MOUSEBUTTONUP
        return pygame.event.Event(down, pos=pos, button=button)
    if kind == 7:
        y = int(rng.integers(-4, 5))
        return pygame.event.Event(
            pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y)
        )
    if kind == 8:
        return pygame.event.Event(
            pygame.CONTROLLERAXISMOTION,
            axis=int(rng.integers(0, 6)),
            value=int(rng.integers(-32768, 32768)),
            instance_id=0,
        )
    button = int(rng.integers(0, 15))
    down = pygame.CONTROLLERBUTTONDOWN if rng.random() < 0.5 else pygame.CONTROLLERBUTTONUP
    return pygame.event.Event(down, button=button, instance_id=0)


@pytest.mark.parametrize("name", list(SCREENS))
def test_random_input_never_raises(tmp_path, name, fuzz_seed):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Fuzz", "fuzz"
    rng = np.random.default_rng(fuzz_seed)
    visited: set[str] = set()
    open_start(h, name)
    for _ in range(300):
        for _ in range(8):
            pygame.event.post(random_event(rng, h.app.window.get_size()))
        h.frames(1)
        visited.add(type(h.screen).__name__)
        if not h.app.running:  # a random click on Quit: start the screen again
            h.app.running = True
            open_start(h, name)
    assert h.errors == []
    assert visited  # the loop ran and drew screens


def open_start(h: Harness, name: str) -> None:
    screen = SCREENS[name](h.app)
    if name in ("pause", "help"):
        h.app.push(screen)
    else:
        h.show(screen)
