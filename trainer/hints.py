"""One helpful sentence for the trainee's current situation (standard mode's hint on request)."""

from __future__ import annotations

import math

from trainer.orientation import axis_names
from trainer.simulation import Simulation

STEEP_DEG = 55.0
NEAR_TARGET_MM = 1.5


def hint(sim: Simulation) -> str:
    """The most useful next step, judged from the view, the needle and the target."""
    sc = sim.scenario
    left, right, minus_y, plus_y = axis_names(sc)
    plane = sim.plane
    if plane.y_mm != 0.0:
        toward = minus_y if plane.y_mm > 0 else plus_y
        return f"Not the target view ({plane.description.lower()}). Slide the probe {toward}."
    tx, tz = sc.goal.point
    if not bool(sim.probe.in_view(tx, tz)):
        side = right if tx > sim.probe.x_mm else left
        return f"The target is off the image: slide the probe {side} a little."
    if not sim.needle.inserted:
        return _entry_hint(sim, left, right)
    if not sim.tip_visible:
        return _lost_tip_hint(sim, minus_y, plus_y)
    x, z = sim.needle.tip_mm
    if math.hypot(x - tx, z - tz) <= NEAR_TARGET_MM or sc.in_target(x, z):
        return f"The tip is at the target: inject {sc.goal.volume_ml:g} mL and watch where it spreads."
    if sim.needle.skin_angle_deg > STEEP_DEG:
        return "The needle is steep and hard to see: enter further from the probe to flatten it."
    return _course_hint(sim, tx, tz)


def _entry_hint(sim: Simulation, left: str, right: str) -> str:
    sc = sim.scenario
    low, high = sc.approach.angle_range_deg
    side = left if sc.approach.direction > 0 else right
    return (
        f"Puncture at the {side} end of the probe, just beyond it, at {low:.0f}-{high:.0f} deg to "
        "the skin, so the needle enters the image early."
    )


def _lost_tip_hint(sim: Simulation, minus_y: str, plus_y: str) -> str:
    offset = sim.needle.tip_y_mm - sim.probe.y_mm
    if abs(offset) > float(sim.probe.slice_half_width_mm(sim.needle.tip_mm[1])):
        if abs(sim.needle.tilt_deg) > 0.5:
            return "The needle is tilted out of the beam: tilt it back before you advance."
        toward = plus_y if offset > 0 else minus_y
        return f"The tip is out of the beam: slide the probe {toward} by about {abs(offset):.1f} mm."
    return "The tip is beyond the image edge: stop, and bring the probe over the needle before advancing."


def _course_hint(sim: Simulation, tx: float, tz: float) -> str:
    n = sim.needle
    dx, dz, _ = n.direction
    ex, ez = n.entry_x_mm, 0.0
    cross = dx * (tz - ez) - dz * (tx - ex)  # > 0: the target lies deeper than the needle line
    deeper = cross * (1.0 if dx > 0 else -1.0) > 0
    if abs(cross) < 1.0:
        return "On course: advance slowly and keep the tip in view."
    turn = "steeper" if deeper else "flatter"
    return (
        f"The needle line passes {abs(cross):.0f} mm {'above' if deeper else 'below'} the target: "
        f"withdraw a little and redirect {turn}."
    )
