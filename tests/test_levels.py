"""Wrong level on the 3D patient: a tip at the target's spot of another vertebra is found from the
patient's own levels, on every procedure, and the debrief names both levels (issue 12)."""

import numpy as np
import pytest

import trainer
from trainer.assessment.levels import WRONG_LEVEL_RADIUS_MM, LevelMap
from trainer.profiles import profile, run_profile

PROCEDURES = ["esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint"]


@pytest.mark.parametrize("scenario_id", PROCEDURES)
def test_injecting_one_level_off_is_found_gated_and_explained_on_every_procedure(scenario_id):
    sc = trainer.load_scenario(scenario_id)
    result = run_profile(profile("wrong_level"), sc).finish()
    wrong = next(f for f in result.report.findings if f.code == "wrong_level")
    levels = LevelMap.of(sc)
    assert levels is not None
    assert wrong.gate and wrong.about in (levels.name(-1), levels.name(1))
    assert wrong.about != sc.level and not result.passed
    paragraph = next(
        text for f, text in zip(result.report.findings, result.feedback, strict=True) if f is wrong
    )
    assert f"you injected at {wrong.about}, not at {sc.level}" in paragraph


def test_the_spot_one_level_away_follows_the_patients_levels():
    sc = trainer.load_scenario("facet_joint")
    levels = LevelMap.of(sc)
    assert levels is not None
    patient = sc.anatomy.patient
    assert (levels.name(-1), levels.name(0), levels.name(1)) == ("T5-T6", "T6-T7", "T7-T8")
    spacing = patient.level("T7").tp_y_mm - patient.level("T6").tp_y_mm
    assert levels.spot(1)[1] - levels.target_world[1] == pytest.approx(spacing, abs=3.0)
    assert np.allclose(levels.spot(0), levels.target_world)


def test_a_tip_on_target_or_in_the_wrong_view_is_at_the_right_level():
    sc = trainer.load_scenario("esp_block")
    levels = LevelMap.of(sc)
    assert levels is not None
    x, z = sc.goal.point
    assert levels.wrong_level_at(x, 0.0, z) == ""
    assert levels.wrong_level_at(x, 14.0, z) == ""  # the rib view: wrong view, same level
    dx, dy = levels.scene_shift_mm(-1)
    assert levels.wrong_level_at(x + dx, dy, z) == "T4"
    assert levels.wrong_level_at(x + dx + 0.5 * WRONG_LEVEL_RADIUS_MM, dy, z) == "T4"


def test_the_phantom_has_no_levels_to_get_wrong():
    sc = trainer.load_scenario("gel_phantom")
    assert LevelMap.of(sc) is None
    sim = trainer.Simulation(sc, seed=0)
    trainer.play(sim, trainer.expert_attempt(sc))
    assert "wrong_level" not in sim.finish().metrics
