"""One input as the metrics see it: the needle and probe before and after, and what happened.

A `SampleFeed` turns each input of a Simulation into a `Sample`. What several metrics share (tip
travel, where the tip is relative to target and hazards, how much of a forward move the trainee
could see) is worked out here once per input, and only when something changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from trainer.assessment.facts import CLEAR_MM, ScenarioFacts
from trainer.events import Event, EventKind
from trainer.injectate import Injectate
from trainer.needle import Needle
from trainer.probe import Probe
from trainer.scenario.model import Plane
from trainer.visibility import seen

if TYPE_CHECKING:
    from trainer.actions import Action
    from trainer.simulation import Simulation

# The in-plane needle enters beside the probe's end and is outside the image for its first mm.
# Until the tip first appears in a pass, forward travel within this shaft depth is "entry travel":
# neither seen nor blind. Past it, or once the tip has been seen and lost, unseen travel is blind.
ENTRY_ALLOWANCE_MM = 10.0
VISIBILITY_STEP_MM = 0.5
# While the tip rests this close to a hazard, breathing and pulsation can change the margin.
MOVING_HAZARD_MM = 2.0
Point3 = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class ForwardTravel:
    """How a forward move of the tip split up: seen on screen, unseen (blind), or entry travel."""

    seen_mm: float = 0.0
    blind_mm: float = 0.0
    entry_mm: float = 0.0

    @property
    def total_mm(self) -> float:
        return self.seen_mm + self.blind_mm + self.entry_mm


@dataclass(frozen=True, slots=True)
class TipPlace:
    """Where the tip is: in the target or not, how far from it, and margins to each hazard class."""

    in_target: bool = False
    target_distance_mm: float = CLEAR_MM
    hazard_margins_mm: dict[str, float] | None = None


OUT = TipPlace()
STILL = ForwardTravel()


@dataclass(frozen=True, slots=True)
class Sample:
    """What one input changed. `quiet`: only time passed (nothing moved, nothing happened)."""

    action: str
    args: dict[str, Any]
    time_s: float
    dt_s: float
    before: Needle
    after: Needle
    probe_before: Probe
    probe: Probe
    plane: Plane
    events: tuple[Event, ...]
    injection: Event | None
    injected_ml: float
    injectate: Injectate
    place: TipPlace
    turn_deg: float
    tissue_travel_mm: float
    forward: ForwardTravel
    air_travel_mm: float
    quiet: bool
    facts: ScenarioFacts

    @property
    def inserted(self) -> bool:
        return self.after.inserted

    @property
    def tip_in_target(self) -> bool:
        return self.place.in_target

    @property
    def needle_moved(self) -> bool:
        return self.tissue_travel_mm > 0.0

    def count(self, *kinds: EventKind) -> int:
        return sum(1 for e in self.events if e.kind in kinds)


def angle_between_deg(a: Needle, b: Needle) -> float:
    """Angle between two shafts' directions (in plane and out of plane together)."""
    if (a.angle_deg, a.tilt_deg) == (b.angle_deg, b.tilt_deg):
        return 0.0
    dot = sum(p * q for p, q in zip(a.direction, b.direction, strict=True))
    return math.degrees(math.acos(max(-1.0, min(1.0, dot))))


def tip_of(needle: Needle) -> Point3:
    """(x, z, y) of the tip, in plain floats."""
    dx, dz, dy = needle.direction
    d = needle.depth_mm
    return needle.entry_x_mm + d * dx, d * dz, needle.entry_y_mm + d * dy


def depth_of(needle: Needle) -> float:
    return needle.depth_mm if needle.inserted else 0.0


class SampleFeed:
    """Builds a Sample after every input; remembers the previous state and the pass so far."""

    def __init__(self, facts: ScenarioFacts, needle: Needle, probe: Probe) -> None:
        self.facts = facts
        self._needle = needle
        self._probe = probe
        self._time_s = 0.0
        self._n_events = 0
        self._seen_this_pass = False
        self._exit_xy: tuple[float, float] | None = None
        self._place = OUT
        self._plane = facts.scenario.plane_at(needle.tip_y_mm, needle.tip_mm[0])

    def sample(self, sim: Simulation, action: Action) -> Sample:
        before, after = self._needle, sim.needle
        moved = after is not before
        plane = sim.needle_plane if moved else self._plane
        events = tuple(sim.events[self._n_events :])
        injection = self._injection(sim, action, before)
        air_mm = self._air(before, after)  # first: a new pass resets what the trainee has seen
        place = self._tip_place(sim, plane, moved)
        turn = angle_between_deg(before, after) if before.inserted and after.inserted else 0.0
        d0, d1 = depth_of(before), depth_of(after)
        s = Sample(
            action=action.name,
            args=dict(action.args),
            time_s=sim.time_s,
            dt_s=sim.time_s - self._time_s,
            before=before,
            after=after,
            probe_before=self._probe,
            probe=sim.probe,
            plane=plane,
            events=events,
            injection=injection,
            injected_ml=float(dict(action.args)["ml"]) if injection else 0.0,
            injectate=sim.injectate,
            place=place,
            turn_deg=turn,
            tissue_travel_mm=abs(d1 - d0) + math.radians(turn) * min(d0, d1),
            forward=self._forward(before, after, sim.probe) if moved else STILL,
            air_travel_mm=air_mm,
            quiet=action.name == "step" and not events and place is self._place,
            facts=self.facts,
        )
        self._needle, self._probe, self._time_s, self._place = after, sim.probe, sim.time_s, place
        self._plane = plane
        self._n_events = len(sim.events)
        return s

    @staticmethod
    def _injection(sim: Simulation, action: Action, before: Needle) -> Event | None:
        """The injection event an inject input made (the simulation merges a continued one)."""
        if action.name != "inject" or not before.inserted or dict(action.args)["ml"] <= 0:
            return None
        return sim.events[-1]

    def _tip_place(self, sim: Simulation, plane: Plane, moved: bool) -> TipPlace:
        """Where the tip is; worked out again when it moved or a hazard near it may have."""
        needle = sim.needle
        if not needle.inserted:
            return OUT
        margins = self._place.hazard_margins_mm
        near = margins is not None and min(margins.values(), default=CLEAR_MM) < MOVING_HAZARD_MM
        if not (moved or near or self._place is OUT):
            return self._place
        x, z, y = tip_of(needle)
        return TipPlace(
            in_target=sim.scenario.in_target_slab(plane.y_mm) and sim.scenario.in_target(x, z),
            target_distance_mm=self.facts.target_distance_mm(x, z, y),
            hazard_margins_mm=self.facts.hazard_margins_mm(plane, sim.time_s, x, z),
        )

    def _air(self, before: Needle, after: Needle) -> float:
        """Travel outside the body: from where the needle left the skin to where it re-enters."""
        if before.inserted and not after.inserted:
            self._exit_xy = (after.entry_x_mm, after.entry_y_mm)
        if before.inserted or not after.inserted:
            return 0.0
        self._seen_this_pass = False
        if self._exit_xy is None:
            return 0.0
        return math.hypot(after.entry_x_mm - self._exit_xy[0], after.entry_y_mm - self._exit_xy[1])

    def _forward(self, before: Needle, after: Needle, probe: Probe) -> ForwardTravel:
        d0 = depth_of(before)
        if not after.inserted or after.depth_mm <= d0:
            return ForwardTravel()
        n = max(1, math.ceil((after.depth_mm - d0) / VISIBILITY_STEP_MM))
        piece = (after.depth_mm - d0) / n
        depths = d0 + piece * (np.arange(n) + 0.5)
        split = {"seen_mm": 0.0, "blind_mm": 0.0, "entry_mm": 0.0}
        for depth, visible in zip(depths, seen(probe, after, depths), strict=True):
            self._seen_this_pass |= bool(visible)
            key = (
                "seen_mm"
                if visible
                else "blind_mm"
                if (self._seen_this_pass or depth > ENTRY_ALLOWANCE_MM)
                else "entry_mm"
            )
            split[key] += piece
        return ForwardTravel(**split)
