"""The expert autopilot: scans to the right view, plans a clear in-plane path and reaches the target.

It is the "watch an expert" demo and a test oracle: on every variant its plan keeps the needle off
bone (except the planned bone contact), away from critical structures, and in view near the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import shapely

from trainer.actions import Action, TimedAction
from trainer.level_start import place_args, placed
from trainer.probe import Probe
from trainer.scenario.model import Scenario, Structure
from trainer.simulation import SKIN_ENTRY_DEPTH_MM
from trainer.tissue import TissueKind

TICK_S = 1.0 / 60.0
SCAN_SPEED_MM_S = 30.0
ADVANCE_SPEED_MM_S = 3.0
SAFE_MARGIN_MM = 3.0
TARGET_EDGE_MARGIN_MM = 9.0  # keep the target well inside the image, not at its edge
# A deep target under a linear probe (the obese ESP: 45-52 mm under a 46 mm footprint) leaves no
# angle in range with the entry beside the probe and the target that far in: the target nearer the
# image's far edge (its point still in view) comes before a far entry, whose first centimetres the
# image would never show (a blind advance an instructor would stop).
NEAR_EDGE_MARGINS_MM = (4.0, 1.0)
ENTRY_GAP_MM = 7.0  # in-plane technique: puncture just beyond the probe's end
# (entry gap from the probe's end, target margin from the image's sides, through nerves), in order
PLAN_TIERS = (
    (ENTRY_GAP_MM, TARGET_EDGE_MARGIN_MM, False),
    *((ENTRY_GAP_MM, edge_mm, False) for edge_mm in NEAR_EDGE_MARGINS_MM),
    (math.inf, TARGET_EDGE_MARGIN_MM, False),
    (math.inf, TARGET_EDGE_MARGIN_MM, True),
)
_NO_GO = {
    TissueKind.BONE,
    TissueKind.ARTERY,
    TissueKind.VEIN,
    TissueKind.NERVE,
    TissueKind.NEURAXIS,
    TissueKind.FORAMEN,
    TissueKind.PLEURA,
    TissueKind.LUNG,
}


@dataclass(frozen=True, slots=True)
class Plan:
    """Where the expert puts the probe and the needle."""

    probe_x_mm: float
    entry_x_mm: float
    angle_deg: float
    path_mm: float
    clearance_mm: float
    depth_mm: float


def plan(sc: Scenario) -> Plan:
    """The clearest in-plane path to the target point within the recommended angle range."""
    lo, hi = sc.approach.angle_range_deg
    valid: list[Plan] = []
    # Enter just beside the probe if any angle allows it; past a nerve only when nothing else does
    # (touching a nerve hurts but is not critical: the costovertebral joint sits by the root).
    for gap_mm, edge_mm, nerves in PLAN_TIERS:
        candidates = [_candidate(sc, a, gap_mm, edge_mm, nerves) for a in np.linspace(lo, hi, 16)]
        valid = [c for c in candidates if c is not None]
        if valid:
            break
    if not valid:
        raise ValueError(f"{sc.id} variant {sc.variant}: no clear path to the target")
    safe = [c for c in valid if c.clearance_mm >= SAFE_MARGIN_MM]
    pool = safe or valid
    return (
        min(pool, key=lambda c: abs(_skin_angle(c) - (lo + hi) / 2.0))
        if safe
        else max(pool, key=lambda c: c.clearance_mm)
    )


def _skin_angle(p: Plan) -> float:
    return min(p.angle_deg, 180.0 - p.angle_deg)


def _candidate(
    sc: Scenario, skin_angle_deg: float, gap_mm: float, edge_mm: float, through_nerves: bool
) -> Plan | None:
    tx, tz = sc.goal.point
    direction = sc.approach.direction
    run = tz / math.tan(math.radians(skin_angle_deg))
    entry = tx - direction * run
    x0, x1 = sc.x_range_mm
    if not x0 <= entry <= x1 or math.hypot(tx - entry, tz) > sc.needle.length_mm - 3.0:
        return None
    clearance = _path_clearance(sc, (entry, 0.0), (tx, tz), through_nerves)
    if clearance is None:
        return None
    depth = _view_depth(sc, tz)
    probe_x = _probe_x(sc, entry, (tx, tz), depth, gap_mm, edge_mm)
    if probe_x is None:
        return None
    return Plan(
        probe_x,
        entry,
        sc.approach.shaft_angle_deg(skin_angle_deg),
        math.hypot(tx - entry, tz),
        clearance,
        depth,
    )


def _path_clearance(
    sc: Scenario, start: tuple[float, float], end: tuple[float, float], through_nerves: bool = False
) -> float | None:
    """Smallest distance from the path to a critical structure; None if it crosses a no-go one."""
    plane = sc.primary
    length = math.hypot(end[0] - start[0], end[1] - start[1])
    stop = 1.0 - 0.3 / length  # the last 0.3 mm may touch the planned bone contact
    line = shapely.LineString(
        [start, (start[0] + stop * (end[0] - start[0]), start[1] + stop * (end[1] - start[1]))]
    )
    if any(
        line.intersects(s.geometry) for s in plane.structures if s.kind in _NO_GO and not _aimed_at(sc, s)
    ):
        return None
    hazards = [
        s.geometry
        for s in plane.structures
        if sc.is_critical_name(s.name) or s.kind in (TissueKind.PLEURA, TissueKind.NEURAXIS)
    ]
    return min((float(line.distance(h)) for h in hazards), default=99.0)


def _aimed_at(sc: Scenario, s: Structure) -> bool:
    """A nerve inside the target zone is what a medial branch block aims for, not an obstacle."""
    return s.kind == TissueKind.NERVE and s.geometry.intersects(sc.target)


def _view_depth(sc: Scenario, target_depth_mm: float) -> float:
    depth = sc.probe.default_depth_mm
    return float(
        depth if depth >= target_depth_mm + 12.0 else 10.0 * math.ceil((target_depth_mm + 15.0) / 10.0)
    )


def _probe_x(
    sc: Scenario, entry: float, target: tuple[float, float], depth: float, gap_mm: float, edge_mm: float
) -> float | None:
    """Probe position with the entry uncovered but within `gap_mm` of the probe's end, the target
    at least `edge_mm` inside the image's sides, and as much of the path in view as possible."""
    probe = Probe.from_kit(sc.probe).with_settings(depth_mm=depth)
    x0, x1 = sc.x_range_mm
    half = probe.skin_half_width_mm
    t = np.linspace(0.0, 1.0, 60)
    px, pz = entry + t * (target[0] - entry), t * target[1]
    side = edge_mm
    margin = np.array([[-side, 0.0], [side, 0.0], [0.0, 6.0], [0.0, -4.0]])
    mx, mz = target[0] + margin[:, 0], target[1] + margin[:, 1]
    best: tuple[float, float] | None = None
    for x in np.arange(x0 + half, x1 - half + 1e-9, 0.5):
        p = replace(probe, x_mm=float(x))
        gap = abs(entry - p.x_mm) - half
        if gap <= 0.0 or gap > gap_mm or not p.in_view(mx, mz).all():
            continue
        seen = float(np.mean(p.in_view(px, pz)))
        if best is None or seen > best[0] + 1e-9:
            best = (seen, p.x_mm)
    return None if best is None else best[1]


TURN_SPEED_DEG_S = 45.0  # a deliberate quarter turn in two seconds [E]


class _Script:
    """Accumulates actions on a fixed clock."""

    def __init__(self) -> None:
        self.t = 0.0
        self.actions: list[TimedAction] = []

    def do(self, name: str, **args: float | str) -> None:
        self.actions.append(TimedAction(round(self.t, 6), Action.of(name, **args)))

    def tick(self, n: int = 1) -> None:
        self.t += n * TICK_S

    def ramp(self, name: str, key: str, total: float, per_tick: float) -> None:
        """Spread `total` over ticks of at most `per_tick` (sign follows total)."""
        if total == 0:
            return
        steps = max(1, math.ceil(abs(total) / per_tick - 1e-9))
        for _ in range(steps):
            self.do(name, **{key: total / steps})
            self.tick()


def expert_attempt(sc: Scenario, count_from: str | None = None) -> list[TimedAction]:
    """A timed list of actions that solves `sc`: scan, set depth and focus, insert, advance, inject.
    `count_from` (a level-finding start, e.g. "rib12") puts the probe there first; the expert then
    slides along the back, counting, to the planned view."""
    p = plan(sc)
    s = _Script()
    per_tick = SCAN_SPEED_MM_S * TICK_S
    x0, y0, rotation0 = sc.probe.start_x_mm, sc.probe.start_y_mm, sc.probe.start_rotation_deg
    if count_from is not None and sc.anatomy is not None:
        args = place_args(sc, count_from)
        s.do("place_probe", **args)
        probe = placed(sc, count_from).probe
        x0, y0 = probe.x_mm, probe.y_mm
        rotation0 = float(args["rotation_deg"])
    if sc.anatomy is not None:  # turn to the planned orientation first, then slide into the view
        turn = (sc.anatomy.rotation_deg - rotation0 + 180.0) % 360.0 - 180.0
        s.ramp("rotate_probe", "delta_deg", turn, TURN_SPEED_DEG_S * TICK_S)
    s.ramp("move_probe", "dy_mm", 0.0 - y0, per_tick)
    s.ramp("move_probe", "dx_mm", p.probe_x_mm - x0, per_tick)
    s.do("set_imaging", depth_mm=p.depth_mm, focus_mm=round(sc.goal.point[1], 1))
    s.tick(30)
    s.do("insert", entry_x_mm=p.entry_x_mm, angle_deg=p.angle_deg)
    s.tick()
    s.ramp("advance", "mm", p.path_mm - SKIN_ENTRY_DEPTH_MM, ADVANCE_SPEED_MM_S * TICK_S)
    s.tick(20)
    volume = sc.goal.volume_ml
    s.ramp("inject", "ml", volume, max(volume / 240.0, 0.25 * TICK_S))
    s.tick(60)
    return s.actions
