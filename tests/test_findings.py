"""Each critical event fails the attempt; the trainee errors are found and explained."""

import pytest
from scripted import advance, aim, in_view, reach

import trainer
from trainer.events import EventKind


def codes(result: trainer.AttemptResult) -> list[str]:
    return [f.code for f in result.report.findings]


def critical_attempt(name: str) -> trainer.Simulation:
    """Scripted attempts that end in one kind of critical event."""
    if name == "pleura_puncture":  # between the T5 and T6 transverse processes, on into the lung
        sim = in_view("esp_block")
        reach(sim, -25.0, (21.5, 48.0), stop_on=(EventKind.PLEURA_PUNCTURE,))
    elif name in ("arterial_puncture", "intravascular_injection"):
        sim = in_view("esp_block")
        reach(sim, -30.0, (-11.5, 40.0), stop_on=(EventKind.VESSEL_PUNCTURE,))
        if name == "intravascular_injection":
            sim.inject(0.5)
    elif name == "foramen_entry":
        sim = in_view("costovertebral_joint")
        reach(sim, 32.0, (-10.5, 50.4), stop_on=(EventKind.FORAMEN_ENTRY,))
    elif name == "neuraxis_entry":  # straight down through the facet joint into the epidural space
        sim = in_view("costovertebral_joint")
        sim.move_probe(dx_mm=25.0)
        reach(sim, -22.0, (-22.0, 48.0), stop_on=(EventKind.NEURAXIS_ENTRY,))
    else:  # critical_vessel_puncture: the gel phantom's tube
        sim = in_view("gel_phantom")
        reach(sim, -30.0, (-10.0, 36.0), stop_on=(EventKind.VESSEL_PUNCTURE,))
    return sim


@pytest.mark.parametrize(
    "name",
    [
        "pleura_puncture",
        "arterial_puncture",
        "intravascular_injection",
        "foramen_entry",
        "neuraxis_entry",
        "critical_vessel_puncture",
    ],
)
def test_each_critical_event_fails_the_attempt_whatever_the_score(name):
    result = critical_attempt(name).finish()
    assert result.critical_events
    assert not result.passed
    assert result.band == "unsafe"
    assert result.report.subscores["safety"] == 0.0
    critical = [f.code for f in result.report.findings if f.critical]
    assert name in critical and codes(result)[: len(critical)] == critical  # critical ones first
    assert result.feedback[0].startswith("At 0:")


def test_a_steep_blind_advance_into_the_pleura_fails_with_the_right_feedback():
    """Too lateral (the rib view), steep, far from the probe: the classic reckless ESP attempt."""
    sc = trainer.load_scenario("esp_block")
    sim = trainer.Simulation(sc, seed=0)  # the probe starts in the rib view
    sim.move_probe(dx_mm=30.0)
    reach(sim, 0.0, (14.3, 44.0), stop_on=(EventKind.PLEURA_PUNCTURE,))
    result = sim.finish()
    assert not result.passed and result.band == "unsafe" and result.score < 50.0
    assert codes(result)[:1] == ["pleura_puncture"]
    assert {"steep_angle", "blind_advance", "wrong_view", "missed_target"} <= set(codes(result))
    text = " ".join(result.feedback)
    for phrase in (
        "through the pleura into the lung",
        "pneumothorax",
        "without seeing its tip",
        "steeper than 50 deg",
        "rib view",
        "Enter further from the probe",
    ):
        assert phrase in text
    assert not any("efficient" in s for s in result.strengths)


def test_a_tip_in_the_facet_joint_is_the_wrong_target_for_the_costovertebral_joint():
    sim = in_view("costovertebral_joint")
    sim.move_probe(dx_mm=25.0)
    reach(sim, -22.0, (-22.0, 40.0))
    sim.inject(0.5)
    result = sim.finish()
    wrong = next(f for f in result.report.findings if f.code == "wrong_target")
    assert wrong.about == "facet_t6_t7"
    assert result.metrics["injectate_distribution"] == "wrong_joint"
    assert not result.passed


def test_an_injection_inside_a_muscle_is_intramuscular_and_maldistributed():
    sim = in_view("esp_block")
    reach(sim, -40.0, (-10.0, 24.0))  # mid erector spinae, well above the transverse process
    sim.inject(2.0)
    result = sim.finish()
    assert result.metrics["injectate_distribution"] == "intramuscular"
    assert {"intramuscular_injection", "maldistribution", "missed_target"} <= set(codes(result))
    assert any("inside a muscle (erector spinae)" in f for f in result.feedback)


def test_advancing_in_the_lamina_view_is_a_wrong_view():
    sim = in_view("esp_block")
    sim.move_probe(dy_mm=-15.0)  # too medial
    aim(sim, -30.0, (-5.0, 25.0))
    advance(sim, 20.0)
    found = next(f for f in sim.finish().report.findings if f.code == "wrong_view")
    assert found.about == "lamina_view" and found.amount == pytest.approx(20.5)


def test_overfilling_the_facet_joint_is_a_maldistribution():
    sc = trainer.load_scenario("facet_joint")
    sim = trainer.Simulation(sc, seed=0)
    trainer.play(sim, trainer.expert_attempt(sc))
    sim.inject(2.0)  # 2.5 mL in a capsule that holds about 1 mL
    result = sim.finish()
    assert result.metrics["maldistribution"] is True
    assert result.metrics["injectate_distribution"] == "overflow"
    assert any("overflowed the joint capsule" in f for f in result.feedback)


def test_difficulty_changes_the_judgement_not_the_metrics():
    def attempt(difficulty: str) -> trainer.AttemptResult:
        sim = in_view("gel_phantom", difficulty=difficulty)
        sim.insert(-40.0, 35.0)  # enters far from the probe: a few mm are blind past the allowance
        advance(sim, 25.0)
        return sim.finish()

    guided, standard, exam = (attempt(d) for d in ("guided", "standard", "exam"))
    assert guided.metrics == standard.metrics == exam.metrics
    assert guided.score >= standard.score >= exam.score
    assert guided.score > exam.score


def test_every_finding_has_complete_feedback():
    from trainer.assessment.facts import ScenarioFacts
    from trainer.assessment.feedback import MISSED, SPREAD, TEMPLATES, sentence
    from trainer.assessment.findings import Finding
    from trainer.assessment.thresholds import limits

    facts = ScenarioFacts.of(trainer.load_scenario("esp_block"))
    allowed = limits("standard", facts.target_clearance_mm)
    abouts = {
        "missed_target": list(MISSED),
        "maldistribution": list(SPREAD),
        "near_miss": ["pleura", "vessel", "neuraxis"],
        "wrong_view": ["rib_view", "lamina_view"],
        "poor_entry": ["unseen", "steep"],
        "orientation_error": ["missed", "false_report"],
    }
    for code in TEMPLATES:
        for about in abouts.get(code, ["erector_spinae"]):
            text = sentence(Finding(code, 61.0, about=about, amount=2.5), facts, allowed)
            assert "{" not in text and text.count(". ") >= 2, (code, text)
