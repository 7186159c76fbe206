"""Level-finding starts: the probe begins over the 12th rib or at C7, the expert counts to the level
and passes, the start is a recorded input (so replays reproduce it), and bad names are refused."""

import pytest

import trainer
from trainer.autopilot import expert_attempt
from trainer.level_start import COUNT_STARTS, place_args
from trainer.replay import check_replay


@pytest.mark.parametrize("start", [s.name for s in COUNT_STARTS])
def test_the_probe_starts_over_the_landmark_level(start):
    sc = trainer.load_scenario("esp_block")
    sim = trainer.Simulation(sc, seed=0)
    sim.place_probe(**place_args(sc, start))
    expected = {"rib12": "T12", "c7": "C7"}[start]
    assert sim.probe_level() == expected
    assert sim.probe_level() != sc.anatomy.patient.level_at(0.0) or expected == sc.level
    assert sim.inputs[-1].name == "place_probe"


@pytest.mark.parametrize("sid", ["esp_block", "medial_branch", "costotransverse_joint"])
def test_the_expert_counts_from_the_12th_rib_to_the_level_and_passes(sid):
    sc = trainer.load_scenario(sid)
    sim = trainer.Simulation(sc, seed=1)
    actions = expert_attempt(sc, "rib12")
    first = actions[0].action
    assert first.name == "place_probe" and dict(first.args)["level"] == "T12"
    levels = []
    for timed in actions:
        while sim.time_s + 1e-9 < timed.time_s:
            sim.step(1.0 / 60.0)
        timed.action.apply(sim)
        if timed.action.name == "move_probe":
            levels.append(sim.probe_level())
    result = sim.finish()
    assert result.passed and result.band == "excellent", (result.score, result.report)
    seen = list(dict.fromkeys(levels))  # the levels the probe passed over, in order
    assert seen[0] in ("T12", "T11") and len(seen) >= 5  # it slid up the back, level by level
    assert check_replay(result.to_dict()).differences == ()


def test_a_level_finding_start_is_refused_off_the_patient_and_for_unknown_names():
    with pytest.raises(ValueError, match="not on the 3D patient"):
        place_args(trainer.load_scenario("gel_phantom"), "rib12")
    with pytest.raises(ValueError, match="rib12, c7"):
        place_args(trainer.load_scenario("esp_block"), "sacrum")
