"""The attempt shown back: the image at any moment, the needle path over the anatomy, the tip-to-target
curve, and controls to move through time.

It plays at real speed (game time follows the wall clock) or at 0.5x, 2x and 4x, steps one
recorded frame at a time, and its image can be enlarged to fill the results screen.
"""

from __future__ import annotations

import math
from typing import Any

import pygame

from trainer.errors import TrainerError
from trainer.imaging import Renderer
from trainer.replay import Replay
from trainer.ui import audit, theme
from trainer.ui.app import App
from trainer.ui.clock import STEP_S
from trainer.ui.image_surface import grey_surface
from trainer.ui.screens.replay_plots import Sample, draw_distance_curve, draw_tip_path
from trainer.ui.widgets import Button, panel, paragraph, text

SAMPLE_EVERY_INPUTS = 6
SMALL_FRAME = (320, 240)
LARGE_FRAME = (640, 480)
SPEEDS = (0.5, 1.0, 2.0, 4.0)


class ReplayView:
    """Owns a Replay of the record; the results screen places, updates and draws it."""

    def __init__(self, app: App, record: dict[str, Any], renderer: Renderer | None = None) -> None:
        """`renderer`: the attempt's own renderer when it is at hand (same scenario and seed, so its
        caches serve the replay and no second copy is built)."""
        self.app = app
        self.problem = ""
        self.samples: list[Sample] = []
        self.position = 0.0  # attempt time shown, s
        self.playing = False
        self.speed = 1.0
        self.enlarged = False
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.scrub = pygame.Rect(0, 0, 0, 0)
        self.areas: dict[str, pygame.Rect] = {}
        self._dragging = False
        self._frame: pygame.Surface | None = None
        self._frame_key: tuple[int, tuple[int, int]] | None = None
        try:
            self.replay: Replay | None = Replay(record)
            self.renderer = renderer or Renderer(self.replay.scenario, int(record.get("seed", 0)))
            self._sample()
        except TrainerError as exc:
            self.replay = None
            self.problem = f"This attempt cannot be replayed: {exc}"
        ok = self.replay is not None
        self.buttons = [
            Button("play", "Play", self.toggle, enabled=ok),
            Button("speed", "×1", self.cycle_speed, enabled=ok),
            Button("frame_back", "◀ frame", lambda: self.step_frames(-1), enabled=ok),
            Button("frame_ahead", "frame ▶", lambda: self.step_frames(1), enabled=ok),
            Button("back_1s", "−1 s", lambda: self.seek(self.position - 1.0), enabled=ok),
            Button("ahead_1s", "+1 s", lambda: self.seek(self.position + 1.0), enabled=ok),
            Button("enlarge", "Enlarge", self.toggle_enlarged, enabled=ok),
        ]

    @property
    def duration_s(self) -> float:
        return self.replay.duration_s if self.replay is not None else 0.0

    def _sample(self) -> None:
        assert self.replay is not None
        sc = self.replay.scenario
        tx, tz = sc.goal.point
        for i in range(0, len(self.replay) + 1, SAMPLE_EVERY_INPUTS):
            sim = self.replay.at(i)
            tip = sim.needle.tip_mm if sim.needle.inserted else None
            dist = math.hypot(tip[0] - tx, tip[1] - tz) if tip else None
            self.samples.append(Sample(sim.time_s, i, tip, dist, sim.tip_visible))
        self.position = self.duration_s

    # ------------------------------------------------------------------ control
    def toggle(self) -> None:
        if self.position >= self.duration_s:
            self.position = 0.0
        self.playing = not self.playing
        self.button("play").label = "Pause" if self.playing else "Play"

    def cycle_speed(self) -> None:
        self.set_speed(SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)])

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        self.button("speed").label = f"×{speed:g}"

    def step_frames(self, frames: int) -> None:
        """Pause and move by whole recorded frames (fixed steps of the attempt's clock)."""
        if self.playing:
            self.toggle()
        self.seek(self.position + frames * STEP_S)

    def seek(self, time_s: float) -> None:
        self.position = min(max(0.0, time_s), self.duration_s)

    def toggle_enlarged(self) -> None:
        self.enlarged = not self.enlarged
        self.button("enlarge").label = "Smaller" if self.enlarged else "Enlarge"

    def button(self, name: str) -> Button:
        return next(b for b in self.buttons if b.name == name)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.scrub.collidepoint(event.pos):
            self._dragging = True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._dragging = False
        elif event.type == pygame.KEYDOWN and self.replay is not None:
            self._key(event.key)
        if self._dragging and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION) and self.scrub.width:
            share = (event.pos[0] - self.scrub.left) / self.scrub.width
            self.seek(share * self.duration_s)

    def _key(self, key: int) -> None:
        """Space plays, Left/Right move a second, comma/period a frame, [ and ] change the speed."""
        actions = {
            pygame.K_SPACE: self.toggle,
            pygame.K_LEFT: lambda: self.seek(self.position - 1.0),
            pygame.K_RIGHT: lambda: self.seek(self.position + 1.0),
            pygame.K_COMMA: lambda: self.step_frames(-1),
            pygame.K_PERIOD: lambda: self.step_frames(1),
            pygame.K_LEFTBRACKET: lambda: self.set_speed(SPEEDS[max(0, SPEEDS.index(self.speed) - 1)]),
            pygame.K_RIGHTBRACKET: lambda: self.set_speed(
                SPEEDS[min(len(SPEEDS) - 1, SPEEDS.index(self.speed) + 1)]
            ),
        }
        if key in actions:
            actions[key]()

    def update(self, dt_s: float) -> None:
        """One fixed step of real time: the attempt moves on by `speed` steps' worth."""
        if self.playing:
            self.seek(self.position + dt_s * self.speed)
            if self.position >= self.duration_s:
                self.toggle()

    # ------------------------------------------------------------------ layout and drawing
    def layout(self, rect: pygame.Rect) -> None:
        """Controls along the foot (the scrubber on a line of its own when they need the room);
        above them the image, and unless enlarged, the needle path and the curve beside it."""
        self.rect = rect
        fonts = self.app.fonts
        inner = rect.inflate(-2 * round(8 * fonts.scale), -2 * round(8 * fonts.scale))
        row, gap = round(32 * fonts.scale), round(6 * fonts.scale)
        font = fonts.regular(15)
        widths = [font.size(b.label)[0] + round(20 * fonts.scale) for b in self.buttons]
        widths[0] = widths[1] = max(font.size("Pause")[0], font.size("×0.5")[0]) + round(20 * fonts.scale)
        widths[-1] = font.size("Smaller")[0] + round(20 * fonts.scale)
        used = sum(widths) + gap * len(widths)
        scrub_w = inner.width - used
        own_line = scrub_w < round(200 * fonts.scale)
        y = inner.bottom - row
        x = inner.left
        for b, w in zip(self.buttons, widths, strict=True):
            b.rect = pygame.Rect(x, y, w, row)
            x += w + gap
        label_h = fonts.regular(13).get_linesize()
        if own_line:
            self.scrub = pygame.Rect(inner.left, y - gap - 14, inner.width, 14)
        else:
            self.scrub = pygame.Rect(x, y + (row - 14) // 2 + label_h // 2, inner.right - x, 14)
        body = pygame.Rect(
            inner.left,
            inner.top,
            inner.width,
            (self.scrub.top if own_line else y) - label_h - gap - inner.top,
        )
        self._place_areas(body, gap)
        self._frame = None

    def _place_areas(self, body: pygame.Rect, gap: int) -> None:
        if self.enlarged:
            self.areas = {"image": body}
            return
        third = (body.width - 2 * gap) // 3
        self.areas = {
            name: pygame.Rect(body.left + i * (third + gap), body.top, third, body.height)
            for i, name in enumerate(("image", "path", "curves"))
        }

    def draw(self, surface: pygame.Surface) -> None:
        panel(surface, self.rect, name="replay")
        fonts = self.app.fonts
        if self.replay is None:
            paragraph(surface, fonts.regular(15), self.problem, self.rect.inflate(-24, -24), theme.WARN)
            return
        self._draw_image(surface, self.areas["image"])
        if not self.enlarged:
            sim = self.replay.at_time(self.position)
            draw_tip_path(surface, self.areas["path"], sim, self.samples, self.position, fonts)
            draw_distance_curve(
                surface, self.areas["curves"], self.samples, self.position, self.duration_s, fonts
            )
        self._draw_scrubber(surface)  # its buttons are drawn by the screen that holds it

    def _draw_image(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        assert self.replay is not None
        sim = self.replay.at_time(self.position)
        size = LARGE_FRAME if area.width > SMALL_FRAME[0] * 1.5 else SMALL_FRAME
        if self._frame is None or self._frame_key != (self.replay.index, area.size):
            frame = self.renderer.render(sim.view(*size))
            frame = frame[:, ::-1] if sim.image_mirrored else frame  # as the trainee saw it
            scale = min(area.width / size[0], area.height / size[1])
            shown = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
            self._frame = pygame.transform.smoothscale(grey_surface(frame).convert(), shown)
            self._frame_key = (self.replay.index, area.size)
        where = self._frame.get_rect(midtop=area.midtop)
        surface.blit(self._frame, where)
        audit.place("panel", where, "replay image")

    def _draw_scrubber(self, surface: pygame.Surface) -> None:
        pygame.draw.rect(surface, theme.BUTTON, self.scrub, border_radius=7)
        if self.duration_s > 0:
            done = self.scrub.copy()
            done.width = round(self.scrub.width * self.position / self.duration_s)
            pygame.draw.rect(surface, theme.ACCENT, done, border_radius=7)
        words = f"{self.position:5.1f} / {self.duration_s:.1f} s · ×{self.speed:g}"
        text(
            surface,
            self.app.fonts.regular(13),
            words,
            (self.scrub.right, self.scrub.top - 2),
            theme.MUTED,
            "bottomright",
        )
