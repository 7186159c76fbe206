"""Turn held keys, mouse gestures and gamepad sticks into calls on the simulation, one frame at a time.

One hand holds the probe (keyboard or left stick), the other the needle (mouse or right stick).
Rates are per second; a fine-control modifier divides them by FINE_DIVISOR.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from trainer.simulation import Simulation
from trainer.ui.bindings import Bindings
from trainer.ui.gamepad import Gamepads

PROBE_SLIDE_MM_S = 20.0
PROBE_OUT_OF_PLANE_MM_S = 8.0
ADVANCE_MM_S = 5.0
STEER_DEG_S = 12.0
TILT_DEG_S = 4.0
FINE_DIVISOR = 5.0
WHEEL_ADVANCE_MM = 1.0
WHEEL_TILT_DEG = 0.5
WHEEL_ANGLE_DEG = 2.0
DRAG_MM_PER_PX = 0.08
DRAG_DEG_PER_PX = 0.15
DEPTH_STEP_MM = 5.0
GAIN_STEP_DB = 2.0
FOCUS_STEP_MM = 2.0


@dataclass
class EntryMarker:
    """Where and how the needle will puncture the skin (before insertion)."""

    x_mm: float
    skin_angle_deg: float
    toward_plus_x: bool

    @property
    def angle_deg(self) -> float:
        return self.skin_angle_deg if self.toward_plus_x else 180.0 - self.skin_angle_deg


class Controls:
    """Per-frame input handling for one attempt. `strip_x_mm` maps a mouse x to a skin position
    (None when the mouse is not over the skin strip)."""

    def __init__(
        self,
        sim: Simulation,
        bindings: Bindings,
        pads: Gamepads,
        inject_ml_s: float,
        strip_x_mm: Callable[[tuple[int, int]], float | None],
    ) -> None:
        self.sim = sim
        self.bindings = bindings
        self.pads = pads
        self.inject_ml_s = inject_ml_s
        self.strip_x_mm = strip_x_mm
        half = sim.probe.skin_half_width_mm
        self.marker = EntryMarker(sim.probe.x_mm - half - 12.0, 35.0, True)
        self._drag: tuple[int, tuple[int, int]] | None = None
        self.injecting = False
        self.keys_down: set[int] = set()

    # ------------------------------------------------------------------ discrete input
    def handle(self, event: pygame.event.Event) -> str | None:
        """Apply a mouse or key event; returns the intent name of a key press it did not use."""
        if event.type == pygame.MOUSEWHEEL:
            self._wheel(event.y)
        elif event.type == pygame.MOUSEMOTION:
            self._motion(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self._press(event.button, event.pos)
        elif event.type == pygame.MOUSEBUTTONUP:
            if event.button == 2:
                self.injecting = False
            self._drag = None
        elif event.type == pygame.KEYDOWN:
            self.keys_down.add(event.key)
            return self._key(self.bindings.intent_for(event.key))
        elif event.type == pygame.KEYUP:
            self.keys_down.discard(event.key)
        elif event.type in (pygame.WINDOWFOCUSLOST, pygame.WINDOWLEAVE):
            self.release_all()
        elif event.type == pygame.CONTROLLERBUTTONDOWN:
            return self._key(self.pads.intent_for(event))
        return None

    def _key(self, intent: str | None) -> str | None:
        if intent == "insert":
            self.insert()
            return None
        steps = {
            "depth_less": dict(depth_mm=-DEPTH_STEP_MM),
            "depth_more": dict(depth_mm=DEPTH_STEP_MM),
            "gain_less": dict(gain_db=-GAIN_STEP_DB),
            "gain_more": dict(gain_db=GAIN_STEP_DB),
            "focus_up": dict(focus_mm=-FOCUS_STEP_MM),
            "focus_down": dict(focus_mm=FOCUS_STEP_MM),
        }
        if intent in steps:
            self.nudge_imaging(**steps[intent])
            return None
        if intent == "doppler":
            self.sim.set_imaging(doppler=not self.sim.probe.doppler)
            return None
        return intent

    def release_all(self) -> None:
        """Forget held keys and buttons (the window lost focus, or a menu opened)."""
        self.keys_down.clear()
        self.injecting = False
        self._drag = None

    def nudge_imaging(self, **deltas: float) -> None:
        p = self.sim.probe
        self.sim.set_imaging(**{k: getattr(p, k) + v for k, v in deltas.items()})

    def insert(self) -> bool:
        m = self.marker
        return not self.sim.needle.inserted and self.sim.insert(m.x_mm, m.angle_deg)

    def _fine(self) -> float:
        fine = (
            self.bindings.held(self.keys_down, "fine")
            or self.pads.axis(pygame.CONTROLLER_AXIS_TRIGGERLEFT) > 0.5
        )
        return 1.0 / FINE_DIVISOR if fine else 1.0

    def _wheel(self, notches: int) -> None:
        ctrl = bool(self.keys_down & {pygame.K_LCTRL, pygame.K_RCTRL})
        if not self.sim.needle.inserted:
            self.marker.skin_angle_deg = min(
                85.0, max(5.0, self.marker.skin_angle_deg + notches * WHEEL_ANGLE_DEG)
            )
        elif ctrl:
            self.sim.tilt_needle(notches * WHEEL_TILT_DEG * self._fine())
        else:
            self.sim.advance(notches * WHEEL_ADVANCE_MM * self._fine())

    def _motion(self, pos: tuple[int, int]) -> None:
        if self._drag is not None and self.sim.needle.inserted:
            button, start = self._drag
            dy = pos[1] - start[1]
            if button == 1 and dy:
                self.sim.advance(-dy * DRAG_MM_PER_PX * self._fine())
            elif button == 3 and dy:
                toward = 1.0 if self.sim.needle.angle_deg < 90.0 else -1.0
                self.sim.steer(dy * toward * DRAG_DEG_PER_PX * self._fine())
            self._drag = (button, pos)
            return
        x = self.strip_x_mm(pos)
        if x is not None and not self.sim.needle.inserted:
            self.marker.x_mm = x
            self.marker.toward_plus_x = x < self.sim.probe.x_mm

    def _press(self, button: int, pos: tuple[int, int]) -> None:
        if button == 2:
            self.injecting = True
        elif button == 1 and not self.sim.needle.inserted and self.strip_x_mm(pos) is not None:
            self._motion(pos)
            self.insert()
        elif button in (1, 3):
            self._drag = (button, pos)

    # ------------------------------------------------------------------ held input, every frame
    def update(self, dt_s: float) -> None:
        pressed = self.keys_down
        held = self.bindings.held
        fine = self._fine()
        pad = self.pads.axis
        x = (held(pressed, "probe_right") - held(pressed, "probe_left")) + pad(pygame.CONTROLLER_AXIS_LEFTX)
        y = (held(pressed, "probe_plus_y") - held(pressed, "probe_minus_y")) + pad(
            pygame.CONTROLLER_AXIS_LEFTY
        )
        if x or y:
            self.sim.move_probe(x * PROBE_SLIDE_MM_S * fine * dt_s, y * PROBE_OUT_OF_PLANE_MM_S * fine * dt_s)
        if not self.sim.needle.inserted:
            self._aim_marker(pressed, dt_s * fine)
            return
        advance = (held(pressed, "advance") - held(pressed, "withdraw")) - pad(pygame.CONTROLLER_AXIS_RIGHTY)
        if advance:
            self.sim.advance(advance * ADVANCE_MM_S * fine * dt_s)
        steer = (held(pressed, "steeper") - held(pressed, "flatter")) + pad(pygame.CONTROLLER_AXIS_RIGHTX)
        if steer:
            toward = 1.0 if self.sim.needle.angle_deg < 90.0 else -1.0
            self.sim.steer(steer * toward * STEER_DEG_S * fine * dt_s)
        tilt = (held(pressed, "tilt_plus") or "tilt_plus" in self.pads.held) - (
            held(pressed, "tilt_minus") or "tilt_minus" in self.pads.held
        )
        if tilt:
            self.sim.tilt_needle(tilt * TILT_DEG_S * fine * dt_s)
        inject = self.injecting or held(pressed, "inject") or pad(pygame.CONTROLLER_AXIS_TRIGGERRIGHT) > 0.5
        if inject:
            self.sim.inject(self.inject_ml_s * dt_s)

    def _aim_marker(self, pressed: set[int], dt_s: float) -> None:
        """Before puncture, the needle keys move the entry marker and set its angle."""
        held = self.bindings.held
        along = held(pressed, "steeper") - held(pressed, "flatter")
        if along:
            self.marker.x_mm += along * PROBE_SLIDE_MM_S * dt_s
            self.marker.toward_plus_x = self.marker.x_mm < self.sim.probe.x_mm
        tip = held(pressed, "advance") - held(pressed, "withdraw")
        if tip:
            self.marker.skin_angle_deg = min(
                85.0, max(5.0, self.marker.skin_angle_deg + tip * STEER_DEG_S * dt_s)
            )
