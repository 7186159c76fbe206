"""One helpful sentence for the trainee's current situation (a hint on request), naming the keys
that do what it suggests."""

from __future__ import annotations

import math
from collections.abc import Callable

from trainer.autopilot import Plan
from trainer.orientation import axis_names
from trainer.simulation import Simulation

STEEP_DEG = 55.0
NEAR_TARGET_MM = 1.5
KeyName = Callable[[str], str]  # intent name -> the key bound to it, e.g. "probe_left" -> "A"


def hint(sim: Simulation, plan: Plan, key: KeyName) -> str:
    """The most useful next step, judged from the view, the needle and the target."""
    sc = sim.scenario
    left, right, minus_y, plus_y = axis_names(sc)
    plane = sim.plane
    if plane.y_mm != 0.0:
        toward, intent = (minus_y, "probe_minus_y") if plane.y_mm > 0 else (plus_y, "probe_plus_y")
        return f"Not the target view ({plane.description.lower()}). Slide the probe {toward} ({key(intent)})."
    tx, tz = sc.goal.point
    if not bool(sim.probe.in_view(tx, tz)):
        side, intent = (right, "probe_right") if tx > sim.probe.x_mm else (left, "probe_left")
        return f"The target is off the image: slide the probe {side} a little ({key(intent)})."
    if not sim.needle.inserted:
        return _entry_hint(sim, plan, key)
    if not sim.tip_visible:
        return _lost_tip_hint(sim, key)
    x, z = sim.needle.tip_mm
    if math.hypot(x - tx, z - tz) <= NEAR_TARGET_MM or sc.in_target(x, z):
        return (
            f"The tip is at the target: inject {sc.goal.volume_ml:g} mL (hold {key('inject')}) "
            "and watch where it spreads."
        )
    if sim.needle.skin_angle_deg > STEEP_DEG:
        return (
            f"The needle is steep and hard to see: withdraw ({key('withdraw')}) and enter further "
            "from the probe to flatten it."
        )
    return _course_hint(sim, tx, tz, key)


def _entry_hint(sim: Simulation, plan: Plan, key: KeyName) -> str:
    """Point at the suggested entry (the one marked on the skin strip), measured from the probe."""
    sc = sim.scenario
    left, right, _, _ = axis_names(sc)
    low, high = sc.approach.angle_range_deg
    half = sim.probe.skin_half_width_mm
    entry = plan.entry_x_mm
    side = left if entry < sim.probe.x_mm else right
    end = sim.probe.x_mm - half if entry < sim.probe.x_mm else sim.probe.x_mm + half
    aim = (
        f"aim with {key('flatter')} / {key('steeper')} and {key('advance')} / {key('withdraw')} "
        f"(or the mouse and wheel), then press {key('insert')}."
    )
    if sim.probe.covers_skin(entry):
        toward = "probe_right" if entry < sim.probe.x_mm else "probe_left"
        return (
            f"The probe covers the suggested entry: slide it {right if toward == 'probe_right' else left} "
            f"({key(toward)}) until the marked entry is clear of it, then {aim}"
        )
    return (
        f"Puncture at the suggested entry marked on the skin strip, {abs(entry - end):.0f} mm {side} "
        f"of the probe's {side} end, {low:.0f}-{high:.0f} deg to the skin: {aim}"
    )


def _lost_tip_hint(sim: Simulation, key: KeyName) -> str:
    _, _, minus_y, plus_y = axis_names(sim.scenario)
    offset = sim.needle.tip_y_mm - sim.probe.y_mm
    if abs(offset) > float(sim.probe.slice_half_width_mm(sim.needle.tip_mm[1])):
        if abs(sim.needle.tilt_deg) > 0.5:
            back = "tilt_minus" if sim.needle.tilt_deg > 0 else "tilt_plus"
            return f"The needle is tilted out of the beam: tilt it back ({key(back)}) before you advance."
        toward, intent = (plus_y, "probe_plus_y") if offset > 0 else (minus_y, "probe_minus_y")
        return (
            f"The tip is out of the beam: slide the probe {toward} ({key(intent)}) by about "
            f"{abs(offset):.1f} mm."
        )
    return (
        "The tip is beyond the image edge: stop, and bring the probe over the needle "
        f"({key('probe_left')} / {key('probe_right')}) before advancing."
    )


def _course_hint(sim: Simulation, tx: float, tz: float, key: KeyName) -> str:
    n = sim.needle
    dx, dz, _ = n.direction
    ex, ez = n.entry_x_mm, 0.0
    cross = dx * (tz - ez) - dz * (tx - ex)  # > 0: the target lies deeper than the needle line
    deeper = cross * (1.0 if dx > 0 else -1.0) > 0
    if abs(cross) < 1.0:
        return f"On course: advance slowly ({key('advance')}) and keep the tip in view."
    turn = "steeper" if deeper else "flatter"
    return (
        f"The needle line passes {abs(cross):.0f} mm {'above' if deeper else 'below'} the target: "
        f"withdraw a little ({key('withdraw')}) and redirect {turn} ({key(turn)})."
    )
