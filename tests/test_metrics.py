"""Scripted attempts with known geometry give the metrics the definitions promise."""

import math

import pytest
from scripted import TICK_S, advance

import trainer

ANGLE_DEG = 30.0


def phantom(entry_x_mm: float = -24.0) -> trainer.Simulation:
    """Gel phantom, probe over x = 0 (it covers x -23..23), needle in at `entry_x_mm`, 30 deg."""
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0)
    assert sim.insert(entry_x_mm, ANGLE_DEG), sim.rejection
    return sim


def metrics(sim: trainer.Simulation) -> dict:
    return sim.finish().metrics


def test_a_straight_advance_travels_its_length_and_sweeps_nothing():
    sim = phantom()
    sim.advance(19.5)  # 0.5 mm on insertion + 19.5 mm
    m = metrics(sim)
    assert m["path_in_tissue_mm"] == pytest.approx(20.0, abs=1e-3)
    assert m["path_length_mm"] == pytest.approx(20.0, abs=1e-3)
    assert m["back_and_forth_mm"] == pytest.approx(20.0, abs=1e-3)
    assert m["tissue_damage_mm2"] == 0.0
    assert (m["redirections"], m["passes"]) == (0, 1)


def test_a_redirection_at_depth_sweeps_the_sector_of_the_shaft():
    sim = phantom()
    sim.advance(19.5)
    sim.steer(10.0)
    m = metrics(sim)
    depth = 20.0
    assert m["tissue_damage_mm2"] == pytest.approx(0.5 * depth * depth * math.radians(10.0), abs=1e-3)
    assert m["path_in_tissue_mm"] == pytest.approx(depth + depth * math.radians(10.0), abs=1e-3)
    assert m["back_and_forth_mm"] == pytest.approx(depth, abs=1e-3)


def test_tilting_out_of_plane_halfway_leaves_the_tip_visible_for_half_the_advance():
    sim = phantom(entry_x_mm=-23.2)  # the tip shows beside the probe's end at once
    advance(sim, 19.5)
    sim.tilt_needle(10.0)  # the distal shaft leaves the beam slice
    advance(sim, 20.0)
    m = metrics(sim)
    assert m["tip_visible_pct"] == pytest.approx(50.0, abs=0.1)
    assert m["blind_advance_mm"] == pytest.approx(20.0, abs=1e-3)
    assert m["blind_advances"] == 1
    assert m["needle_plane_angle_max_deg"] == pytest.approx(10.0)
    assert m["needle_plane_distance_max_mm"] == pytest.approx(40.0 * math.sin(math.radians(10.0)), abs=0.01)
    # the probe stays in the correct view: the needle is off its slice, not in a wrong view
    assert m["wrong_view_mm"] == 0.0
    assert m["needle_out_of_plane_mm"] == pytest.approx(20.0, abs=0.6)


def test_every_turn_of_three_degrees_or_more_in_tissue_is_a_redirection_whichever_way():
    sim = phantom()
    advance(sim, 15.0)
    sim.steer(8.0)  # one, even without advancing after it
    sim.steer(-8.0)  # turning back: two
    advance(sim, 2.0)
    for _ in range(5):  # a held key: five small turns the same way make one redirection
        sim.steer(1.0)
        sim.step(TICK_S)
    advance(sim, 2.0)
    sim.steer(2.0)  # under 3 deg: none
    advance(sim, 2.0)
    sim.tilt_needle(4.0)  # out of plane counts too
    assert metrics(sim)["redirections"] == 4


def test_the_final_withdrawal_after_injecting_is_not_back_and_forth():
    sim = phantom()
    advance(sim, 19.5)
    sim.inject(0.5)
    before = metrics(sim)
    advance(sim, -sim.needle.depth_mm - 1.0)
    after = metrics(sim)
    assert not sim.needle.inserted
    assert after["back_and_forth_mm"] == before["back_and_forth_mm"] == pytest.approx(20.0, abs=1e-3)
    assert after["path_ratio"] == before["path_ratio"]
    assert after["path_in_tissue_mm"] == pytest.approx(40.0, abs=1e-3)  # the raw travel keeps it


def test_a_withdrawal_to_reposition_after_injecting_is_back_and_forth():
    sim = phantom()
    advance(sim, 19.5)
    sim.inject(0.5)
    advance(sim, -4.0)
    advance(sim, 4.0)
    assert metrics(sim)["back_and_forth_mm"] == pytest.approx(28.0, abs=1e-3)


def test_a_second_pass_counts_and_the_needle_travels_between_entries():
    sim = phantom()
    advance(sim, 9.5)
    sim.advance(-sim.needle.depth_mm)
    assert not sim.needle.inserted
    assert sim.insert(-30.0, ANGLE_DEG)
    m = metrics(sim)
    assert m["passes"] == 2
    assert m["path_in_tissue_mm"] == pytest.approx(10.0 + 10.0 + 0.5, abs=1e-3)
    assert m["path_length_mm"] - m["path_in_tissue_mm"] == pytest.approx(6.0, abs=1e-3)


def test_probe_drift_counts_out_of_plane_probe_motion_only_with_the_needle_in():
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0)
    sim.move_probe(dy_mm=2.0)
    sim.move_probe(dy_mm=-2.0)
    sim.insert(-24.0, ANGLE_DEG)
    sim.move_probe(dy_mm=1.5)
    sim.move_probe(dx_mm=3.0, dy_mm=-1.5)
    assert metrics(sim)["probe_drift_mm"] == pytest.approx(3.0)


def test_time_in_tissue_and_elapsed_time_follow_the_clock():
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0)
    for _ in range(60):
        sim.step(TICK_S)
    sim.move_probe(dx_mm=1.0)
    for _ in range(60):
        sim.step(TICK_S)
    sim.insert(-24.0, ANGLE_DEG)
    for _ in range(120):
        sim.step(TICK_S)
    m = metrics(sim)
    assert m["elapsed_time_s"] == pytest.approx(3.0, abs=1e-3)
    assert m["time_in_tissue_s"] == pytest.approx(2.0, abs=1e-3)


def test_live_values_are_the_final_values_at_every_moment():
    sim = phantom()
    live = []
    sim.observe(lambda s, action: live.append(s.assessment.values()))
    advance(sim, 12.0)
    sim.steer(6.0)
    advance(sim, 6.0)
    sim.inject(0.5)
    assert live[-1] == metrics(sim)
    assert [v["path_in_tissue_mm"] for v in live] == sorted(v["path_in_tissue_mm"] for v in live)


def test_every_metric_has_a_name_a_unit_and_a_json_value():
    m = trainer.Simulation(trainer.load_scenario("esp_block"), seed=0).finish()
    units = m.report.units
    assert set(units) == set(m.metrics) and all(units.values())
    assert all(isinstance(v, int | float | bool | str) for v in m.metrics.values())


def test_a_probe_slid_off_the_needle_before_the_tip_showed_loses_it_all_the_same():
    sim = phantom(entry_x_mm=-23.2)  # beside the probe's end: the tip shows at once when in plane
    sim.move_probe(dy_mm=3.0)  # the hand slides off the needle's plane
    advance(sim, 15.0)
    m = metrics(sim)
    assert m["tip_visible_pct"] < 5.0  # only just under the skin, where the beam's slice is wide
    assert m["lost_by_probe_mm"] == pytest.approx(m["blind_advance_mm"]) and m["lost_by_probe_mm"] > 10.0
    assert m["needle_out_of_plane_mm"] == 0.0  # the probe is off: not a needle off a right view
