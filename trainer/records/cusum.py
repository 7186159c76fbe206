"""CUSUM learning curves of pass/fail, as used to judge competence in regional-anaesthesia training.

The standard (SPRT-based) CUSUM of Bolsin & Colson (Int J Qual Health Care 2000;12:433-8), applied to
anaesthetic skills by de Oliveira Filho (Anesth Analg 2002;95:411-6) and to ultrasound needle
visualisation by Barrington et al. (Reg Anesth Pain Med 2012;37:334-9; novices needed a mean of 28
trials). The curve starts at 0; each failure adds 1 - s and each success subtracts s. Crossing the
lower limit h0 from above means the failure rate is acceptable (competence); reaching the upper
limit h1 means it is unacceptable.

Defaults: acceptable failure rate p0 = 0.20, unacceptable p1 = 0.40, type I and II error rates
alpha = beta = 0.10, a pair used in CUSUM studies of neuraxial and nerve blocks (e.g. the 20 %/40 %
rows compared in Anesthesiol Res Pract 2022:1738783); Barrington 2012 defined failure by its own
dynamic scoring system, whose rates are not reproduced here. The defaults give s = 0.293 and
h0 = -h1 = -2.24: eight consecutive passes from the start reach h0. Change them in `CusumLimits`
to match a programme's own standard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from trainer.errors import TrainerError
from trainer.scenario import load_scenario


@dataclass(frozen=True, slots=True)
class CusumLimits:
    """Failure rates and error rates that define the chart."""

    acceptable_failure_rate: float = 0.20
    unacceptable_failure_rate: float = 0.40
    # With H0 "the failure rate is acceptable" and H1 "it is unacceptable" (Bolsin & Colson):
    alpha: float = 0.10  # type I: an alarm (h1) for a trainee whose failure rate is acceptable
    beta: float = 0.10  # type II: competence (h0) declared for a trainee whose rate is unacceptable

    def __post_init__(self) -> None:
        if not 0 < self.acceptable_failure_rate < self.unacceptable_failure_rate < 1:
            raise ValueError("need 0 < acceptable failure rate < unacceptable failure rate < 1")

    @property
    def _pq(self) -> tuple[float, float]:
        p0, p1 = self.acceptable_failure_rate, self.unacceptable_failure_rate
        return math.log(p1 / p0), math.log((1 - p0) / (1 - p1))

    @property
    def s(self) -> float:
        """What a success subtracts (a failure adds 1 - s)."""
        p, q = self._pq
        return q / (p + q)

    @property
    def h0(self) -> float:
        """Lower decision limit (negative): reached from above = acceptable failure rate."""
        p, q = self._pq
        return -math.log((1 - self.alpha) / self.beta) / (p + q)

    @property
    def h1(self) -> float:
        """Upper decision limit: reached = unacceptable failure rate."""
        p, q = self._pq
        return math.log((1 - self.beta) / self.alpha) / (p + q)


@dataclass(frozen=True, slots=True)
class CusumCurve:
    values: tuple[float, ...]  # after each attempt
    limits: CusumLimits
    competent_at: int | None  # 1-based attempt where the curve first reached h0
    alarm_at: int | None  # 1-based attempt where the curve first reached h1


def cusum(passed: list[bool], limits: CusumLimits | None = None) -> CusumCurve:
    """The CUSUM curve of a sequence of pass (True) / fail (False) outcomes, oldest first."""
    limits = limits or CusumLimits()
    values: list[float] = []
    total = 0.0
    for ok in passed:
        total += -limits.s if ok else 1.0 - limits.s
        values.append(total)
    competent = next((i + 1 for i, v in enumerate(values) if v <= limits.h0 + 1e-12), None)
    alarm = next((i + 1 for i, v in enumerate(values) if v >= limits.h1 - 1e-12), None)
    return CusumCurve(tuple(values), limits, competent, alarm)


@lru_cache(maxsize=64)
def is_practice_model(scenario_id: str) -> bool:
    """A warm-up model (the gel phantom), not a procedure: its attempts say nothing about
    competence at a block, so they stay out of the CUSUM. An unknown scenario counts as a procedure."""
    try:
        return load_scenario(scenario_id).region == "phantom"
    except TrainerError:
        return False


def procedure_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of procedures, leaving out warm-up models such as the gel phantom."""
    return [r for r in records if not is_practice_model(str((r.get("scenario") or {}).get("id", "")))]
