"""Turn held keys, mouse gestures and gamepad sticks into calls on the simulation, step by step.

One hand holds the probe (keyboard or left stick), the other the needle (mouse or right stick).
Input becomes movement on named axes (see `motion.MOTIONS`); each fixed step sums what every
source asks of each axis and makes one simulation call per moving axis. Before the puncture the
needle keys aim the entry marker instead of the needle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from trainer.simulation import Simulation
from trainer.ui.bindings import Bindings
from trainer.ui.clock import STEP_S
from trainer.ui.gamepad import Gamepads
from trainer.ui.motion import FINE_DIVISOR, MOTIONS, WHEEL_SMOOTH_S, Glide, WheelStreak
from trainer.ui.syringe import Syringe

# Key intents that move an axis, and which way.
AXIS_KEYS: dict[str, tuple[str, float]] = {
    "probe_left": ("probe_x", -1.0),
    "probe_right": ("probe_x", 1.0),
    "probe_minus_y": ("probe_y", -1.0),
    "probe_plus_y": ("probe_y", 1.0),
    "advance": ("advance", 1.0),
    "withdraw": ("advance", -1.0),
    "steeper": ("steer", 1.0),
    "flatter": ("steer", -1.0),
    "tilt_plus": ("tilt", 1.0),
    "tilt_minus": ("tilt", -1.0),
}
BEFORE_PUNCTURE = {"steer": "marker_x", "advance": "marker_angle"}
PAD_AXES: tuple[tuple[int, str, float], ...] = (
    (pygame.CONTROLLER_AXIS_LEFTX, "probe_x", 1.0),
    (pygame.CONTROLLER_AXIS_LEFTY, "probe_y", 1.0),
    (pygame.CONTROLLER_AXIS_RIGHTY, "advance", -1.0),
    (pygame.CONTROLLER_AXIS_RIGHTX, "steer", 1.0),
)
PAD_HELD_AXES = {"tilt_plus": ("tilt", 1.0), "tilt_minus": ("tilt", -1.0)}
DRAG_MM_PER_PX = 0.08
DRAG_DEG_PER_PX = 0.15
DEPTH_STEP_MM = 5.0
GAIN_STEP_DB = 2.0
FOCUS_STEP_MM = 2.0
MARKER_ANGLE_LIMITS_DEG = (5.0, 85.0)
IMAGING_STEPS: dict[str, dict[str, float]] = {
    "depth_less": {"depth_mm": -DEPTH_STEP_MM},
    "depth_more": {"depth_mm": DEPTH_STEP_MM},
    "gain_less": {"gain_db": -GAIN_STEP_DB},
    "gain_more": {"gain_db": GAIN_STEP_DB},
    "focus_up": {"focus_mm": -FOCUS_STEP_MM},
    "focus_down": {"focus_mm": FOCUS_STEP_MM},
}


@dataclass
class EntryMarker:
    """Where and how the needle will puncture the skin (before insertion)."""

    x_mm: float
    skin_angle_deg: float
    toward_plus_x: bool

    @property
    def angle_deg(self) -> float:
        return self.skin_angle_deg if self.toward_plus_x else 180.0 - self.skin_angle_deg


@dataclass(frozen=True, slots=True)
class Hold:
    axis: str
    sign: float
    since_s: float


class Controls:
    """Input handling for one attempt. `strip_x_mm` maps a mouse position to a skin position
    (None when the mouse is not over the outside view)."""

    def __init__(
        self,
        sim: Simulation,
        bindings: Bindings,
        pads: Gamepads,
        inject_ml_s: float,
        strip_x_mm: Callable[[tuple[int, int]], float | None],
        syringe: Syringe,
    ) -> None:
        self.sim = sim
        self.bindings = bindings
        self.pads = pads
        self.inject_ml_s = inject_ml_s
        self.syringe = syringe
        self.strip_x_mm = strip_x_mm
        half = sim.probe.skin_half_width_mm
        self.marker = EntryMarker(sim.probe.x_mm - half - 12.0, 35.0, True)
        self.time_s = 0.0
        self.keys_down: set[int] = set()
        self.holds: dict[int, Hold] = {}
        self.glides: list[Glide] = []
        self.wheel = WheelStreak()
        self.injecting = False
        self._drag: tuple[int, tuple[int, int]] | None = None

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> str | None:
        """Take a mouse, key or pad event; returns the intent of a key press it did not use."""
        if event.type == pygame.KEYDOWN:
            self.keys_down.add(event.key)
            return self._key_down(event.key, self.bindings.intent_for(event.key))
        if event.type == pygame.KEYUP:
            self.keys_down.discard(event.key)
            self.holds.pop(event.key, None)
        elif event.type == pygame.MOUSEWHEEL:
            self._wheel(event.y)
        elif event.type == pygame.MOUSEMOTION:
            self._motion(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self._press(event.button, event.pos)
        elif event.type == pygame.MOUSEBUTTONUP:
            self.injecting = self.injecting and event.button != 2
            self._drag = None
        elif event.type in (pygame.WINDOWFOCUSLOST, pygame.WINDOWLEAVE):
            self.release_all()
        elif event.type == pygame.CONTROLLERBUTTONDOWN:
            return self._discrete(self.pads.intent_for(event))
        return None

    def _key_down(self, key: int, intent: str | None) -> str | None:
        if intent not in AXIS_KEYS:
            return self._discrete(intent)
        axis, sign = AXIS_KEYS[intent]
        self.holds[key] = Hold(axis, sign, self.time_s)
        self.glides.append(Glide(axis, sign * MOTIONS[self._resolve(axis)].tap * self.fine, 1))
        return None

    def _discrete(self, intent: str | None) -> str | None:
        """One-off actions; returns intents for the screen (pause, hint, ...)."""
        if intent == "insert":
            self.insert()
        elif intent in IMAGING_STEPS:
            self.nudge_imaging(**IMAGING_STEPS[intent])
        elif intent == "doppler":
            self.sim.set_imaging(doppler=not self.sim.probe.doppler)
        elif intent == "refill":
            self.syringe.refill()
        else:
            return intent
        return None

    def release_all(self) -> None:
        """Forget held keys and buttons, and movement not yet made (focus lost, a menu opened)."""
        self.keys_down.clear()
        self.holds.clear()
        self.glides.clear()
        self.injecting = False
        self._drag = None

    def nudge_imaging(self, **deltas: float) -> None:
        p = self.sim.probe
        self.sim.set_imaging(**{k: getattr(p, k) + v for k, v in deltas.items()})

    def insert(self) -> bool:
        m = self.marker
        return not self.sim.needle.inserted and self.sim.insert(m.x_mm, m.angle_deg)

    @property
    def fine(self) -> float:
        """The factor on every movement: 1, or 1/FINE_DIVISOR while fine control is held."""
        return 1.0 / FINE_DIVISOR if self.fine_held else 1.0

    @property
    def fine_held(self) -> bool:
        trigger = self.pads.axis(pygame.CONTROLLER_AXIS_TRIGGERLEFT) > 0.5
        return self.bindings.held(self.keys_down, "fine") or trigger

    def _resolve(self, axis: str) -> str:
        """The axis an input moves now: before the puncture the needle keys aim the marker."""
        return axis if self.sim.needle.inserted else BEFORE_PUNCTURE.get(axis, axis)

    def _wheel(self, notches: int) -> None:
        ctrl = bool(self.keys_down & {pygame.K_LCTRL, pygame.K_RCTRL})
        axis = "tilt" if ctrl and self.sim.needle.inserted else "advance"
        stride = self.wheel.stride(self.time_s)
        amount = notches * stride * MOTIONS[self._resolve(axis)].tap * self.fine
        self.glides.append(Glide(axis, amount, max(1, round(WHEEL_SMOOTH_S / STEP_S))))

    def _motion(self, pos: tuple[int, int]) -> None:
        if self._drag is not None and self.sim.needle.inserted:
            button, start = self._drag
            dy = pos[1] - start[1]
            if button == 1 and dy:
                self.glides.append(Glide("advance", -dy * DRAG_MM_PER_PX * self.fine, 1))
            elif button == 3 and dy:
                self.glides.append(Glide("steer", dy * DRAG_DEG_PER_PX * self.fine, 1))
            self._drag = (button, pos)
            return
        x = self.strip_x_mm(pos)
        if x is not None and not self.sim.needle.inserted:
            self.move_marker(x - self.marker.x_mm)

    def _press(self, button: int, pos: tuple[int, int]) -> None:
        if button == 2:
            self.injecting = True
        elif button == 1 and not self.sim.needle.inserted and self.strip_x_mm(pos) is not None:
            self._motion(pos)
            self.insert()
        elif button in (1, 3):
            self._drag = (button, pos)

    # ------------------------------------------------------------------ every step
    def update(self, dt_s: float) -> None:
        """One fixed step: sum what every input asks of each axis, then move each axis once."""
        self.time_s += dt_s
        moves: dict[str, float] = defaultdict(float)
        for hold in self.holds.values():
            axis = self._resolve(hold.axis)
            moves[axis] += hold.sign * MOTIONS[axis].rate(self.time_s - hold.since_s) * self.fine * dt_s
        for pad_axis, logical, sign in PAD_AXES:  # squared stick response: fine near the centre
            value, axis = self.pads.axis(pad_axis) * sign, self._resolve(logical)
            moves[axis] += value * abs(value) * MOTIONS[axis].top_rate * self.fine * dt_s
        for intent, (axis, sign) in PAD_HELD_AXES.items():
            if intent in self.pads.held:
                moves[axis] += sign * MOTIONS[axis].top_rate * self.fine * dt_s
        for glide in self.glides:
            moves[self._resolve(glide.axis)] += glide.take()
        self.glides = [g for g in self.glides if g.steps > 0]
        for axis, amount in moves.items():
            if amount:
                AXIS_CALLS[axis](self, amount)
        pressing = self.injecting or self.bindings.held(self.keys_down, "inject") or self._pad_injects()
        if pressing and self.sim.needle.inserted:
            given = self.syringe.draw(self.inject_ml_s * dt_s)
            if given > 0:
                self.sim.inject(given)

    def _pad_injects(self) -> bool:
        return self.pads.axis(pygame.CONTROLLER_AXIS_TRIGGERRIGHT) > 0.5

    def steer(self, delta_deg: float) -> None:
        """Positive is steeper, whichever way the needle points."""
        if self.sim.needle.inserted:
            self.sim.steer(delta_deg if self.sim.needle.angle_deg < 90.0 else -delta_deg)

    def move_marker(self, dx_mm: float) -> None:
        self.marker.x_mm += dx_mm
        self.marker.toward_plus_x = self.marker.x_mm < self.sim.probe.x_mm

    def turn_marker(self, delta_deg: float) -> None:
        low, high = MARKER_ANGLE_LIMITS_DEG
        self.marker.skin_angle_deg = min(high, max(low, self.marker.skin_angle_deg + delta_deg))


AXIS_CALLS: dict[str, Callable[[Controls, float], object]] = {
    "probe_x": lambda c, mm: c.sim.move_probe(dx_mm=mm),
    "probe_y": lambda c, mm: c.sim.move_probe(dy_mm=mm),
    "advance": lambda c, mm: c.sim.advance(mm),
    "steer": Controls.steer,
    "tilt": lambda c, deg: c.sim.tilt_needle(deg) if c.sim.needle.inserted else None,
    "marker_x": Controls.move_marker,
    "marker_angle": Controls.turn_marker,
}
