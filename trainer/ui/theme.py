"""Colours, fonts and sizes. Overlay colours are the Okabe-Ito palette, safe for colour-blind users."""

from __future__ import annotations

from functools import lru_cache

import pygame

from trainer.fonts import MAIN_BOLD_FILE, MAIN_FILE, MONO_FILE, font_file
from trainer.ui.script_font import ScriptFont

BACKGROUND = (16, 20, 26)
PANEL = (28, 34, 43)
PANEL_EDGE = (52, 62, 76)
TEXT = (228, 233, 240)
MUTED = (150, 160, 175)
ACCENT = (86, 180, 233)  # sky blue
BUTTON = (44, 54, 68)
BUTTON_HOVER = (60, 74, 94)
BUTTON_DOWN = (36, 44, 56)

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
OK = (0, 158, 115)  # bluish green
WARN = (230, 159, 0)  # orange
DANGER = (213, 94, 0)  # vermillion
TARGET = (0, 158, 115)
HAZARD = (213, 94, 0)
NEEDLE_PATH = (240, 228, 66)  # yellow, dashed: the needle the trainee is aiming (and hints)
SUGGESTED = (204, 121, 167)  # reddish purple, dotted: the suggested path, never the trainee's needle
STRUCTURE = (86, 180, 233)

MIN_TEXT_PX = 14  # nothing smaller, even at 1366x768


class Fonts:
    """Font sizes scaled by the UI scale setting (for high-DPI screens)."""

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def px(self, size: int) -> int:
        return max(MIN_TEXT_PX, round(size * self.scale))

    def regular(self, size: int) -> pygame.font.Font:
        return _font(MAIN_FILE, self.px(size))

    def bold(self, size: int) -> pygame.font.Font:
        return _font(MAIN_BOLD_FILE, self.px(size))

    def mono(self, size: int) -> pygame.font.Font:
        return _font(MONO_FILE, self.px(size))


@lru_cache(maxsize=64)
def _font(name: str, size_px: int) -> pygame.font.Font:
    """A bundled face that draws any script (other scripts come from the fallback faces)."""
    return ScriptFont(str(font_file(name)), size_px, bold=name == MAIN_BOLD_FILE)


def blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))
