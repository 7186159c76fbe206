"""Error gates keep an attempt with a quality-compromising behaviour below competent whatever its
composite, and the feedback says which gate closed and why (issue 12)."""

import pytest

import trainer
from trainer.assessment import score as scoring
from trainer.assessment.facts import ScenarioFacts
from trainer.assessment.feedback import GATE_REASONS, sentence
from trainer.assessment.findings import Finding
from trainer.assessment.thresholds import GATE_LIMITS, limits
from trainer.profiles import ExpertPlan, Hand, profile, run_profile


def attempt(name: str, scenario_id: str = "esp_block", variant: int = 0) -> trainer.AttemptResult:
    return run_profile(profile(name), trainer.load_scenario(scenario_id, variant=variant)).finish()


def gates(result: trainer.AttemptResult) -> list[str]:
    return [f.code for f in result.report.findings if f.gate]


@pytest.mark.parametrize(
    ("name", "gate"),
    [
        ("blind_advancer", "blind_advance"),
        ("probe_drifter", "needle_lost_by_probe"),
        ("sloppy_redirector", "tissue_damage"),
        ("intramuscular_injector", "intramuscular_injection"),
        ("overdoser", "overdose"),
        ("wrong_level", "wrong_level"),
        ("poor_entry", "poor_entry"),
        ("orientation_blind", "orientation_error"),
    ],
)
def test_each_quality_compromising_behaviour_caps_the_esp_block_below_competent(name, gate):
    result = attempt(name)
    assert gate in gates(result)
    assert result.score <= scoring.GATE_CAP_SCORE
    assert result.band not in ("excellent", "competent") and not result.passed
    paragraph = next(
        text for f, text in zip(result.report.findings, result.feedback, strict=True) if f.code == gate
    )
    assert "keeps the attempt below competent" in paragraph


def test_a_blind_advance_that_reaches_the_target_is_capped_not_excellent():
    """Issue 12's first example on the 3D patient: the needle tilted out of the beam from the skin,
    on to the target with the full volume. The 2 deg tilt keeps the tip within the target zone's
    3 mm out of plane while its distal part leaves the 1.5-3 mm slice (an 8 deg tilt would end
    10 mm out of plane, in the muscle beside the target)."""
    sc = trainer.load_scenario("esp_block")
    sim = trainer.Simulation(sc, seed=0, mode="demo")
    hand = Hand(sim, ExpertPlan.of(sc))
    hand.scan()
    hand.insert()
    hand.turn(tilt_deg=2.0)
    hand.advance(hand.plan.advance_mm)
    hand.inject(sc.goal.volume_ml)
    hand.withdraw()
    result = sim.finish()
    assert result.metrics["target_hit"] is True
    assert result.metrics["injectate_distribution"] == "correct"
    assert result.metrics["blind_advance_mm"] > GATE_LIMITS["gate_blind_advance_mm"][1]
    blind = next(f for f in result.report.findings if f.code == "blind_advance")
    assert blind.gate and result.report.findings[0] == blind  # gates come before other findings
    assert result.score == scoring.GATE_CAP_SCORE
    allowed = limits("standard", ScenarioFacts.of(sc).target_clearance_mm)
    ungated = scoring.score(result.metrics, allowed, gated=False)
    assert ungated.composite > scoring.GATE_CAP_SCORE  # its composite alone would be higher


def test_swinging_the_shaft_at_a_shallow_target_is_gated_though_it_sweeps_less_area():
    """Facet variant 1 lies 21 mm deep: three 10 deg swings there sweep less than the area gate,
    but the same handling is gated once the sweep is past its allowance."""
    result = attempt("sloppy_redirector", "facet_joint", variant=1)
    allowed = limits("standard", {})
    assert (
        allowed["tissue_damage_mm2"] < result.metrics["tissue_damage_mm2"] < allowed["gate_tissue_damage_mm2"]
    )
    assert result.metrics["tissue_drags"] > allowed["gate_tissue_drags"]
    assert "tissue_damage" in gates(result) and not result.passed


def test_a_few_degrees_of_steering_at_depth_close_no_gate():
    sim = trainer.Simulation(trainer.load_scenario("facet_joint", variant=1), seed=0)
    trainer.play(sim, trainer.expert_attempt(sim.scenario))
    sim.steer(3.0)
    sim.steer(-3.0)
    result = sim.finish()
    assert result.metrics["tissue_drags"] == 0 and gates(result) == []


def test_the_expert_and_a_clean_slow_novice_close_no_gate():
    for name in ("expert", "slow_novice"):
        result = attempt(name)
        assert gates(result) == [] and result.passed, name


def test_a_critical_event_still_fails_and_bands_unsafe_with_gates_closed_too():
    result = attempt("reckless")
    assert result.band == "unsafe" and not result.passed
    assert result.report.findings[0].critical


def test_the_gate_caps_the_composite_and_the_band_follows():
    perfect = attempt("expert").metrics
    allowed = limits("standard", ScenarioFacts.of(trainer.load_scenario("esp_block")).target_clearance_mm)
    free, capped = scoring.score(perfect, allowed), scoring.score(perfect, allowed, gated=True)
    assert (free.composite, free.band, free.passed) == (100.0, "excellent", True)
    assert (capped.composite, capped.band, capped.passed) == (scoring.GATE_CAP_SCORE, "developing", False)
    assert capped.weighted == 100.0


def test_gate_limits_are_stricter_in_an_exam():
    for name, (guided, standard, exam) in GATE_LIMITS.items():
        if name == "gate_tip_visible_pct":  # a share to keep: larger is stricter
            assert guided <= standard <= exam
        else:
            assert guided >= standard >= exam, name


def test_every_gate_reason_reads_as_a_sentence():
    facts = ScenarioFacts.of(trainer.load_scenario("esp_block"))
    allowed = limits("standard", facts.target_clearance_mm)
    for code in GATE_REASONS:
        text = sentence(Finding(code, 30.0, about="unseen", amount=12.0, gate=True), facts, allowed)
        assert "{" not in text and "below competent, whatever its score:" in text, code


def test_a_gated_finding_survives_the_record():
    result = attempt("overdoser")
    again = trainer.load_record(result.to_dict())
    assert [f.gate for f in again.report.findings] == [f.gate for f in result.report.findings]


def test_a_mirrored_image_reported_before_puncturing_is_no_error_and_a_false_report_is():
    sc = trainer.load_scenario("esp_block")
    noticed = trainer.Simulation(sc, seed=0)
    noticed.mirror_image(True)
    noticed.report_orientation(True)
    trainer.play(noticed, trainer.expert_attempt(sc))
    result = noticed.finish()
    assert result.passed and result.metrics["orientation_error"] is False
    wrong = trainer.Simulation(sc, seed=0)
    wrong.report_orientation(True)  # the image was the right way round
    trainer.play(wrong, trainer.expert_attempt(sc))
    found = next(f for f in wrong.finish().report.findings if f.code == "orientation_error")
    assert (found.about, found.gate) == ("false_report", False)
    assert trainer.replay(result.to_dict()).to_dict()["score"] == result.score


def test_a_mirrored_image_is_the_same_picture_left_to_right():
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"), seed=0)
    plain, row_col = sim.render(160, 120), sim.world_to_pixel(10.0, 20.0, 160, 120)
    sim.mirror_image(True)
    assert (sim.render(160, 120) == plain[:, ::-1]).all()
    assert sim.world_to_pixel(10.0, 20.0, 160, 120) == (row_col[0], 159 - row_col[1])
    assert sim.pixel_to_world(*sim.world_to_pixel(10.0, 20.0, 160, 120), 160, 120) == pytest.approx(
        (10.0, 20.0)
    )


def test_a_replay_shows_a_mirrored_attempt_mirrored():
    sc = trainer.load_scenario("gel_phantom")
    sim = trainer.Simulation(sc, seed=0)
    sim.mirror_image(True)
    trainer.play(sim, trainer.expert_attempt(sc)[:40])
    replay = trainer.Replay(sim.finish().to_dict())
    assert replay.at(len(replay) - 1).image_mirrored and not replay.at(0).image_mirrored
