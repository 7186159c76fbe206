"""The back view: the probe's footprint where its pose says, labels by difficulty, everything inside
its rectangle at every window size; and the gamepad's B button turning and fanning the probe."""

import numpy as np
import pygame
import pytest
from harness import Harness

from trainer.ui import audit
from trainer.ui.back_view import PROBE
from trainer.ui.screens.procedure import ProcedureScreen

SENTINEL = (255, 0, 255)


def screen_at(tmp_path, difficulty: str, size=(1600, 1000)) -> ProcedureScreen:
    h = Harness(tmp_path, size)
    screen = ProcedureScreen(h.app, "esp_block", 0, seed=0, difficulty=difficulty)
    h.show(screen)
    return screen


def drawn(screen: ProcedureScreen) -> tuple[pygame.Surface, list[audit.Placed]]:
    surface = pygame.Surface(screen.app.window.get_size())
    surface.fill(SENTINEL)
    with audit.recording() as placed:
        screen.back.draw(surface, screen.sim, screen.detail(), screen.fonts)
    return surface, list(placed)


def probe_pixels(surface: pygame.Surface) -> np.ndarray:
    """(x, y) of every pixel in the probe's colour."""
    rgb = pygame.surfarray.pixels3d(surface)
    xs, ys = np.nonzero(np.all(rgb == PROBE, axis=2))
    return np.stack([xs, ys], axis=1)


def test_the_footprint_sits_at_the_probe_centre_and_turns_with_it(tmp_path):
    screen = screen_at(tmp_path, "standard")
    sim = screen.sim
    centre = screen.back.point(*sim.scenario.anatomy.pose_frame(sim.pose).origin[:2])
    along = probe_pixels(drawn(screen)[0])
    width, height = along.max(axis=0) - along.min(axis=0)
    assert width > 3 * height  # parasagittal: long along the spine, which runs across the view
    assert np.allclose(along.mean(axis=0), centre, atol=3)
    sim.rotate_probe(90.0)
    across = probe_pixels(drawn(screen)[0])
    width, height = across.max(axis=0) - across.min(axis=0)
    assert height > 3 * width  # transverse: long across the back, which runs up and down the view


def test_sliding_the_probe_caudally_moves_its_footprint_right(tmp_path):
    screen = screen_at(tmp_path, "standard")
    before = probe_pixels(drawn(screen)[0]).mean(axis=0)
    screen.sim.move_probe(dx_mm=20.0)  # along the parasagittal image: caudal
    after = probe_pixels(drawn(screen)[0]).mean(axis=0)
    assert after[0] - before[0] == pytest.approx(20.0 * screen.back.scale, abs=3)
    assert after[1] == pytest.approx(before[1], abs=3)


@pytest.mark.parametrize(
    ("difficulty", "labels"),
    [
        ("guided", {"C7", *(f"T{i}" for i in range(1, 13)), "L1"}),
        ("standard", {"C7", "T12"}),
        ("exam", set()),
    ],
)
def test_levels_are_labelled_by_difficulty(tmp_path, difficulty, labels):
    screen = screen_at(tmp_path, difficulty)
    _, placed = drawn(screen)
    assert {p.label for p in placed} == labels | {"R", "L"}


@pytest.mark.parametrize("size", [(1024, 640), (1600, 1000), (1920, 1080)])
def test_the_back_view_stays_inside_its_rectangle(tmp_path, size):
    screen = screen_at(tmp_path, "guided", size)
    back = screen.back.rect
    assert back.width > 0 and not back.colliderect(screen.outside.rect)
    assert not back.colliderect(screen.panel) and not back.colliderect(screen.image_region)
    screen.sim.move_probe(dy_mm=-200.0)  # far off to the side: clamped, and still drawn clipped
    screen.sim.rotate_probe(45.0)
    surface, placed = drawn(screen)
    assert audit.problems(placed, size) == []
    assert all(back.contains(p.rect) for p in placed)
    rgb = pygame.surfarray.pixels3d(surface)
    outside = np.ones(rgb.shape[:2], bool)
    outside[back.left : back.right, back.top : back.bottom] = False
    assert np.all(rgb[outside] == SENTINEL)


def test_holding_b_turns_and_fans_the_probe_with_the_left_stick(tmp_path):
    screen = screen_at(tmp_path, "standard")
    pads, sim = screen.controls.pads, screen.sim
    pads.held.add("probe_orient")
    pads.axes[pygame.CONTROLLER_AXIS_LEFTX] = 1.0
    pads.axes[pygame.CONTROLLER_AXIS_LEFTY] = 1.0
    x_mm, y_mm = sim.probe.x_mm, sim.probe.y_mm
    for _ in range(30):
        screen.controls.update(1 / 60)
    assert sim.probe.rotation_deg > 5.0 and sim.probe.tilt_deg > 2.0
    assert (sim.probe.x_mm, sim.probe.y_mm) == (x_mm, y_mm)


def test_dragging_on_the_back_view_slides_the_probe_after_the_mouse(tmp_path):
    screen = screen_at(tmp_path, "standard")
    sim, back = screen.sim, screen.back
    before = sim.scenario.anatomy.pose_frame(sim.pose).origin
    start = back.rect.center
    screen.on_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    for _ in range(4):  # 16 px toward the feet, 8 px toward the patient's right
        screen.on_event(pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(4, -2), buttons=(1, 0, 0)))
    screen.on_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=start, button=1))
    after = sim.scenario.anatomy.pose_frame(sim.pose).origin
    assert after[1] - before[1] == pytest.approx(16 / back.scale, rel=0.1)
    assert after[0] - before[0] == pytest.approx(8 / back.scale, rel=0.15)


@pytest.mark.parametrize("scenario_id", ["facet_joint", "costovertebral_joint", "gel_phantom"])
def test_every_procedure_draws_its_back_view_in_guided_mode(tmp_path, scenario_id):
    h = Harness(tmp_path, (1024, 640))
    screen = ProcedureScreen(h.app, scenario_id, 0, seed=0, difficulty="guided")
    h.show(screen)
    h.frames(2)
    _, placed = drawn(screen)
    assert placed and audit.problems(placed, (1024, 640)) == []
