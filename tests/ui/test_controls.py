"""Needle and probe control: taps are small fixed steps, holds ramp smoothly, quick wheel turns take
longer strides, fine control divides it all; the panel and the outside view show what matters."""

import itertools

import pygame
import pytest
from harness import Harness

from trainer.ui import audit
from trainer.ui.motion import FINE_DIVISOR, HOLD_DELAY_S, MOTIONS
from trainer.ui.screens.procedure import HINT_SLIDE_MM, ProcedureScreen

FPS = 60


def inserted(h: Harness, difficulty: str = "standard") -> ProcedureScreen:
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    screen = ProcedureScreen(h.app, "gel_phantom", 0, seed=0, difficulty=difficulty)
    h.show(screen)
    sim = screen.sim
    entry = sim.probe.x_mm - sim.probe.skin_half_width_mm - 5.0
    assert sim.insert(entry, 30.0), sim.rejection
    sim.advance(10.0)
    return screen


def test_a_tap_steers_by_one_small_fixed_step_and_fine_control_divides_it(tmp_path):
    h = Harness(tmp_path)
    needle = inserted(h).sim
    start = needle.needle.angle_deg
    h.key(pygame.K_RIGHT)  # steeper
    assert needle.needle.angle_deg - start == pytest.approx(MOTIONS["steer"].tap)
    h.post(pygame.KEYDOWN, key=pygame.K_LSHIFT, mod=0, unicode="", scancode=0)
    at = needle.needle.angle_deg
    h.key(pygame.K_RIGHT)
    assert needle.needle.angle_deg - at == pytest.approx(MOTIONS["steer"].tap / FINE_DIVISOR)


def test_holding_a_key_starts_slowly_and_speeds_up_to_its_top_rate(tmp_path):
    h = Harness(tmp_path)
    sim = inserted(h).sim
    h.post(pygame.KEYDOWN, key=pygame.K_UP, mod=0, unicode="", scancode=0)
    depths = []
    for _ in range(round(3.0 * FPS)):
        h.frames(1)
        depths.append(sim.needle.depth_mm)
    per_step = [b - a for a, b in itertools.pairwise(depths)]
    tap_only = round(HOLD_DELAY_S * FPS) - 2
    assert all(d == 0 for d in per_step[1:tap_only]), "a tap's step, then nothing until the hold begins"
    early, late = per_step[round(0.4 * FPS)], per_step[-1]
    assert 0 < early < late
    assert late * FPS == pytest.approx(MOTIONS["advance"].top_rate, rel=0.02)
    assert all(
        b >= a - 1e-9 for a, b in zip(per_step[tap_only + 2 :], per_step[tap_only + 3 :], strict=False)
    )


def test_quick_wheel_notches_stride_further_than_slow_ones_and_each_glides(tmp_path):
    h = Harness(tmp_path)
    sim = inserted(h).sim
    start = sim.needle.depth_mm
    h.wheel(1)
    assert 0 < sim.needle.depth_mm - start < MOTIONS["advance"].tap  # spread over a few steps
    h.frames(10)
    assert sim.needle.depth_mm - start == pytest.approx(MOTIONS["advance"].tap)
    slow_start = sim.needle.depth_mm
    for _ in range(4):
        h.wheel(1)
        h.frames(30)  # half a second apart
    slow = sim.needle.depth_mm - slow_start
    quick_start = sim.needle.depth_mm
    h.wheel(1, times=4)  # a notch a frame
    h.frames(20)
    quick = sim.needle.depth_mm - quick_start
    assert slow == pytest.approx(4 * MOTIONS["advance"].tap) and quick > 1.5 * slow


def test_before_the_puncture_the_needle_keys_aim_the_entry_marker(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    screen = h.show(ProcedureScreen(h.app, "gel_phantom", 0, seed=0, difficulty="standard"))
    assert isinstance(screen, ProcedureScreen)
    marker = screen.controls.marker
    x, angle = marker.x_mm, marker.skin_angle_deg
    h.key(pygame.K_RIGHT)
    h.key(pygame.K_UP)
    assert marker.x_mm - x == pytest.approx(MOTIONS["marker_x"].tap)
    assert marker.skin_angle_deg - angle == pytest.approx(MOTIONS["marker_angle"].tap)
    assert not screen.sim.needle.inserted and not [a for a in screen.sim.inputs if a.name == "steer"]


@pytest.mark.parametrize("difficulty", ["guided", "standard", "exam"])
def test_angle_tilt_and_depth_show_in_every_mode_and_fine_control_shows_when_held(tmp_path, difficulty):
    h = Harness(tmp_path)
    screen = inserted(h, difficulty)
    screen.sim.tilt_needle(2.0)
    lines = {r.label: r.value for r in screen.panel_rows() if r.kind == "line"}
    assert lines["Inserted"].startswith("10.")
    assert lines["Angle to skin"] == "30.0°" and lines["Tilt"].startswith("2.0°")
    assert screen.badge() == ""
    h.post(pygame.KEYDOWN, key=pygame.K_LSHIFT, mod=0, unicode="", scancode=0)
    h.frames(1)
    lines = {r.label: r.value for r in screen.panel_rows() if r.kind == "line"}
    assert lines["Fine control (LEFT SHIFT)"] == "ON" and "FINE" in screen.badge()


@pytest.mark.parametrize("size", [(1024, 640), (2560, 1440)])
def test_the_outside_view_shows_the_planned_angle_and_the_suggested_entry_at_any_size(tmp_path, size):
    h = Harness(tmp_path, size)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    screen = h.show(ProcedureScreen(h.app, "esp_block", 0, seed=0, difficulty="guided"))
    assert isinstance(screen, ProcedureScreen)
    with audit.recording() as placed:
        screen.draw(h.app.window)
    off_panel = [
        (p.label, pygame.Rect(p.rect))
        for p in placed
        if p.kind == "text" and not screen.panel.colliderect(p.rect)
    ]
    outside = screen.outside.rect
    planned = next(r for words, r in off_panel if words.endswith("planned"))
    suggested = next(r for words, r in off_panel if words.startswith("suggested"))
    assert outside.contains(planned) and outside.contains(suggested) and not planned.colliderect(suggested)
    assert screen.suggested_entry() == (screen.plan.entry_x_mm, screen.plan.angle_deg)
    exam = ProcedureScreen(h.app, "esp_block", 0, seed=0, difficulty="exam")
    assert exam.suggested_entry() is None
    exam.close()


def test_hints_name_their_keys_and_clear_when_the_view_changes(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    h.app.bindings.remap("probe_minus_y", pygame.K_i)
    screen = h.show(ProcedureScreen(h.app, "esp_block", 0, seed=0, difficulty="standard"))
    assert isinstance(screen, ProcedureScreen)
    assert screen.sim.plane.y_mm != 0.0  # starts off the target view
    h.key(pygame.K_h)
    assert "(I)" in screen.hint_text or "(S)" in screen.hint_text
    assert screen.suggested_entry() is not None  # a hint also shows the suggested entry
    given_at = screen.sim.probe.x_mm
    h.hold_until(pygame.K_d, lambda: abs(screen.sim.probe.x_mm - given_at) > HINT_SLIDE_MM - 0.5)
    assert screen.hint_text != ""  # a small slide keeps it
    h.hold_until(pygame.K_d, lambda: abs(screen.sim.probe.x_mm - given_at) > HINT_SLIDE_MM + 0.5)
    assert screen.hint_text == ""


def test_the_syringe_holds_the_planned_volume_and_refilling_is_a_key_press(tmp_path):
    h = Harness(tmp_path)
    screen = inserted(h, "guided")
    sim, syringe = screen.sim, screen.controls.syringe
    planned = screen.sc.goal.volume_ml  # the gel phantom's cyst: 1 mL, a 1 mL syringe
    assert syringe.capacity_ml == planned == 1.0 and not syringe.empty
    h.hold_until(pygame.K_SPACE, lambda: syringe.empty)  # 0.125 mL/s: about 8 s
    h.hold(pygame.K_SPACE, frames=FPS)  # pressing on an empty syringe gives nothing
    assert sim.injectate.total_ml == pytest.approx(planned) and syringe.empty
    panel = {r.label: r.value for r in syringe_rows(screen)}
    assert panel["Syringe"] == "empty (U refills)" and panel["Given"] == "1.0 / 1 mL"
    h.key(pygame.K_u)  # an explicit refill
    assert syringe.content_ml == 1.0 and syringe.refills == 1
    h.hold(pygame.K_SPACE, frames=5 * FPS)  # 0.125 mL/s: 0.625 mL more, past the 150 % overdose gate
    assert sim.injectate.total_ml == pytest.approx(1.625, abs=0.01)
    assert "overdose" in {f.code for f in sim.finish().report.findings}


def syringe_rows(screen):
    from trainer.ui.screens.procedure_panel import needle_rows

    return [r for r in needle_rows(screen) if r.label in ("Syringe", "Given")]


def test_no_two_intents_share_a_default_key():
    from trainer.ui.bindings import INTENTS

    keys = [i.default_key for i in INTENTS]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
