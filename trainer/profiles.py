"""Scripted trainee profiles: how typical trainees work, played through the public Simulation API.

Each profile makes one kind of error (or none) on top of the expert's own plan, read from the
autopilot's actions (its scan, its skin entry and angle, its advance), so a profile follows the
anatomy of every procedure and variant. `validate` (trainer/assessment/validation.py) checks that
the assessment grades each profile as an instructor would: the errors are the resident errors of
Sites et al. 2007 and the thoracic specifics of sonoanatomy.md section 5.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from trainer.actions import Action, TimedAction, play
from trainer.assessment.levels import LevelMap
from trainer.autopilot import expert_attempt
from trainer.probe import Probe
from trainer.scenario.model import Plane, Scenario
from trainer.simulation import Simulation
from trainer.tissue import TissueKind

TICK_S = 0.1
HAND_SPEED_MM_S = 3.0
SLOW_SPEED_MM_S = 1.0
INJECT_RATE_ML_S = 2.0


@dataclass(frozen=True)
class ExpertPlan:
    """The expert's attempt split where the needle goes in: the scan before it, the skin entry,
    and how far the needle then advances."""

    scan: tuple[TimedAction, ...]
    insert: Action
    advance_mm: float

    @classmethod
    def of(cls, sc: Scenario) -> ExpertPlan:
        key = (sc.id, sc.version, sc.variant, sc.source_path)
        if key not in _PLANS:
            _PLANS[key] = cls._planned(sc)
        return _PLANS[key]

    @classmethod
    def _planned(cls, sc: Scenario) -> ExpertPlan:
        actions = expert_attempt(sc)
        at = next(i for i, a in enumerate(actions) if a.action.name == "insert")
        advance = sum(float(dict(a.action.args)["mm"]) for a in actions[at:] if a.action.name == "advance")
        return cls(tuple(actions[:at]), actions[at].action, advance)

    @property
    def entry_x_mm(self) -> float:
        return float(dict(self.insert.args)["entry_x_mm"])

    @property
    def angle_deg(self) -> float:
        return float(dict(self.insert.args)["angle_deg"])


_PLANS: dict[tuple[str, int, int, str], ExpertPlan] = {}  # planning takes a while: once per variant


class Hand:
    """A trainee's hands on one Simulation: every move spread over time steps, as a hand would."""

    def __init__(self, sim: Simulation, plan: ExpertPlan) -> None:
        self.sim = sim
        self.plan = plan

    def scan(self) -> None:
        """Scan to the expert's view (probe and imaging settings)."""
        play(self.sim, self.plan.scan)

    def wait(self, seconds: float) -> None:
        for _ in range(round(seconds / TICK_S)):
            self.sim.step(TICK_S)

    def insert(self, entry_x_mm: float | None = None, angle_deg: float | None = None) -> bool:
        x = self.plan.entry_x_mm if entry_x_mm is None else entry_x_mm
        ok = self.sim.insert(x, self.plan.angle_deg if angle_deg is None else angle_deg)
        self.sim.step(TICK_S)
        return ok

    def advance(self, mm: float, speed_mm_s: float = HAND_SPEED_MM_S, probe_dy_mm: float = 0.0) -> None:
        """Advance (negative: withdraw) at a speed; the probe may drift out of plane meanwhile."""
        steps = max(1, math.ceil(abs(mm) / (speed_mm_s * TICK_S)))
        for _ in range(steps):
            if probe_dy_mm:
                self.sim.move_probe(dy_mm=probe_dy_mm / steps)
            self.sim.advance(mm / steps)
            self.sim.step(TICK_S)

    def turn(self, steer_deg: float = 0.0, tilt_deg: float = 0.0) -> None:
        if steer_deg:
            self.sim.steer(steer_deg)
        if tilt_deg:
            self.sim.tilt_needle(tilt_deg)
        self.sim.step(TICK_S)

    def inject(self, ml: float) -> None:
        steps = max(1, math.ceil(ml / (INJECT_RATE_ML_S * TICK_S)))
        for _ in range(steps):
            self.sim.inject(ml / steps)
            self.sim.step(TICK_S)
        self.wait(1.0)

    def withdraw(self) -> None:
        """Take the needle out at the end, as every real attempt ends."""
        self.advance(-self.sim.needle.depth_mm - 1.0, speed_mm_s=4.0 * HAND_SPEED_MM_S)


Script = Callable[[Hand], None]


def expert(hand: Hand) -> None:
    play(hand.sim, expert_attempt(hand.sim.scenario))


def orientation_blind(hand: Hand) -> None:
    """An exam attempt with the image mirrored: the expert's technique, never noticing the mirror."""
    hand.sim.mirror_image(True)
    expert(hand)


def slow_novice(hand: Hand) -> None:
    """Right view and path, but slow and hesitant: looks before inserting, stops, draws back a
    little to check the tip, gives a test dose and pauses before the rest."""
    hand.scan()
    hand.wait(20.0)
    hand.insert()
    path = hand.plan.advance_mm
    hand.advance(0.5 * path, SLOW_SPEED_MM_S)
    hand.wait(5.0)
    hand.advance(-2.0, SLOW_SPEED_MM_S)
    hand.advance(2.0 + 0.5 * path, SLOW_SPEED_MM_S)
    volume = hand.sim.scenario.goal.volume_ml
    hand.inject(0.1 * volume)
    hand.wait(5.0)
    hand.inject(0.9 * volume)
    hand.withdraw()


def _expert_needle(hand: Hand, before_rest: Callable[[Hand], None], volume_share: float = 1.0) -> None:
    """The expert's scan and entry; `before_rest` acts a third of the way in; then on to the
    target and the volume (times `volume_share`)."""
    hand.scan()
    hand.insert()
    hand.advance(hand.plan.advance_mm / 3.0)
    before_rest(hand)
    hand.advance(hand.plan.advance_mm - hand.sim.needle.depth_mm)
    hand.inject(volume_share * hand.sim.scenario.goal.volume_ml)
    hand.withdraw()


def blind_advancer(hand: Hand) -> None:
    """Tilts the needle 8 deg out of the beam and pushes on to the target without the tip."""
    _expert_needle(hand, lambda h: h.turn(tilt_deg=8.0))


def probe_drifter(hand: Hand) -> None:
    """Lets the probe slide 4 mm out of plane while advancing, and keeps advancing."""
    _expert_needle(hand, lambda h: h.advance(hand.plan.advance_mm / 3.0, probe_dy_mm=4.0))


def sloppy_redirector(hand: Hand) -> None:
    """Three 10 deg redirections at depth, swinging the shaft back and forth without withdrawing."""

    def redirect(h: Hand) -> None:
        h.advance(h.plan.advance_mm / 3.0)
        for _ in range(3):
            h.turn(steer_deg=10.0)
            h.advance(1.0)
            h.advance(-1.0)
            h.turn(steer_deg=-10.0)

    _expert_needle(hand, redirect)


def intramuscular_injector(hand: Hand) -> None:
    """Stops short of the target, in the muscle above it, and injects the whole volume there."""
    hand.scan()
    hand.insert()
    hand.advance(0.7 * hand.plan.advance_mm)
    hand.inject(hand.sim.scenario.goal.volume_ml)
    hand.withdraw()


def overdoser(hand: Hand) -> None:
    """A clean attempt that injects twice the planned volume."""
    _expert_needle(hand, lambda h: None, volume_share=2.0)


def wrong_view(hand: Hand) -> None:
    """Never finds the correct view: works in the neighbouring plane closest to it."""
    hand.scan()
    wrong = min((p for p in hand.sim.scenario.planes if p.y_mm != 0.0), key=lambda p: abs(p.y_mm))
    hand.sim.move_probe(dy_mm=wrong.y_mm - hand.sim.probe.y_mm)
    hand.insert()
    hand.advance(hand.plan.advance_mm)
    hand.inject(hand.sim.scenario.goal.volume_ml)
    hand.withdraw()


def wrong_level_shift_mm(sc: Scenario) -> tuple[float, float] | None:
    """Scene (dx, dy) from the target's spot to the same spot one level away (the TP of T4 instead
    of T5): along the image in a parasagittal view, out of plane in a transverse one; cranial or
    caudal, whichever keeps the expert's entry on the scanned skin (the shorter move if both).
    None off the 3D patient (the gel phantom has no levels)."""
    levels = LevelMap.of(sc)
    if levels is None:
        return None
    entry = ExpertPlan.of(sc).entry_x_mm
    x0, x1 = sc.x_range_mm
    shifts = [levels.scene_shift_mm(k) for k in (-1, 1) if levels.reachable(k)]
    shifts = [(dx, dy) for dx, dy in shifts if x0 <= entry + dx <= x1]
    return min(shifts, key=lambda shift: math.hypot(*shift)) if shifts else None


def wrong_level(hand: Hand) -> None:
    """Counts the levels wrong: the expert's technique on the same spot one level away."""
    dx, dy = wrong_level_shift_mm(hand.sim.scenario) or (0.0, 0.0)
    hand.scan()
    hand.sim.move_probe(dx_mm=dx, dy_mm=dy)
    hand.insert(entry_x_mm=hand.plan.entry_x_mm + dx)
    hand.advance(hand.plan.advance_mm + 2.0)
    hand.inject(hand.sim.scenario.goal.volume_ml)
    hand.withdraw()


def hazard_path(sc: Scenario, probe: Probe) -> tuple[float, float, float, float] | None:
    """A straight in-plane path from uncovered skin into the pleura or a critical structure with
    no bone on the way: (plane y, entry x, shaft angle, length to 3 mm inside), the shortest in
    the correct view, else in the nearest plane that has one (the intercostal space)."""
    for plane in sorted(sc.planes, key=lambda p: abs(p.y_mm)):
        found = _hazard_path_in(sc, plane, probe)
        if found is not None:
            return (plane.y_mm, *found)
    return None


def _hazard_path_in(sc: Scenario, plane: Plane, probe: Probe) -> tuple[float, float, float] | None:
    hazards = [
        s
        for s in plane.structures
        if s.kind in (TissueKind.PLEURA, TissueKind.ARTERY, TissueKind.NEURAXIS, TissueKind.FORAMEN)
        or s.name in sc.critical
    ]
    bone = shapely.union_all([s.geometry for s in plane.of_kind(TissueKind.BONE)])
    x0, x1 = sc.x_range_mm
    paths = []
    for hazard in hazards:
        inside = hazard.geometry.buffer(-0.5)
        for point in _grid_points(inside if not inside.is_empty else hazard.geometry):
            for entry in np.arange(x0 + 1.0, x1, 2.0):
                angle = math.degrees(math.atan2(point.y, point.x - entry))
                line = LineString([(entry, 0.0), (point.x, point.y)])
                if (
                    15.0 <= min(angle, 180.0 - angle) <= 75.0
                    and not probe.covers_skin(entry)
                    and not line.intersects(bone)
                ):
                    paths.append((line.length, float(entry), angle))
    if not paths:
        return None
    length, entry, angle = min(paths)
    return entry, angle, length + 3.0


def _grid_points(region: BaseGeometry, step_mm: float = 3.0) -> list[Point]:
    x0, z0, x1, z1 = region.bounds
    grid = [Point(x, z) for x in np.arange(x0, x1 + 1e-9, step_mm) for z in np.arange(z0, z1 + 1e-9, step_mm)]
    return [p for p in grid if region.contains(p)] or [region.representative_point()]


def reckless(hand: Hand) -> None:
    """Heads past the bone into the pleura or a critical vessel (a gap between the transverse
    processes, the intercostal space) and injects there."""
    hand.scan()
    path = hazard_path(hand.sim.scenario, hand.sim.probe)
    assert path is not None, "reckless applies only where a hazard can be reached"
    y_mm, entry, angle, length = path
    hand.sim.move_probe(dy_mm=y_mm - hand.sim.probe.y_mm)
    hand.insert(entry, angle)
    hand.advance(length)
    hand.inject(hand.sim.scenario.goal.volume_ml)
    hand.withdraw()


def poor_entry(hand: Hand) -> None:
    """Punctures the skin 25 mm further from the probe than the expert, aimed at the target: the
    needle stays out of the image for much of its way in."""
    sc = hand.sim.scenario
    tx, tz = sc.goal.point
    x0, x1 = sc.x_range_mm
    entry = min(x1, max(x0, hand.plan.entry_x_mm - 25.0 * sc.approach.direction))
    hand.scan()
    hand.insert(entry, math.degrees(math.atan2(tz, tx - entry)))
    hand.advance(math.hypot(tx - entry, tz))
    hand.inject(sc.goal.volume_ml)
    hand.withdraw()


@dataclass(frozen=True)
class Profile:
    """A trainee profile and how an instructor grades it: `expect` is "excellent" (pass, at least
    90), "pass", "gated" (below competent, not passed, with one of `codes` as a gate or critical
    finding), "fail" (not passed, one of `codes` found) or "critical" (unsafe)."""

    name: str
    script: Script
    expect: str
    codes: tuple[str, ...] = ()
    applies: Callable[[Scenario], bool] = lambda sc: True

    @property
    def description(self) -> str:
        return (self.script.__doc__ or "").split("\n\n")[0].replace("\n", " ").strip()


def _hazard_reachable(sc: Scenario) -> bool:
    sim = Simulation(sc)
    play(sim, ExpertPlan.of(sc).scan)
    return hazard_path(sc, sim.probe) is not None


def _linear_probe(sc: Scenario) -> bool:
    """A far entry hides the needle under a linear probe; a curvilinear one's sector still shows it."""
    return sc.probe.kind == "linear"


PROFILES: tuple[Profile, ...] = (
    Profile("expert", expert, "excellent"),
    Profile("slow_novice", slow_novice, "pass"),
    Profile("blind_advancer", blind_advancer, "gated", ("blind_advance",)),
    Profile("probe_drifter", probe_drifter, "gated", ("needle_lost_by_probe",)),
    Profile("sloppy_redirector", sloppy_redirector, "gated", ("tissue_damage",)),
    Profile(
        "intramuscular_injector",
        intramuscular_injector,
        "gated",
        ("intramuscular_injection", "wrong_compartment", "maldistribution"),
    ),
    Profile("overdoser", overdoser, "gated", ("overdose", "injected_through_maldistribution")),
    Profile("wrong_view", wrong_view, "fail", ("wrong_view",)),
    Profile(
        "wrong_level", wrong_level, "gated", ("wrong_level",), lambda sc: wrong_level_shift_mm(sc) is not None
    ),
    Profile("poor_entry", poor_entry, "gated", ("poor_entry",), _linear_probe),
    Profile("reckless", reckless, "critical", (), _hazard_reachable),
    Profile("orientation_blind", orientation_blind, "gated", ("orientation_error",)),
)


def profile(name: str) -> Profile:
    found = {p.name: p for p in PROFILES}
    if name not in found:
        raise ValueError(f"no trainee profile '{name}' (there are: {', '.join(found)})")
    return found[name]


def run_profile(p: Profile, sc: Scenario, seed: int = 0, difficulty: str = "standard") -> Simulation:
    """Play a profile on a scenario (variant) and return the simulation, ready to finish()."""
    sim = Simulation(sc, seed=seed, mode="demo", difficulty=difficulty)
    p.script(Hand(sim, ExpertPlan.of(sc)))
    return sim
