"""Inputs from outside scripts that make no sense (nan, inf, time running backward, a pose off the back)
are refused with a message naming the argument, or clamped; they never crash deep inside the core."""

import math

import pytest

import trainer
from trainer.actions import ACTION_ARGS


@pytest.fixture(scope="module")
def esp():
    return trainer.load_scenario("esp_block")


NUMBER_ARGS = [
    (name, key)
    for name, keys in ACTION_ARGS.items()
    for key in sorted(keys)
    if key not in {"level", "side", "mirrored", "doppler"}
]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("name,key", NUMBER_ARGS, ids=[f"{n}.{k}" for n, k in NUMBER_ARGS])
def test_a_number_that_is_not_finite_is_refused_before_anything_changes(esp, name, key, bad):
    sim = trainer.Simulation(esp, seed=0)
    probe, needle = sim.probe, sim.needle
    needs = {"insert": {"entry_x_mm": 0.0, "angle_deg": 30.0}}.get(name, {})
    with pytest.raises(ValueError, match=rf"^{name}: {key} must be a finite number, not {bad!r}$"):
        getattr(sim, name)(**{**needs, key: bad})
    assert (sim.probe, sim.needle, sim.inputs, sim.time_s) == (probe, needle, [], 0.0)


def test_time_never_runs_backward(esp):
    sim = trainer.Simulation(esp, seed=0)
    with pytest.raises(ValueError, match="dt_s must not be negative"):
        sim.step(-5.0)
    assert sim.time_s == 0.0 and sim.inputs == []


def test_a_pose_off_the_back_is_refused_or_clamped_and_the_probe_still_images(esp):
    sim = trainer.Simulation(esp, seed=0)
    with pytest.raises(ValueError, match=r"level must be one of C7, T1, .* not 'T42'"):
        sim.place_probe("T42")
    with pytest.raises(ValueError, match="side must be 'right' or 'left'"):
        sim.place_probe("T5", side="up")
    sim.place_probe("T5", lateral_mm=500.0, side="right", rotation_deg=400.0, tilt_deg=-400.0)
    assert sim.probe.rotation_deg == pytest.approx(40.0)  # 400 deg is a turn and 40 deg
    assert abs(sim.probe.tilt_deg) <= 30.0
    _, lateral_mm, side = esp.anatomy.readout(sim.pose)
    assert side == "right" and lateral_mm <= 121.0
    sim.move_probe(dx_mm=1e308, dy_mm=-1e308)
    sim.rotate_probe(1e300)
    x0, x1 = esp.reach_x_mm  # the probe's reach along the back
    y0, y1 = esp.y_range_mm
    assert x0 <= sim.probe.x_mm <= x1 and y0 <= sim.probe.y_mm <= y1
    assert -180.0 < sim.probe.rotation_deg <= 180.0
    image = sim.render()
    assert image.shape == (480, 640) and image.max() > 0


def test_an_attempt_that_placed_the_probe_replays_and_a_placement_off_the_patient_is_refused(esp):
    from trainer.errors import RecordError

    sim = trainer.Simulation(esp, seed=0)
    sim.place_probe("T4", lateral_mm=30.0, side="right", rotation_deg=10.0)
    sim.step(0.1)
    record = sim.finish().to_dict()
    assert trainer.replay(record).to_dict()["score"] == record["score"]
    record["inputs"][0][1]["level"] = "T42"
    with pytest.raises(RecordError, match=r"cannot apply .*level must be one of"):
        trainer.replay(record)
    record["inputs"][0][1]["level"] = "T" * 5000
    with pytest.raises(RecordError, match="bad level"):
        trainer.replay(record)
