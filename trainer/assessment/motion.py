"""Metrics of how the needle moved: time, path, back-and-forth, swept tissue, redirections, passes."""

from __future__ import annotations

import math

from trainer.assessment.metric import Count, Metric, MetricValue, Total
from trainer.assessment.sample import Sample, angle_between_deg, depth_of
from trainer.events import EventKind
from trainer.needle import Needle

REDIRECTION_MIN_DEG = 3.0


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


class FinalWithdrawal:
    """Holds back withdrawals after an injection: they count only if the needle then goes forward
    or turns again (a reposition). Taking the needle out after injecting, or drawing it back at the
    end, is how every attempt ends and never counts."""

    def __init__(self) -> None:
        self.armed = False
        self.held = 0.0

    def counted(self, s: Sample, amount: float) -> float:
        """How much of this sample's `amount` of travel counts now."""
        self.armed |= s.injection is not None
        d0, d1 = depth_of(s.before), depth_of(s.after)
        if self.armed and d1 < d0 and not s.turn_deg:
            self.held = self.held + amount if s.inserted else 0.0
            self.armed = s.inserted
            return 0.0
        if d1 > d0 or s.turn_deg:
            amount, self.held, self.armed = amount + self.held, 0.0, False
        return amount


class PathRatio(PathInTissue):
    """Path in tissue over a straight path to the target at the middle of the recommended angles,
    leaving out the final withdrawal after injecting."""

    name, unit = "path_ratio", "ratio"

    def __init__(self, ideal_mm: float) -> None:
        super().__init__()
        self.ideal_mm = ideal_mm
        self.final = FinalWithdrawal()

    def amount(self, s: Sample) -> float:
        return self.final.counted(s, s.tissue_travel_mm)

    @property
    def value(self) -> MetricValue:
        return self.total / self.ideal_mm


class TimeInTissue(Total):
    """Time with the needle below the skin."""

    name, unit, clocked = "time_in_tissue_s", "s", True

    def amount(self, s: Sample) -> float:
        return s.dt_s if s.inserted and s.before.inserted else 0.0


class BackAndForth(Total):
    """Depth perception: summed absolute motion along the shaft axis (in and out), leaving out
    the final withdrawal after injecting."""

    name, unit = "back_and_forth_mm", "mm"

    def __init__(self) -> None:
        super().__init__()
        self.final = FinalWithdrawal()

    def amount(self, s: Sample) -> float:
        return self.final.counted(s, abs(depth_of(s.after) - depth_of(s.before)))


class TissueDamage(Total):
    """Potential tissue damage: area swept by the shaft inside tissue. A shaft of depth d pivoting
    at the skin by an angle a sweeps the sector d * d * a / 2; advancing along itself sweeps none."""

    name, unit = "tissue_damage_mm2", "mm^2"

    def amount(self, s: Sample) -> float:
        return 0.5 * s.before.depth_mm * s.after.depth_mm * math.radians(s.turn_deg)


class Redirections(Metric):
    """In-tissue changes of the needle's direction (in plane or out of it, either way) of at
    least 3 deg: turning inputs in a row the same way make one redirection, judged from where the
    shaft pointed before them; turning back, moving along the shaft or leaving the skin ends one."""

    name, unit = "redirections", "count"

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self._start: Needle | None = None
        self._end: Needle | None = None
        self._way: tuple[int, int] | None = None

    def update(self, s: Sample) -> None:
        if s.turn_deg and s.inserted:
            way = _turn_way(s.before, s.after)
            if way != self._way:
                self._close(s)
            self._start, self._end, self._way = self._start or s.before, s.after, way
        elif s.action != "step" or not s.inserted:
            self._close(s)

    def _close(self, s: Sample) -> None:
        if self._turned():
            self.count += 1
            self.note(s)
        self._start = self._end = self._way = None

    def _turned(self) -> bool:
        if self._start is None or self._end is None:
            return False
        return angle_between_deg(self._start, self._end) >= REDIRECTION_MIN_DEG

    @property
    def value(self) -> MetricValue:
        return self.count + int(self._turned())


def _turn_way(before: Needle, after: Needle) -> tuple[int, int]:
    """Which way a turn went: the signs of the in-plane and out-of-plane angle changes."""
    da, dt = after.angle_deg - before.angle_deg, after.tilt_deg - before.tilt_deg
    return (da > 0) - (da < 0), (dt > 0) - (dt < 0)


class Passes(Count):
    """Skin punctures: the first entry and every re-entry after a full withdrawal."""

    name = "passes"

    def amount(self, s: Sample) -> float:
        return s.count(EventKind.SKIN_PUNCTURE)
