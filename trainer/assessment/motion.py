"""Metrics of how the needle moved: time, path, back-and-forth, swept tissue, redirections, passes."""

from __future__ import annotations

import math

from trainer.assessment.metric import Count, Metric, MetricValue, Total
from trainer.assessment.sample import Sample, angle_between_deg
from trainer.events import EventKind
from trainer.needle import Needle

REDIRECTION_MIN_DEG = 5.0


class ElapsedTime(Metric):
    """From the trainee's first probe move or skin puncture to now (the end of the attempt)."""

    name, unit, clocked = "elapsed_time_s", "s", True

    def __init__(self) -> None:
        super().__init__()
        self.start_s: float | None = None
        self.now_s = 0.0

    def update(self, s: Sample) -> None:
        if self.start_s is None and s.action in ("move_probe", "insert"):
            self.start_s = s.time_s
        self.now_s = s.time_s

    @property
    def value(self) -> MetricValue:
        return 0.0 if self.start_s is None else self.now_s - self.start_s


class PathInTissue(Total):
    """Summed tip travel below the skin (advances, withdrawals and the arcs of redirections)."""

    name, unit = "path_in_tissue_mm", "mm"

    def amount(self, s: Sample) -> float:
        return s.tissue_travel_mm


class PathLength(Total):
    """Summed tip travel, including from where the needle left the skin to where it re-entered."""

    name, unit = "path_length_mm", "mm"

    def amount(self, s: Sample) -> float:
        return s.tissue_travel_mm + s.air_travel_mm


class PathRatio(PathInTissue):
    """Path in tissue over a straight path to the target at the middle of the recommended angles."""

    name, unit = "path_ratio", "ratio"

    def __init__(self, ideal_mm: float) -> None:
        super().__init__()
        self.ideal_mm = ideal_mm

    @property
    def value(self) -> MetricValue:
        return self.total / self.ideal_mm


class TimeInTissue(Total):
    """Time with the needle below the skin."""

    name, unit, clocked = "time_in_tissue_s", "s", True

    def amount(self, s: Sample) -> float:
        return s.dt_s if s.inserted and s.before.inserted else 0.0


class BackAndForth(Total):
    """Depth perception: summed absolute motion along the shaft axis (in and out)."""

    name, unit = "back_and_forth_mm", "mm"

    def amount(self, s: Sample) -> float:
        d0 = s.before.depth_mm if s.before.inserted else 0.0
        d1 = s.after.depth_mm if s.after.inserted else 0.0
        return abs(d1 - d0)


class TissueDamage(Total):
    """Potential tissue damage: area swept by the shaft inside tissue. A shaft of depth d pivoting
    at the skin by an angle a sweeps the sector d * d * a / 2; advancing along itself sweeps none."""

    name, unit = "tissue_damage_mm2", "mm^2"

    def amount(self, s: Sample) -> float:
        return 0.5 * s.before.depth_mm * s.after.depth_mm * math.radians(s.turn_deg)


class Redirections(Metric):
    """Times the needle advanced in a direction at least 5 deg away from the one it advanced in
    at the start of the pass or at the last redirection, without leaving the skin."""

    name, unit = "redirections", "count"

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self._heading: Needle | None = None

    def update(self, s: Sample) -> None:
        if not s.inserted:
            self._heading = None
        elif s.forward.total_mm > 0.0:
            if self._heading is None:
                self._heading = s.after
            elif angle_between_deg(self._heading, s.after) >= REDIRECTION_MIN_DEG:
                self.count += 1
                self._heading = s.after
                self.note(s)

    @property
    def value(self) -> MetricValue:
        return self.count


class Passes(Count):
    """Skin punctures: the first entry and every re-entry after a full withdrawal."""

    name = "passes"

    def amount(self, s: Sample) -> float:
        return s.count(EventKind.SKIN_PUNCTURE)
