"""Metrics of needle visualisation and probe handling: the commonest errors (Sites 2007)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from trainer.assessment.metric import Count, Metric, MetricValue, Total
from trainer.assessment.sample import Sample
from trainer.events import EventKind
from trainer.needle import Needle
from trainer.probe import Probe
from trainer.visibility import in_slice, tip_visible

BLIND_EPISODE_MIN_MM = 1.0
Quantity = Callable[[Needle, Probe], float]


def plane_distance_mm(needle: Needle, probe: Probe) -> float:
    """How far the tip is out of the imaging plane."""
    return abs(needle.tip_y_mm - probe.y_mm)


def plane_angle_deg(needle: Needle, probe: Probe) -> float:
    """Angle between the shaft and the imaging plane."""
    return abs(needle.tilt_deg)


class TipVisibleShare(Metric):
    """Share of forward tip travel with the tip in the beam slice and on screen (entry travel,
    before the tip first shows beside the probe's end, counts neither way)."""

    name, unit, better = "tip_visible_pct", "%", "higher"

    def __init__(self) -> None:
        super().__init__()
        self.seen_mm = 0.0
        self.judged_mm = 0.0

    def update(self, s: Sample) -> None:
        self.seen_mm += s.forward.seen_mm
        self.judged_mm += s.forward.seen_mm + s.forward.blind_mm

    @property
    def value(self) -> MetricValue:
        return 100.0 * self.seen_mm / self.judged_mm if self.judged_mm else 100.0


class BlindAdvance(Total):
    """Forward tip travel with the tip not visualised."""

    name, unit = "blind_advance_mm", "mm"

    def amount(self, s: Sample) -> float:
        return s.forward.blind_mm


class BlindAdvances(Count):
    """Separate blind advances of at least 1 mm; one ends when the tip is seen or drawn back."""

    name = "blind_advances"

    def __init__(self) -> None:
        super().__init__()
        self._run_mm = 0.0

    def amount(self, s: Sample) -> float:
        moved_back = s.after.depth_mm < s.before.depth_mm or not s.inserted
        if s.forward.seen_mm or moved_back:
            self._run_mm = 0.0
        before, self._run_mm = self._run_mm, self._run_mm + s.forward.blind_mm
        return 1.0 if before < BLIND_EPISODE_MIN_MM <= self._run_mm else 0.0


class TravelMean(Metric):
    """Mean of a needle quantity over the tip's travel in tissue (while the needle moves)."""

    def __init__(self, name: str, unit: str, quantity: Quantity) -> None:
        super().__init__(name, unit)
        self.quantity = quantity
        self.weighted = 0.0
        self.travel_mm = 0.0

    def update(self, s: Sample) -> None:
        travel = s.tissue_travel_mm
        if travel and s.before.inserted and s.inserted:
            ends = self.quantity(s.before, s.probe) + self.quantity(s.after, s.probe)
            self.weighted += 0.5 * ends * travel
            self.travel_mm += travel

    @property
    def value(self) -> MetricValue:
        return self.weighted / self.travel_mm if self.travel_mm else 0.0


class TravelMax(Metric):
    """Largest value of a needle quantity while the needle moves in tissue."""

    def __init__(self, name: str, unit: str, quantity: Quantity) -> None:
        super().__init__(name, unit)
        self.quantity = quantity
        self.largest = 0.0

    def update(self, s: Sample) -> None:
        if s.tissue_travel_mm and s.inserted:
            self.largest = max(self.largest, self.quantity(s.after, s.probe))

    @property
    def value(self) -> MetricValue:
        return self.largest


class ProbeDrift(Total):
    """Out-of-plane probe motion while the needle is in the body (the needle drops out of view)."""

    name, unit = "probe_drift_mm", "mm"

    def amount(self, s: Sample) -> float:
        if s.action != "move_probe" or not s.inserted:
            return 0.0
        return abs(s.probe.y_mm - s.probe_before.y_mm)


class SteepAdvance(Total):
    """Forward travel with the shaft steeper to the skin than the scenario's limit (the top of the
    recommended range plus 5 deg, at least 45 deg): a plain needle fades from view when steep."""

    name, unit = "steep_advance_mm", "mm"

    def amount(self, s: Sample) -> float:
        if not s.forward.total_mm:
            return 0.0
        return s.forward.total_mm if s.after.skin_angle_deg > s.facts.steep_limit_deg else 0.0


class WrongViewAdvance(Total):
    """Forward travel with the probe in a neighbouring plane (a wrong view, such as the lamina or
    rib view for an ESP block); `detail` names the first such plane. A needle off the slice under
    a probe in the right view is `needle_out_of_plane_mm` instead."""

    name, unit = "wrong_view_mm", "mm"

    def amount(self, s: Sample) -> float:
        if not s.forward.total_mm:
            return 0.0
        probe_plane = s.facts.scenario.plane_at(s.probe.y_mm)
        if probe_plane.y_mm == 0.0:
            return 0.0
        self.note(s, probe_plane.name)
        return s.forward.total_mm


class NeedleOutOfPlane(Total):
    """Forward travel with the probe in the correct view but the tip outside the beam's slice
    (the needle tilted or entered off the probe's plane); `detail` names the plane the tip was in."""

    name, unit = "needle_out_of_plane_mm", "mm"

    def amount(self, s: Sample) -> float:
        if not s.forward.total_mm or s.facts.scenario.plane_at(s.probe.y_mm).y_mm != 0.0:
            return 0.0
        if in_slice(s.probe, s.after, np.array([s.after.depth_mm]))[0]:
            return 0.0
        self.note(s, s.plane.name)
        return s.forward.total_mm


class OrientationError(Metric):
    """An orientation test missed: the trainer mirrored the image (`mirror_image`) and the trainee
    punctured the skin without reporting it (`report_orientation`), Sites' fifth error; or the
    trainee reported a mirror that was not there. `detail`: "missed" or "false_report"."""

    name, unit = "orientation_error", "bool"

    def __init__(self) -> None:
        super().__init__()
        self.mirrored = False
        self.reported = False

    def update(self, s: Sample) -> None:
        if s.action == "mirror_image":
            self.mirrored, self.reported = bool(s.args["mirrored"]), False
        elif s.action == "report_orientation":
            said = bool(s.args["mirrored"])
            self.reported = said and self.mirrored
            if said and not self.mirrored:
                self.note(s, "false_report")
        elif self.mirrored and not self.reported and s.count(EventKind.SKIN_PUNCTURE):
            self.note(s, "missed")

    @property
    def value(self) -> MetricValue:
        return bool(self.detail)


class LostByProbe(Total):
    """Forward travel with the tip unseen after the probe moved off the needle (Sites' second error:
    the probe moves and the needle drops out of the image): after a probe move that lost the tip,
    until it shows again or is drawn back, or while the probe has slid out of the plane the needle
    went in by more than the beam's half-slice at the tip (so the needle never showed)."""

    name, unit = "lost_by_probe_mm", "mm"

    def __init__(self) -> None:
        super().__init__()
        self._lost = False

    def amount(self, s: Sample) -> float:
        if not s.inserted:
            self._lost = False
        elif s.action == "move_probe":
            visible_now = tip_visible(s.probe, s.after)
            self._lost = (self._lost or tip_visible(s.probe_before, s.after)) and not visible_now
        elif s.forward.seen_mm or s.after.depth_mm < s.before.depth_mm:
            self._lost = False
        slid_off = abs(s.probe.y_mm - s.after.entry_y_mm) > float(
            s.probe.slice_half_width_mm(s.after.tip_mm[1])
        )
        return s.forward.blind_mm if self._lost or slid_off else 0.0


class UnseenEntry(Metric):
    """The longest forward travel in one pass before the tip first showed in the image: a poor
    entry site or angle keeps the needle out of view from the start."""

    name, unit = "unseen_entry_mm", "mm"

    def __init__(self) -> None:
        super().__init__()
        self.run_mm = 0.0
        self.longest_mm = 0.0
        self.seen = False

    def update(self, s: Sample) -> None:
        if not s.inserted or s.count(EventKind.SKIN_PUNCTURE):
            self.run_mm, self.seen = 0.0, False
        if self.seen:
            return
        self.seen = s.forward.seen_mm > 0.0
        self.run_mm += s.forward.entry_mm + s.forward.blind_mm
        if self.run_mm > self.longest_mm:
            self.longest_mm = self.run_mm
            self.note(s)

    @property
    def value(self) -> MetricValue:
        return self.longest_mm
