"""The expert autopilot solves every thoracic scenario on variants 0-19 without a critical event
(the 100 runs are the session's shared `expert_outcomes`, see conftest.py)."""

import pytest

import trainer
from helpers import expert_run
from trainer.events import EventKind

THORACIC = ["esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint"]


def test_expert_reaches_the_target_safely_on_every_thoracic_scenario_and_variant(expert_outcomes):
    assert {sid for sid, _ in expert_outcomes} == set(THORACIC)
    for (sid, variant), (record, final) in expert_outcomes.items():
        where = f"{sid} variant {variant}"
        sc = trainer.load_scenario(sid, variant=variant)
        assert record["target_reached"] and record["passed"], where
        assert not [e for e in record["events"] if e["critical"]], where
        assert final["tip_visible"], where  # it ends with the tip on screen
        assert final["plane_y_mm"] == 0.0, where  # in the correct view
        injections = [e for e in record["events"] if e["kind"] == EventKind.INJECTION.value]
        assert len(injections) == 1, where
        assert injections[0]["compartment"] in sc.goal.compartments, where
        assert injections[0]["volume_ml"] == pytest.approx(sc.goal.volume_ml), where
        low, high = sc.approach.angle_range_deg
        assert low - 1e-9 <= final["skin_angle_deg"] <= high + 1e-9, where


def test_expert_solves_the_gel_phantom():
    result = expert_run("gel_phantom").finish()
    assert result.passed
    assert [e.compartment for e in result.events if e.kind == EventKind.INJECTION] == ["cystic"]


def test_expert_scans_from_the_wrong_view_first():
    sc = trainer.load_scenario("esp_block")
    actions = trainer.expert_attempt(sc)
    moves = [a.action for a in actions if a.action.name == "move_probe"]
    start = trainer.Simulation(sc).plane
    assert not sc.is_primary(start)  # it starts in the rib view
    slid = sum(dict(m.args)["dy_mm"] for m in moves if "dy_mm" in dict(m.args))
    assert slid == pytest.approx(-sc.probe.start_y_mm)  # and slides medially into the TP view
    times = [a.time_s for a in actions]
    assert times == sorted(times)


def test_the_medial_branch_expert_may_rest_in_the_nerve_it_blocks():
    """The T3 medial branch lies on the TP corner the block aims for: on variant 1 the expert's
    tip rests inside its outline, a perineural deposit that is the block itself."""
    sc = trainer.load_scenario("medial_branch", variant=1)
    sim = trainer.Simulation(sc, seed=0)
    trainer.play(sim, trainer.expert_attempt(sc))
    result = sim.finish()
    injection = next(e for e in result.events if e.kind == EventKind.INJECTION)
    assert injection.compartment == "perineural" and injection.structure.startswith("medial_branch_t3")
    assert result.metrics["injectate_distribution"] == "correct"
    assert result.passed and result.score == 100.0
