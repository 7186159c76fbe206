"""The composite is a pure function of the reported metrics and the attempt's limits."""

import pytest

import trainer
from trainer.assessment import score as scoring
from trainer.assessment.facts import ScenarioFacts
from trainer.assessment.thresholds import ALLOWANCES, DIFFICULTIES, limits


@pytest.fixture(scope="module")
def perfect() -> dict:
    """The metrics of a clean attempt: the autopilot's on the gel phantom."""
    sc = trainer.load_scenario("gel_phantom")
    sim = trainer.Simulation(sc, seed=0)
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim.finish().metrics


def standard() -> dict:
    return limits("standard", ScenarioFacts.of(trainer.load_scenario("gel_phantom")).target_clearance_mm)


def test_weights_add_up_to_100_and_every_rule_reads_a_real_metric(perfect):
    assert sum(scoring.WEIGHTS.values()) == 100.0
    assert {r.subscore for r in scoring.RULES} == set(scoring.WEIGHTS)
    every = {
        name
        for sid in trainer.list_scenarios()
        for name in trainer.Simulation(trainer.load_scenario(sid), seed=0).finish().metrics
    }
    assert {r.metric for r in scoring.RULES} <= every
    assert all(isinstance(r.limit, float) or r.limit in standard() for r in scoring.RULES)


def test_a_clean_attempt_scores_100(perfect):
    result = scoring.score(perfect, standard())
    assert (result.composite, result.band, result.passed) == (100.0, "excellent", True)


def test_deductions_are_points_per_unit_beyond_the_allowance_and_capped(perfect):
    allowed = standard()
    blind = allowed["blind_advance_mm"]
    assert scoring.subscores({**perfect, "blind_advance_mm": blind}, allowed)["technique"] == 100.0
    assert scoring.subscores({**perfect, "blind_advance_mm": blind + 4.0}, allowed)["technique"] == 88.0
    assert scoring.subscores({**perfect, "blind_advance_mm": blind + 400.0}, allowed)["technique"] == 60.0
    composite = scoring.score({**perfect, "blind_advance_mm": blind + 4.0}, allowed).composite
    assert composite == pytest.approx(100.0 - 12.0 * 20.0 / 100.0)


def test_a_critical_event_fails_and_bands_unsafe_whatever_the_rest(perfect):
    result = scoring.score({**perfect, "critical_events": 1}, standard())
    assert result.subscores["safety"] == 0.0 and result.composite == 75.0
    assert (result.band, result.passed) == ("unsafe", False)


def test_a_missed_target_fails_even_with_a_passing_composite(perfect):
    result = scoring.score({**perfect, "target_hit": False, "volume_on_target_pct": 100.0}, standard())
    assert result.composite >= scoring.PASS_MARK and not result.passed


def test_a_metric_that_does_not_apply_is_absent_and_takes_nothing_off(perfect):
    assert "closest_pleura_mm" not in perfect and "pleura_punctures" not in perfect  # the gel phantom
    assert "closest_vessel_mm" in perfect  # its tube
    assert scoring.subscores(perfect, standard())["safety"] == 100.0


def test_bands_follow_the_composite():
    assert [scoring.band_for(s, False) for s in (100, 85, 84.99, 70, 69.9, 50, 10)] == [
        "excellent",
        "excellent",
        "competent",
        "competent",
        "developing",
        "developing",
        "novice",
    ]


def test_exams_forgive_less_than_guided_practice():
    for name, (guided, standard_value, exam) in ALLOWANCES.items():
        if name == "near_miss_mm":  # a margin to keep: larger is stricter
            assert guided <= standard_value <= exam
        else:
            assert guided >= standard_value >= exam, name
    with pytest.raises(ValueError):
        limits("heroic", {})
    assert DIFFICULTIES == ("guided", "standard", "exam")


def test_near_miss_margins_never_exceed_the_targets_own_clearance():
    facts = ScenarioFacts.of(trainer.load_scenario("costovertebral_joint"))
    exam = limits("exam", facts.target_clearance_mm)
    assert exam["near_miss_neuraxis_mm"] == pytest.approx(facts.target_clearance_mm["neuraxis"])
    assert exam["near_miss_neuraxis_mm"] < exam["near_miss_mm"] == exam["near_miss_pleura_mm"]
