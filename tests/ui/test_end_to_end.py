"""The real event loop, headless, driven by posted input events from sign-in to export."""

import math
import uuid

import pygame
import pytest
from harness import Harness

from trainer.autopilot import plan
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.complication_card import ComplicationCard
from trainer.ui.screens.menu import MenuScreen
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.screens.results import ResultsScreen
from trainer.ui.screens.start import SignInScreen, first_screen

FPS = 60


def sign_in_and_open(h: Harness, scenario_id: str, difficulty: str) -> ProcedureScreen:
    screen = h.show(first_screen(h.app))
    assert isinstance(screen, SignInScreen)
    h.type("Alex Morgan")
    h.key(pygame.K_RETURN, frames=2)
    assert isinstance(h.screen, MenuScreen)
    h.click(f"difficulty_{difficulty}")
    h.click(f"start_{scenario_id}")
    assert isinstance(h.screen, BriefingScreen)
    h.key(pygame.K_RETURN, frames=1)
    screen = h.wait_for(ProcedureScreen)
    assert isinstance(screen, ProcedureScreen)
    return screen


def scan_to(h: Harness, screen: ProcedureScreen, x_mm: float) -> None:
    """Hold W/S until the probe is over the primary plane, then hold A/D along it and tap the
    last millimetres, watching the probe as a trainee watches the screen."""
    sim = screen.sim
    if sim.probe.y_mm:
        key = pygame.K_w if sim.probe.y_mm > 0 else pygame.K_s
        h.hold_until(key, lambda: sim.plane.y_mm == 0.0)
    dx = x_mm - sim.probe.x_mm
    if abs(dx) > 2.0:
        h.hold_until(pygame.K_d if dx > 0 else pygame.K_a, lambda: abs(x_mm - sim.probe.x_mm) < 2.0)
    while abs(x_mm - sim.probe.x_mm) > 0.3:
        h.key(pygame.K_d if x_mm > sim.probe.x_mm else pygame.K_a)


def puncture(h: Harness, screen: ProcedureScreen, entry_x_mm: float, skin_angle_deg: float) -> None:
    """Tap Up/Down (one degree each) to set the angle, then click the entry on the outside view."""
    taps = round(skin_angle_deg - screen.controls.marker.skin_angle_deg)
    for _ in range(abs(taps)):
        h.key(pygame.K_UP if taps > 0 else pygame.K_DOWN)
    assert screen.outside.view is not None
    x, _ = screen.outside.view.point(entry_x_mm, 0.0)
    h.click_at((x, screen.outside.skin_y - 5))
    assert screen.sim.needle.inserted, screen.sim.rejection


def test_esp_block_from_sign_in_to_export(tmp_path, monkeypatch):
    monkeypatch.setattr("trainer.ui.screens.history.export_folder", lambda app: tmp_path / "exports")
    h = Harness(tmp_path / "data")
    screen = sign_in_and_open(h, "esp_block", "guided")
    sim = screen.sim
    assert sim.plane.name == "rib_view"  # starts too lateral
    p = plan(sim.scenario)
    scan_to(h, screen, p.probe_x_mm)
    assert sim.plane.name == "tp_view"
    puncture(h, screen, p.entry_x_mm, 180 - p.angle_deg if p.angle_deg > 90 else p.angle_deg)
    for _ in range(120):  # wheel forward until the tip rests on the TP
        h.wheel(1)
        if any(e.kind == "bone_contact" for e in sim.events):
            break
    assert sim.tip_visible and sim.scenario.in_target(*sim.needle.tip_mm)
    h.hold(pygame.K_SPACE, round(sim.scenario.goal.volume_ml / screen.controls.inject_ml_s * FPS) + 2)
    assert sim.injectate.total_ml >= sim.scenario.goal.volume_ml * 0.95
    h.hold(pygame.K_DOWN, round(90 / 5 * FPS))  # withdraw; the attempt ends once the needle is out
    h.frames(round(2 * FPS))
    results = h.screen
    assert isinstance(results, ResultsScreen)
    assert results.record["passed"] is True and results.record["score"] >= 70
    assert not [e for e in results.record["events"] if e["critical"]]
    assert results.outcome is not None and results.outcome.saved
    trainee_id = h.app.settings.trainee_id  # opaque, never a slug of the name
    assert uuid.UUID(trainee_id) and h.app.records.store.trainee(trainee_id).name == "Alex Morgan"
    stored = h.app.records.store.attempts(trainee_id=trainee_id)
    assert [r["attempt_id"] for r in stored] == [results.record["attempt_id"]]
    h.click("play")  # replay from the start
    h.frames(30)
    assert 0.3 < results.replay.position < 1.0
    scrub = results.replay.scrub
    h.post(pygame.MOUSEBUTTONDOWN, pos=(scrub.left + scrub.width // 2, scrub.centery), button=1)
    h.post(pygame.MOUSEBUTTONUP, pos=(scrub.left + scrub.width // 2, scrub.centery), button=1)
    h.frames(2)
    assert results.replay.position == pytest.approx(results.replay.duration_s / 2, rel=0.1)
    h.click("export_csv")
    exported = list((tmp_path / "exports").glob("*.csv"))
    assert len(exported) == 1 and "esp_block" in exported[0].read_text()


@pytest.mark.xfail(
    reason="not yet passing on the 3D patient (issue 9 closing note): the scripted keys aim at the old 2D pleura",
    strict=False,
)
def test_reckless_attempt_ends_in_a_pleural_puncture_and_the_results_say_so(tmp_path):
    h = Harness(tmp_path)
    screen = sign_in_and_open(h, "esp_block", "standard")
    sim = screen.sim
    # stay in the rib view (too lateral), slide caudally, and drive a steep needle between the ribs
    start = sim.probe.x_mm
    h.hold_until(pygame.K_d, lambda: sim.probe.x_mm >= start + 15.0)
    assert sim.plane.name == "rib_view"
    puncture(h, screen, 14.0 - 45.0 / math.tan(math.radians(60.0)), 60.0)
    h.hold(pygame.K_UP, round(60 / 5 * FPS))
    assert any(e.kind == "pleura_puncture" for e in sim.events)
    card = h.screen  # the complication card stops the game until it is read
    assert isinstance(card, ComplicationCard) and card.complication.title == "Pneumothorax"
    h.key(pygame.K_RETURN, frames=2)
    h.key(pygame.K_F10, frames=3)
    results = h.screen
    assert isinstance(results, ResultsScreen)
    assert results.record["passed"] is False
    assert any(e["kind"] == "pleura_puncture" and e["critical"] for e in results.record["events"])
    words = " ".join(results.record["feedback"]).lower()
    assert "pleura" in words
