"""The shape every metric shares (after Perk Tutor): a name, a unit, fed one sample at a time.

A metric's `value` is its live value during the attempt and its final value after it: the same
code serves both. `first_s` remembers when the metric first registered something (for feedback
such as "at 0:42 you..."), and `detail` names what it was about (a structure, a plane).
"""

from __future__ import annotations

from typing import Literal

from trainer.assessment.sample import Sample

MetricValue = float | int | bool | str
Better = Literal["lower", "higher"] | None


class Metric:
    """Base class: subclasses set `name`, `unit`, `better` (or pass them per instance) and
    implement `update` and `value`."""

    name: str = ""
    unit: str = ""
    better: Better = "lower"  # which way is better, for the standing against the expert reference
    clocked = False  # True: also fed samples in which only time passed

    def __init__(
        self, name: str | None = None, unit: str | None = None, better: Better | Literal["same"] = "same"
    ) -> None:
        self.name = name or self.name
        self.unit = unit or self.unit
        if better != "same":
            self.better = better
        self.first_s: float | None = None
        self.detail = ""

    def update(self, s: Sample) -> None:
        raise NotImplementedError

    @property
    def value(self) -> MetricValue:
        raise NotImplementedError

    def note(self, s: Sample, detail: str = "") -> None:
        """Record that something happened now (the first time is kept)."""
        if self.first_s is None:
            self.first_s = s.time_s
            self.detail = detail


class Total(Metric):
    """A metric that adds up an amount per sample; `first_s` is when the first amount came."""

    def __init__(
        self, name: str | None = None, unit: str | None = None, better: Better | Literal["same"] = "same"
    ) -> None:
        super().__init__(name, unit, better)
        self.total = 0.0

    def amount(self, s: Sample) -> float:
        raise NotImplementedError

    def update(self, s: Sample) -> None:
        amount = self.amount(s)
        if amount:
            self.total += amount
            self.note(s)

    @property
    def value(self) -> MetricValue:
        return self.total


class Count(Total):
    """A Total of whole occurrences."""

    unit = "count"

    @property
    def value(self) -> MetricValue:
        return round(self.total)
