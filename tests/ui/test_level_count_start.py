"""The briefing offers a level-finding start: L (or its button) cycles the probe's start, and the
attempt then begins with the probe over the 12th rib, recorded as its first input."""

import pygame
from harness import Harness
from test_end_to_end import first_screen

from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.menu import MenuScreen
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.screens.start import SignInScreen


def test_the_briefing_starts_the_probe_over_the_12th_rib(tmp_path):
    h = Harness(tmp_path / "data")
    assert isinstance(h.show(first_screen(h.app)), SignInScreen)
    h.type("Sam Lee")
    h.key(pygame.K_RETURN, frames=2)
    assert isinstance(h.screen, MenuScreen)
    h.click("start_esp_block")
    briefing = h.screen
    assert isinstance(briefing, BriefingScreen)
    assert "at the level" in briefing.button("count").label
    h.key(pygame.K_l)
    assert "12th rib" in briefing.button("count").label
    h.key(pygame.K_RETURN, frames=1)
    screen = h.wait_for(ProcedureScreen)
    assert screen.sim.probe_level() == "T12"
    assert [a.name for a in screen.sim.inputs] == ["place_probe"]
    h.click("restart")
    again = h.wait_for(ProcedureScreen)
    assert again is not screen and again.sim.probe_level() == "T12"  # a restart keeps the start
