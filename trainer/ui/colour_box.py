"""The colour Doppler box on the image: Ctrl + left-drag moves it, Ctrl + right-drag sizes it,
Alt + wheel changes the velocity scale; the scale is drawn as a colour bar beside the field."""

from __future__ import annotations

import numpy as np
import pygame

from trainer.imaging.doppler import ColourBox, colour, probe_speed_mm_s
from trainer.probe import Probe
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.widgets import text

SCALE_STEP = 1.25  # one wheel notch multiplies or divides the scale by this
BAR_PX = (10, 120)  # the colour bar's width and height on screen


class ColourBoxControl:
    """The box the trainee placed, and the probe's speed between the frames sent to the scanner."""

    def __init__(self) -> None:
        self.box = ColourBox()
        self._drag: tuple[int, tuple[int, int]] | None = None
        self._last: tuple[Probe, float] | None = None

    def handle(self, event: pygame.event.Event, image: pygame.Rect, doppler: bool) -> bool:
        """Take the event if it works the box (Doppler on, Ctrl or Alt held); True when taken."""
        mods = pygame.key.get_mods()
        if event.type == pygame.MOUSEBUTTONUP and self._drag is not None:
            self._drag = None
            return True
        if not doppler:
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3) and mods & pygame.KMOD_CTRL:
            if image.collidepoint(event.pos):
                self._drag = (event.button, event.pos)
                return True
        elif event.type == pygame.MOUSEMOTION and self._drag is not None:
            button, start = self._drag
            across = (event.pos[0] - start[0]) / max(image.width, 1)
            down = (event.pos[1] - start[1]) / max(image.height, 1)
            self.box = self.box.moved(across, down) if button == 1 else self.box.resized(across, down)
            self._drag = (button, event.pos)
            return True
        elif event.type == pygame.MOUSEWHEEL and mods & pygame.KMOD_ALT:
            self.box = self.box.with_scale(self.box.scale_cm_s * SCALE_STEP**event.y)
            return True
        return False

    def probe_speed(self, sim: Simulation) -> float:
        """The probe's speed since the last frame sent (mm/s)."""
        last, self._last = self._last, (sim.probe, sim.time_s)
        return 0.0 if last is None else probe_speed_mm_s(last[0], sim.probe, sim.time_s - last[1])

    def draw_scale(self, surface: pygame.Surface, image: pygame.Rect, fonts: theme.Fonts) -> None:
        """The velocity scale: a colour bar at the image's top right, +scale toward the probe."""
        w, h = (round(v * fonts.scale) for v in BAR_PX)
        s = self.box.scale_cm_s
        rgba = colour(np.linspace(s, -s, h, dtype=np.float32).reshape(-1, 1).repeat(w, axis=1), s)
        bar = pygame.image.frombuffer(np.ascontiguousarray(rgba).tobytes(), (w, h), "RGBA")
        font = fonts.regular(13)
        at = pygame.Rect(image.right - w - 8, image.top + font.get_linesize() + 8, w, h)
        surface.blit(bar, at)
        text(surface, font, f"+{s:.0f}", (at.right, at.top), theme.TEXT, anchor="bottomright")
        text(surface, font, f"-{s:.0f} cm/s", (at.right, at.bottom + 2), theme.TEXT, anchor="topright")
