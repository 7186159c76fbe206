"""A critical event opens a complication card over the attempt (what happens to the patient, what to
do), game time stands still while it is read, and the debrief repeats it."""

import pygame
from harness import Harness
from scripted import reach

from trainer.events import EventKind
from trainer.ui.complications import COMPLICATIONS
from trainer.ui.screens.complication_card import ComplicationCard
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.screens.results import ResultsScreen, feedback_lines


def test_a_punctured_vessel_opens_its_card_once_and_the_debrief_repeats_it(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    screen = h.show(ProcedureScreen(h.app, "gel_phantom", 0, seed=0, difficulty="standard"))
    assert isinstance(screen, ProcedureScreen)
    sim = screen.sim
    sim.move_probe(dx_mm=-sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    reach(sim, -30.0, (-10.0, 36.0), stop_on=(EventKind.VESSEL_PUNCTURE,))  # the tube to avoid
    assert any(e.critical for e in sim.events)
    h.frames(2)
    card = h.screen
    assert isinstance(card, ComplicationCard)
    assert card.complication is COMPLICATIONS["critical_vessel_puncture"]
    stopped_at = sim.time_s
    h.frames(30)
    assert sim.time_s == stopped_at  # time stands still while the card is read
    h.key(pygame.K_RETURN, frames=2)
    assert h.screen is screen
    h.frames(30)
    assert sim.time_s > stopped_at and not isinstance(h.screen, ComplicationCard)  # shown once
    screen.finish()
    results = h.screen
    assert isinstance(results, ResultsScreen)
    lines = feedback_lines(results.record)
    at = next(i for i, (kind, words, _) in enumerate(lines) if kind == "heading" and words == "Complications")
    assert lines[at + 1][1].startswith(COMPLICATIONS["critical_vessel_puncture"].title)
    h.frames(2)


def test_every_critical_error_code_has_a_card():
    from trainer.assessment.findings import CRITICAL_CODES

    assert set(CRITICAL_CODES.values()) | {"critical_vessel_puncture"} == set(COMPLICATIONS)
