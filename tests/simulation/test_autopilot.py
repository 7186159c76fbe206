"""The expert autopilot solves every thoracic scenario on variants 0-19 without a critical event."""

import pytest

import trainer
from helpers import expert_run
from trainer.events import EventKind

THORACIC = ["esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint"]


@pytest.mark.parametrize("variant", range(20))
@pytest.mark.parametrize("sid", THORACIC)
def test_expert_reaches_the_target_safely(sid, variant):
    sim = expert_run(sid, variant)
    sc = sim.scenario
    result = sim.finish()
    assert result.target_reached and result.passed
    assert not result.critical_events
    assert sim.tip_visible  # it ends with the tip on screen
    assert sim.plane.y_mm == 0.0  # in the correct view
    injections = [e for e in result.events if e.kind == EventKind.INJECTION]
    assert len(injections) == 1
    assert injections[0].compartment in sc.goal.compartments
    assert injections[0].volume_ml == pytest.approx(sc.goal.volume_ml)
    low, high = sc.approach.angle_range_deg
    assert low - 1e-9 <= sim.needle.skin_angle_deg <= high + 1e-9


def test_expert_solves_the_gel_phantom():
    result = expert_run("gel_phantom").finish()
    assert result.passed
    assert [e.compartment for e in result.events if e.kind == EventKind.INJECTION] == ["cystic"]


def test_expert_scans_from_the_wrong_view_first():
    sc = trainer.load_scenario("esp_block")
    actions = trainer.expert_attempt(sc)
    moves = [a.action for a in actions if a.action.name == "move_probe"]
    assert sum(dict(m.args)["dy_mm"] for m in moves if "dy_mm" in dict(m.args)) == pytest.approx(-15.0)
    times = [a.time_s for a in actions]
    assert times == sorted(times)
