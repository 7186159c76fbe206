"""LC-CUSUM (Biau 2008): competence declared from an acceptable failure rate, relapse watched after."""

import math

import pytest

from trainer.records.lc_cusum import LearningLimits, _chance_to_reach, _reachable, learning_curve
from trainer.records.learning_plots import verdicts


def test_the_steps_are_the_log_likelihood_ratios_of_the_two_failure_rates():
    limits = LearningLimits()  # acceptable 20 %, unacceptable 40 %
    assert limits.learning_steps == pytest.approx((math.log(0.8 / 0.6), math.log(0.2 / 0.4)))
    assert limits.relapse_steps == pytest.approx((-math.log(0.8 / 0.6), math.log(2.0)))
    with pytest.raises(ValueError):
        LearningLimits(acceptable_failure_rate=0.4, unacceptable_failure_rate=0.2)


def test_the_limit_keeps_the_risk_of_passing_an_inadequate_trainee_at_alpha():
    limits = LearningLimits()
    steps = limits.learning_steps
    inadequate = limits.unacceptable_failure_rate
    risk = _chance_to_reach(limits.h, *steps, inadequate, limits.horizon)
    lower = max(s for s in _reachable(*steps, limits.horizon) if s < limits.h)
    assert risk <= limits.alpha < _chance_to_reach(lower, *steps, inadequate, limits.horizon)


def test_passes_in_a_row_declare_competence_and_failures_after_it_signal_a_relapse():
    limits = LearningLimits()
    gain = limits.learning_steps[0]
    needed = math.ceil(limits.h / gain - 1e-9)
    curve = learning_curve([True] * needed + [False] * 10, limits)
    assert curve.competent_at == needed
    relapse_after = math.ceil(limits.relapse_h / limits.relapse_steps[1] - 1e-9)
    assert curve.relapse_at == needed + relapse_after
    assert learning_curve([True] * (needed - 1)).competent_at is None


def test_the_curve_never_drops_below_zero_so_early_failures_are_not_a_debt():
    curve = learning_curve([False] * 20 + [True] * 30)
    assert min(curve.learning) == 0.0
    assert curve.competent_at == 20 + math.ceil(curve.limits.h / curve.limits.learning_steps[0] - 1e-9)


def test_the_verdict_is_per_procedure_and_leaves_the_phantom_out():
    phantom = [{"scenario": {"id": "gel_phantom"}, "passed": True}] * 30
    esp = [{"scenario": {"id": "esp_block"}, "passed": True}] * 20
    found = verdicts(phantom + esp, LearningLimits())
    assert len(found) == 1 and found[0].startswith("esp_block: competent at attempt 15")
