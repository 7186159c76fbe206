"""Gamepads through SDL's game-controller database: any common pad works without configuration."""

from __future__ import annotations

import contextlib
from typing import Any

import pygame

DEADZONE = 0.15
AXIS_MAX = 32767.0

# Pad buttons that act like a key press of an intent.
BUTTON_INTENTS: dict[int, str] = {
    pygame.CONTROLLER_BUTTON_A: "insert",
    pygame.CONTROLLER_BUTTON_START: "pause",
    pygame.CONTROLLER_BUTTON_BACK: "help",
    pygame.CONTROLLER_BUTTON_DPAD_UP: "depth_less",
    pygame.CONTROLLER_BUTTON_DPAD_DOWN: "depth_more",
    pygame.CONTROLLER_BUTTON_DPAD_LEFT: "gain_less",
    pygame.CONTROLLER_BUTTON_DPAD_RIGHT: "gain_more",
    pygame.CONTROLLER_BUTTON_Y: "doppler",
    pygame.CONTROLLER_BUTTON_X: "hint",
}
HELD_BUTTONS: dict[int, str] = {
    pygame.CONTROLLER_BUTTON_RIGHTSHOULDER: "tilt_plus",
    pygame.CONTROLLER_BUTTON_LEFTSHOULDER: "tilt_minus",
    pygame.CONTROLLER_BUTTON_B: "probe_orient",  # held: the left stick turns and fans, bumpers rock
}


class Gamepads:
    """Opens pads as they connect and keeps their stick and trigger positions."""

    def __init__(self) -> None:
        self.pads: dict[int, Any] = {}
        self.axes: dict[int, float] = {}
        self.held: set[str] = set()
        try:
            from pygame._sdl2 import controller

            controller.init()
            self._controller: Any = controller
        except (ImportError, pygame.error):
            self._controller = None

    def handle(self, event: pygame.event.Event) -> bool:
        """Track pad state; returns True for events only this module needs."""
        if event.type == pygame.CONTROLLERDEVICEADDED and self._controller is not None:
            with contextlib.suppress(pygame.error):
                self.pads[event.device_index] = self._controller.Controller(event.device_index)
            return True
        if event.type == pygame.CONTROLLERDEVICEREMOVED:
            self.pads.pop(getattr(event, "instance_id", -1), None)
            self.axes.clear()
            self.held.clear()
            return True
        if event.type == pygame.CONTROLLERAXISMOTION:
            value = event.value / AXIS_MAX
            self.axes[event.axis] = 0.0 if abs(value) < DEADZONE else max(-1.0, min(1.0, value))
            return True
        if event.type in (pygame.CONTROLLERBUTTONDOWN, pygame.CONTROLLERBUTTONUP):
            held = HELD_BUTTONS.get(event.button)
            if held is not None:
                (self.held.add if event.type == pygame.CONTROLLERBUTTONDOWN else self.held.discard)(held)
                return True
        return False

    def axis(self, axis: int) -> float:
        return self.axes.get(axis, 0.0)

    @staticmethod
    def intent_for(event: pygame.event.Event) -> str | None:
        """The intent a pad button press stands for, if any."""
        if event.type == pygame.CONTROLLERBUTTONDOWN:
            return BUTTON_INTENTS.get(event.button)
        return None
