"""Input bindings: named intents, their default keys, remapping, and gamepad axes and buttons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pygame

from trainer.orientation import axis_names
from trainer.scenario.model import Scenario


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    label: str
    hand: str  # "probe", "needle", "imaging" or "game"
    default_key: str


INTENTS: tuple[Intent, ...] = (
    Intent("probe_left", "Slide probe toward the left of the image", "probe", "a"),
    Intent("probe_right", "Slide probe toward the right of the image", "probe", "d"),
    Intent("probe_minus_y", "Slide probe out of plane (first side)", "probe", "w"),
    Intent("probe_plus_y", "Slide probe out of plane (other side)", "probe", "s"),
    Intent("probe_turn_left", "Turn the probe anticlockwise (seen from behind)", "probe", "q"),
    Intent("probe_turn_right", "Turn the probe clockwise (toward transverse)", "probe", "e"),
    Intent("probe_fan_plus", "Fan the beam (tilt across the image)", "probe", "t"),
    Intent("probe_fan_minus", "Fan the beam back", "probe", "g"),
    Intent("probe_rock_plus", "Rock the probe toward the image's right", "probe", "."),
    Intent("probe_rock_minus", "Rock the probe toward the image's left", "probe", ","),
    Intent("fine", "Hold for fine control", "probe", "left shift"),
    Intent("advance", "Advance the needle", "needle", "up"),
    Intent("withdraw", "Withdraw the needle", "needle", "down"),
    Intent("steeper", "Redirect steeper", "needle", "right"),
    Intent("flatter", "Redirect flatter", "needle", "left"),
    Intent("tilt_plus", "Tilt needle out of plane", "needle", "page up"),
    Intent("tilt_minus", "Tilt needle back", "needle", "page down"),
    Intent("insert", "Puncture the skin at the entry marker", "needle", "return"),
    Intent("inject", "Hold to inject", "needle", "space"),
    Intent("refill", "Refill the syringe", "needle", "u"),
    Intent("depth_less", "Less depth", "imaging", "z"),
    Intent("depth_more", "More depth", "imaging", "x"),
    Intent("gain_less", "Less gain", "imaging", "c"),
    Intent("gain_more", "More gain", "imaging", "v"),
    Intent("focus_up", "Focus shallower", "imaging", "r"),
    Intent("focus_down", "Focus deeper", "imaging", "f"),
    Intent("doppler", "Colour Doppler on/off", "imaging", "b"),
    Intent("hint", "Show a hint", "game", "h"),
    Intent("report_mirrored", "Report the image as mirrored", "game", "m"),
    Intent("overlay", "Labels on/off (guided)", "game", "o"),
    Intent("help", "Controls help", "game", "f1"),
    Intent("pause", "Pause menu", "game", "escape"),
    Intent("finish", "Finish the attempt", "game", "f10"),
)
INTENT_BY_NAME = {i.name: i for i in INTENTS}

MOUSE_HELP: tuple[tuple[str, str], ...] = (
    ("Move over the skin strip", "choose the entry point (before puncture)"),
    ("Wheel (before puncture)", "set the needle angle"),
    ("Left click on the skin strip", "puncture the skin"),
    ("Wheel", "advance / withdraw (hold Shift for fine)"),
    ("Left-drag up / down", "advance / withdraw"),
    ("Right-drag down / up", "redirect steeper / flatter"),
    ("Ctrl + wheel", "tilt the needle out of plane"),
    ("Middle button (hold)", "inject"),
    ("Left-drag on the back view", "slide the probe"),
    ("Ctrl + left / right drag (Doppler)", "move / size the colour box"),
    ("Alt + wheel (Doppler)", "colour velocity scale"),
)

GAMEPAD_HELP: tuple[tuple[str, str], ...] = (
    ("Left stick", "slide the probe (both axes)"),
    ("Right stick up / down", "advance / withdraw"),
    ("Right stick left / right", "redirect"),
    ("Bumpers", "tilt the needle"),
    ("B + left stick", "turn (left / right) and fan (up / down) the probe"),
    ("B + bumpers", "rock the probe"),
    ("A", "puncture at the entry marker"),
    ("Right trigger", "inject"),
    ("Left trigger", "fine control"),
    ("D-pad", "depth and gain"),
    ("Start", "pause"),
)


def intent_label(intent: str, sc: Scenario | None = None) -> str:
    """An intent's label, in the scenario's anatomical terms when there is one (cranial, lateral...)."""
    if sc is None:
        return INTENT_BY_NAME[intent].label
    left, right, minus_y, plus_y = axis_names(sc)
    words = {
        "probe_left": f"Slide probe {left}",
        "probe_right": f"Slide probe {right}",
        "probe_minus_y": f"Slide probe {minus_y} (out of plane)",
        "probe_plus_y": f"Slide probe {plus_y} (out of plane)",
    }
    return words.get(intent, INTENT_BY_NAME[intent].label)


class Bindings:
    """Maps keys to intents; remappable, saved as key names."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self.keys: dict[str, int] = {}
        for intent in INTENTS:
            self.keys[intent.name] = pygame.key.key_code(intent.default_key)
        for name, key_name in (overrides or {}).items():
            if name in INTENT_BY_NAME:
                try:
                    self.keys[name] = pygame.key.key_code(key_name)
                except ValueError:
                    continue  # an unknown key name in an old settings file keeps the default

    def intent_for(self, key: int) -> str | None:
        for name, code in self.keys.items():
            if code == key:
                return name
        return None

    def held(self, keys_down: set[int], name: str) -> bool:
        return self.keys[name] in keys_down

    def remap(self, name: str, key: int) -> None:
        """Bind `name` to `key`; an intent that had `key` swaps to `name`'s old key."""
        previous = self.intent_for(key)
        if previous is not None and previous != name:
            self.keys[previous] = self.keys[name]
        self.keys[name] = key

    def key_name(self, name: str) -> str:
        return pygame.key.name(self.keys[name]).upper() or "?"

    def overrides(self) -> dict[str, str]:
        return {
            i.name: pygame.key.name(self.keys[i.name])
            for i in INTENTS
            if self.keys[i.name] != pygame.key.key_code(i.default_key)
        }
