"""Game time that follows the wall clock: a fixed simulation step fed by an accumulator.

Each drawn frame hands the wall time since the previous frame to `FixedStepClock.advance`, which
says how many fixed steps the simulation owes. A slow frame is followed by several steps, so game
time keeps pace with the wall clock and a slow frame drops frames, never time. Every step has the
same size, so the recorded inputs replay exactly. A stall longer than `MAX_CATCH_UP_S` (a laptop
lid closed, a window dragged) counts as a pause rather than being replayed as a burst of steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

STEP_S = 1.0 / 60.0
MAX_CATCH_UP_S = 1.0


@dataclass
class FixedStepClock:
    """The accumulator between wall time and fixed simulation steps."""

    step_s: float = STEP_S
    max_catch_up_s: float = MAX_CATCH_UP_S
    owed_s: float = 0.0
    game_s: float = 0.0
    wall_s: float = 0.0

    def advance(self, wall_dt_s: float) -> int:
        """Add a frame's wall time; returns the number of fixed steps to run now."""
        wall_dt_s = min(max(0.0, wall_dt_s), self.max_catch_up_s)
        self.wall_s += wall_dt_s
        self.owed_s += wall_dt_s
        steps = int((self.owed_s + 1e-9) // self.step_s)
        self.owed_s -= steps * self.step_s
        self.game_s += steps * self.step_s
        return steps

    def reset(self) -> None:
        """Forget time owed (a new screen starts from now, not from when it began to load)."""
        self.owed_s = 0.0


@dataclass
class FramePacer:
    """Measures the wall time between frames and sleeps so frames come at most `rate_hz` a second."""

    rate_hz: float = 60.0
    _last: float = field(default_factory=time.perf_counter)
    _next: float = field(default_factory=time.perf_counter)

    def wait(self) -> float:
        """Sleep until the next frame is due; returns the wall seconds since the previous call."""
        period = 1.0 / self.rate_hz
        now = time.perf_counter()
        if self._next > now:
            time.sleep(self._next - now)
            now = time.perf_counter()
        self._next = max(self._next + period, now)  # behind after a slow frame: do not burst
        dt, self._last = now - self._last, now
        return dt
