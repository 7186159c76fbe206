"""How each continuous control moves: a tap gives a small fixed step; a hold starts slowly and
speeds up smoothly; wheel notches in quick succession take longer strides. Everything counts in
game time (fixed steps), so the same presses always give the same movement.

Each axis is data: adding a control (a probe rotation, a tilt) is one `Motion` here, one binding,
and one line in `controls.AXIS_CALLS`.
"""

from __future__ import annotations

from dataclasses import dataclass

HOLD_DELAY_S = 0.25  # a press released sooner is a tap: one fixed step and no more
FINE_DIVISOR = 5.0  # fine control (Shift, left trigger) divides every step and rate by this
WHEEL_STREAK_S = 0.15  # notches closer together than this are one quick turn of the wheel
WHEEL_MAX_STRIDE = 4.0  # a quick turn of the wheel moves up to this many taps per notch
WHEEL_SMOOTH_S = 0.1  # a notch's movement is spread over this much time, not jumped


@dataclass(frozen=True, slots=True)
class Motion:
    """One axis: `tap` units for a tap, then `start_rate` units/s after HOLD_DELAY_S, rising
    evenly to `top_rate` over `ramp_s` more seconds of holding."""

    unit: str
    tap: float
    start_rate: float
    top_rate: float
    ramp_s: float

    def rate(self, held_s: float) -> float:
        """Speed (units/s) after holding for `held_s` (0 during the tap's delay)."""
        if held_s < HOLD_DELAY_S:
            return 0.0
        ramp = min(1.0, (held_s - HOLD_DELAY_S) / self.ramp_s)
        return self.start_rate + (self.top_rate - self.start_rate) * ramp


MOTIONS: dict[str, Motion] = {
    "probe_x": Motion("mm", tap=0.5, start_rate=4.0, top_rate=20.0, ramp_s=1.0),
    "probe_y": Motion("mm", tap=0.25, start_rate=1.5, top_rate=8.0, ramp_s=1.0),
    "probe_turn": Motion("deg", tap=1.0, start_rate=8.0, top_rate=45.0, ramp_s=1.0),
    "probe_fan": Motion("deg", tap=0.5, start_rate=2.0, top_rate=10.0, ramp_s=1.0),
    "probe_rock": Motion("deg", tap=0.5, start_rate=2.0, top_rate=10.0, ramp_s=1.0),
    "advance": Motion("mm", tap=0.5, start_rate=2.0, top_rate=8.0, ramp_s=1.5),
    "steer": Motion("deg", tap=1.0, start_rate=3.0, top_rate=12.0, ramp_s=1.5),
    "tilt": Motion("deg", tap=0.5, start_rate=1.5, top_rate=5.0, ramp_s=1.5),
    "marker_x": Motion("mm", tap=1.0, start_rate=5.0, top_rate=25.0, ramp_s=1.0),
    "marker_angle": Motion("deg", tap=1.0, start_rate=4.0, top_rate=15.0, ramp_s=1.0),
}


@dataclass(slots=True)
class Glide:
    """Movement still to apply, spread evenly over the next steps (a wheel notch)."""

    axis: str
    amount: float
    steps: int

    def take(self) -> float:
        share = self.amount / self.steps
        self.amount -= share
        self.steps -= 1
        return share


@dataclass(slots=True)
class WheelStreak:
    """Quick successive notches take longer strides (like scrolling a long page)."""

    last_s: float = -1.0
    count: int = 0

    def stride(self, now_s: float) -> float:
        """Taps' worth of movement for a notch turned at game time `now_s`."""
        quick = self.last_s >= 0.0 and now_s - self.last_s <= WHEEL_STREAK_S
        self.count = self.count + 1 if quick else 0
        self.last_s = now_s
        return min(WHEEL_MAX_STRIDE, 1.0 + 0.5 * self.count)
