"""Learning-curve CUSUM (LC-CUSUM) and relapse detection after competence, per procedure.

The LC-CUSUM of Biau et al. (Br J Surg 2008;95:925-9; Biau & Porcher, Stat Med 2010;29:1900-9)
turns the usual CUSUM round: its null hypothesis is that the trainee is *not yet* competent (failure
rate at the unacceptable p_u) and it signals when the attempts show an acceptable rate p_a. Each pass
adds ln((1 - p_a) / (1 - p_u)), each failure adds ln(p_a / p_u) (negative), and the score never drops
below 0. Competence is declared when it reaches h. After that a Page CUSUM watches for relapse: each
failure adds ln(p_u / p_a), each pass ln((1 - p_u) / (1 - p_a)), never below 0, and reaching its
limit signals that the failure rate has gone back to unacceptable.

Both limits are worked out exactly (every reachable score and its probability, attempt by attempt):
the smallest h for which a trainee whose true failure rate is p_u would be declared competent within
`horizon` attempts with probability at most `alpha` (type I error: an inadequate trainee declared
competent), and likewise the relapse limit for a competent trainee at p_a raising a false alarm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

DECIMALS = 9  # scores are rounded to merge equal sums of logarithms


@dataclass(frozen=True, slots=True)
class LearningLimits:
    """The programme's standard: acceptable and unacceptable failure rates, the risk of declaring
    an inadequate trainee competent (alpha) and the number of attempts that risk covers."""

    acceptable_failure_rate: float = 0.20
    unacceptable_failure_rate: float = 0.40
    alpha: float = 0.05
    horizon: int = 60

    def __post_init__(self) -> None:
        if not 0 < self.acceptable_failure_rate < self.unacceptable_failure_rate < 1:
            raise ValueError("need 0 < acceptable failure rate < unacceptable failure rate < 1")
        if not 0 < self.alpha < 1 or self.horizon < 1:
            raise ValueError("need 0 < alpha < 1 and a horizon of at least one attempt")

    @property
    def learning_steps(self) -> tuple[float, float]:
        """(what a pass adds, what a failure adds) to the LC-CUSUM."""
        pa, pu = self.acceptable_failure_rate, self.unacceptable_failure_rate
        return math.log((1 - pa) / (1 - pu)), math.log(pa / pu)

    @property
    def relapse_steps(self) -> tuple[float, float]:
        """(what a pass adds, what a failure adds) to the relapse CUSUM."""
        gain, loss = self.learning_steps
        return -gain, -loss

    @property
    def h(self) -> float:
        """The LC-CUSUM's decision limit (competence)."""
        return decision_limit(*self.learning_steps, self.unacceptable_failure_rate, self.alpha, self.horizon)

    @property
    def relapse_h(self) -> float:
        """The relapse CUSUM's decision limit."""
        return decision_limit(*self.relapse_steps, self.acceptable_failure_rate, self.alpha, self.horizon)


@lru_cache(maxsize=32)
def decision_limit(
    pass_step: float, fail_step: float, failure_rate: float, alpha: float, horizon: int
) -> float:
    """The smallest limit that a score (never below 0) reaches within `horizon` attempts with
    probability at most `alpha`, when each attempt fails with `failure_rate`."""
    candidates = sorted(_reachable(pass_step, fail_step, horizon) - {0.0})
    lo, hi = 0, len(candidates)  # the answer is candidates[lo] (or never, past the end)
    while lo < hi:
        mid = (lo + hi) // 2
        if _chance_to_reach(candidates[mid], pass_step, fail_step, failure_rate, horizon) <= alpha:
            hi = mid
        else:
            lo = mid + 1
    return candidates[lo] if lo < len(candidates) else math.inf


def _reachable(pass_step: float, fail_step: float, horizon: int) -> set[float]:
    scores = {0.0}
    found = {0.0}
    for _ in range(horizon):
        scores = {round(max(0.0, s + step), DECIMALS) for s in scores for step in (pass_step, fail_step)}
        found |= scores
    return found


def _chance_to_reach(
    limit: float, pass_step: float, fail_step: float, failure_rate: float, horizon: int
) -> float:
    """Probability that the score reaches `limit` within `horizon` attempts."""
    alive = {0.0: 1.0}
    reached = 0.0
    for _ in range(horizon):
        nxt: dict[float, float] = {}
        for score, chance in alive.items():
            for step, p in ((pass_step, 1.0 - failure_rate), (fail_step, failure_rate)):
                s = round(max(0.0, score + step), DECIMALS)
                if s >= limit:
                    reached += chance * p
                else:
                    nxt[s] = nxt.get(s, 0.0) + chance * p
        alive = nxt
    return reached


@dataclass(frozen=True, slots=True)
class LearningCurve:
    """An LC-CUSUM over a trainee's attempts at one procedure, oldest first."""

    learning: tuple[float, ...]  # LC-CUSUM after each attempt, until competence
    relapse: tuple[float, ...]  # relapse CUSUM after each attempt from competence on
    limits: LearningLimits
    competent_at: int | None  # 1-based attempt at which competence was declared
    relapse_at: int | None  # 1-based attempt at which a relapse was signalled


def learning_curve(passed: Sequence[bool], limits: LearningLimits | None = None) -> LearningCurve:
    """The LC-CUSUM until it declares competence, then the relapse CUSUM until it signals."""
    limits = limits or LearningLimits()
    learning: list[float] = []
    relapse: list[float] = []
    competent_at = relapse_at = None
    for n, ok in enumerate(passed, start=1):
        if competent_at is None:
            learning.append(_next(learning, limits.learning_steps, ok))
            competent_at = n if learning[-1] >= limits.h - 1e-9 else None
        elif relapse_at is None:
            relapse.append(_next(relapse, limits.relapse_steps, ok))
            relapse_at = n if relapse[-1] >= limits.relapse_h - 1e-9 else None
    return LearningCurve(tuple(learning), tuple(relapse), limits, competent_at, relapse_at)


def _next(curve: list[float], steps: tuple[float, float], ok: bool) -> float:
    return max(0.0, (curve[-1] if curve else 0.0) + (steps[0] if ok else steps[1]))
