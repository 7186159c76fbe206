"""Game time follows the wall clock in fixed steps; slow frames cost frames, not time; recorded
inputs still replay exactly; input typed while a screen loads is not passed on."""

import time

import cv2
import numpy as np
import pygame
import pytest
from harness import Harness

import trainer
from trainer.ui.clock import MAX_CATCH_UP_S, STEP_S, FixedStepClock
from trainer.ui.image_worker import FRAME_SIZE, ImageJob, ImageWorker, form_image
from trainer.ui.screens.briefing import BriefingScreen
from trainer.ui.screens.loading import LoadingScreen
from trainer.ui.screens.procedure import ProcedureScreen
from trainer.ui.screens.results import ResultsScreen


def test_the_clock_owes_steps_for_the_wall_time_that_passed():
    clock = FixedStepClock()
    frames_s = [0.005, 0.040, 0.016, 0.100, 0.0167, 0.033] * 50  # fast, slow and very slow frames
    steps = [clock.advance(dt) for dt in frames_s]
    assert clock.advance(0.0) == 0
    assert steps[1] == 2 and steps[3] in (5, 6, 7)  # a 40 ms frame is followed by two steps
    assert abs(sum(steps) * STEP_S - sum(frames_s)) < STEP_S  # none lost: at most one step owed
    assert clock.game_s == pytest.approx(sum(steps) * STEP_S)


def test_a_long_stall_is_a_pause_not_a_burst_and_a_new_screen_owes_nothing():
    clock = FixedStepClock()
    assert clock.advance(30.0) == round(MAX_CATCH_UP_S / STEP_S)
    clock.advance(0.010)
    clock.reset()
    assert clock.advance(0.010) == 0 and clock.advance(0.010) == 1


def open_procedure(h: Harness, difficulty: str = "standard") -> ProcedureScreen:
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    screen = ProcedureScreen(h.app, "esp_block", 0, seed=3, difficulty=difficulty)
    h.show(screen)
    return screen


def test_slow_frames_take_several_steps_and_the_attempt_still_replays_exactly(tmp_path):
    h = Harness(tmp_path)
    screen = open_procedure(h)
    sim = screen.sim
    rng = np.random.default_rng(1)
    h.post(pygame.KEYDOWN, key=pygame.K_d, mod=0, unicode="", scancode=0)
    before = sim.time_s
    h.app.tick(0.050)  # one slow frame: three steps
    assert sim.time_s - before == pytest.approx(3 * STEP_S)
    wall = 0.050
    for _ in range(200):
        dt = float(rng.choice([0.008, 0.017, 0.045, 0.070]))
        h.app.tick(dt)
        wall += dt
    assert sim.time_s - before == pytest.approx(wall, abs=STEP_S)  # game time kept pace
    assert {dict(a.args)["dt_s"] for a in sim.inputs if a.name == "step"} == {STEP_S}
    record = screen.recorder.record()
    again = trainer.replay(record).to_dict()
    assert (again["events"], again["metrics"], again["score"]) == (
        record["events"],
        record["metrics"],
        record["score"],
    )


def test_a_second_enter_on_the_briefing_does_not_puncture_the_skin(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    h.show(BriefingScreen(h.app, "esp_block"))
    for _ in range(2):  # a double press, both in one frame
        h.post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
        h.post(pygame.KEYUP, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
    h.frames(1)
    assert isinstance(h.screen, LoadingScreen)
    h.key(pygame.K_RETURN)  # and again while it loads
    screen = h.wait_for(ProcedureScreen)
    h.frames(5)
    assert not screen.sim.needle.inserted
    assert not [a for a in screen.sim.inputs if a.name == "insert"]


def test_the_replay_runs_at_real_speed_and_its_multiples_and_steps_by_frames(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0)
    trainer.play(sim, trainer.expert_attempt(sim.scenario))
    results = h.show(ResultsScreen(h.app, sim.finish().to_dict(), None))
    assert isinstance(results, ResultsScreen)
    replay = results.replay
    replay.seek(0.0)
    for speed in (0.5, 1.0, 2.0, 4.0):
        replay.set_speed(speed)
        start = replay.position
        replay.toggle()
        h.frames(30)  # 30 fixed steps of real time = half a second
        replay.toggle()
        assert replay.position - start == pytest.approx(0.5 * speed)
    replay.toggle()
    at = replay.position
    h.click("frame_ahead")
    assert not replay.playing and replay.position == pytest.approx(at + STEP_S, abs=1e-6)
    small = replay.areas["image"].width
    h.click("enlarge")
    assert replay.enlarged and replay.areas["image"].width > 2 * small


def test_the_image_thread_forms_what_the_renderer_gives_and_never_repeats_an_image(tmp_path):
    h = Harness(tmp_path)
    screen = open_procedure(h)
    worker = ImageWorker(screen.sim.renderer)
    try:
        job = ImageJob(screen.sim.view(*FRAME_SIZE), (800, 600))
        worker.submit(job)
        formed = worker.take(30.0)
        assert formed is not None and worker.formed == 1
        grey = screen.sim.renderer.render(job.view)
        expected = cv2.resize(
            cv2.cvtColor(grey, cv2.COLOR_GRAY2BGRA), (800, 600), interpolation=cv2.INTER_LINEAR
        )
        assert np.array_equal(formed.bgra, expected) and np.array_equal(formed.grey, grey)
        worker.submit(ImageJob(screen.sim.view(*FRAME_SIZE), (800, 600)))  # nothing moved, no time passed
        assert worker.take(30.0) is formed and worker.formed == 1
    finally:
        worker.close()
    assert form_image(screen.sim.renderer, job).bgra.shape == (600, 800, 4)


def test_input_after_a_screen_change_in_the_same_frame_is_not_passed_on(tmp_path):
    from trainer.ui.screens.menu import MenuScreen

    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    menu = h.show(MenuScreen(h.app))
    h.frames(1)
    pos = menu.button("start_esp_block").rect.center
    h.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
    h.post(pygame.MOUSEBUTTONUP, pos=pos, button=1)  # opens the briefing...
    h.post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)  # ...which must not start
    h.frames(2)
    assert isinstance(h.screen, BriefingScreen)


def test_what_did_not_change_is_not_drawn_again(tmp_path, monkeypatch):
    from trainer.ui.image_view import ImageView
    from trainer.ui.side_panel import SidePanel

    h = Harness(tmp_path)
    screen = open_procedure(h, "guided")
    rebuilt = []
    real = ImageView._guide_surface
    monkeypatch.setattr(ImageView, "_guide_surface", lambda self, *a: rebuilt.append(1) or real(self, *a))
    h.frames(3)
    images, overlays = screen.worker.formed, len(rebuilt)
    h.hold(pygame.K_d, 120)  # two seconds of sliding the probe
    slid_frames = 121
    assert screen.worker.formed - images >= slid_frames - 2  # the picture changes: a new image each frame
    assert 1 <= len(rebuilt) - overlays < slid_frames // 4  # the overlay mostly moves with it
    h.frames(1)
    settled = len(rebuilt)
    h.frames(10)
    assert len(rebuilt) == settled  # still probe: the overlay is not drawn again
    before = screen.worker.formed
    screen.draw_changes(h.app.window)
    screen.draw_changes(h.app.window)  # no step between: the same view, so no new image
    assert screen.worker.formed - before <= 1
    rows = []
    real_row = SidePanel._draw_row
    monkeypatch.setattr(
        SidePanel, "_draw_row", lambda self, s, row, *a: rows.append(row.label) or real_row(self, s, row, *a)
    )
    h.frames(12)
    assert set(rows) <= {"Time", "Tip to target"}, rows  # only the readings that changed
    assert rows.count("Time") <= 3  # tenths of a second: drawn when they tick over


def test_game_time_keeps_to_the_wall_clock_while_new_planes_make_frames_slow(tmp_path, monkeypatch):
    """The real loop, the probe held sliding out of plane: every millimetre is a new cut of the 3D
    patient, made slower here (as on a slow laptop). Game time still equals wall time, less only what
    the clock's documented pause rule drops (a frame over MAX_CATCH_UP_S)."""
    from trainer.patient.scene import SceneAnatomy

    h = Harness(tmp_path)
    screen = open_procedure(h, "guided")
    real_cut = SceneAnatomy._cut
    cuts: list[int] = []

    def slow_cut(self, *args, **kwargs):
        cuts.append(1)
        time.sleep(0.06)
        return real_cut(self, *args, **kwargs)

    monkeypatch.setattr(SceneAnatomy, "_cut", slow_cut)
    anatomy = screen.sim.scenario.anatomy
    assert anatomy is not None
    anatomy._planes.clear()  # the scene is shared with earlier tests: make every plane a new cut
    h.post(pygame.KEYDOWN, key=pygame.K_w, mod=0, unicode="", scancode=0)
    ticks: list[tuple[float, float]] = []  # (wall, game) as every frame starts, before its steps
    app, first = h.app, h.app.frame
    app.run(lambda a: ticks.append((time.perf_counter(), screen.sim.time_s)), max_frames=first + 90)
    walls, games = np.array(ticks).T
    # A frame's steps pay for the wall time since the previous frame began, and show in game time
    # at the next frame's start: game from the 2nd to the last start against wall from the 1st to
    # the last but one.
    wall_s, game_s = walls[-2] - walls[0], games[-1] - games[1]
    frames_s = np.diff(walls[:-1])
    paused_s = float(np.clip(frames_s - MAX_CATCH_UP_S, 0.0, None).sum())
    assert len(cuts) >= 5 and (frames_s > 0.05).sum() >= 5  # slow new-plane frames happened
    assert screen.sim.probe.y_mm != 0.0
    assert game_s == pytest.approx(wall_s - paused_s, rel=0.02, abs=STEP_S)


class SlowRenderer:
    """A stand-in renderer that takes `form_s` to form each image."""

    def __init__(self, form_s: float) -> None:
        self.form_s = form_s

    def render(self, view: object) -> np.ndarray:
        time.sleep(self.form_s)
        return np.zeros((FRAME_SIZE[1], FRAME_SIZE[0]), dtype=np.uint8)


def test_a_frame_does_not_idle_for_an_image_that_cannot_be_ready_by_its_deadline(tmp_path):
    h = Harness(tmp_path)
    screen = open_procedure(h)
    worker = ImageWorker(SlowRenderer(1.0))  # type: ignore[arg-type]
    try:
        worker.submit(ImageJob(screen.sim.view(*FRAME_SIZE), FRAME_SIZE))
        first = worker.take(30.0)  # the first image: its pace is not known yet, so it is waited for
        assert first is not None
        screen.sim.step(STEP_S)
        worker.submit(ImageJob(screen.sim.view(*FRAME_SIZE), FRAME_SIZE))
        asked = time.perf_counter()
        assert worker.take(0.5) is first  # a second's work cannot be done in half a second
        assert time.perf_counter() - asked < 0.45  # so the frame went on without waiting for it
        assert worker.take(30.0, give_up_early=False) is not first  # and it does arrive
    finally:
        worker.close()
