"""The attempt shown back: the image at any moment, the needle path over the anatomy, metric curves,
and a scrubber to move through time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pygame

from trainer.errors import TrainerError
from trainer.imaging import Renderer
from trainer.replay import Replay
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.diagram import WorldView, draw_plane, draw_polygon
from trainer.ui.image_surface import grey_surface
from trainer.ui.widgets import Button, panel, paragraph, text

SAMPLE_EVERY_INPUTS = 6
FRAME_SIZE = (320, 240)


@dataclass(frozen=True, slots=True)
class Sample:
    time_s: float
    index: int
    tip_mm: tuple[float, float] | None
    target_mm: float | None
    visible: bool


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
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.scrub = pygame.Rect(0, 0, 0, 0)
        self._dragging = False
        self._frame: pygame.Surface | None = None
        self._frame_index = -1
        try:
            self.replay: Replay | None = Replay(record)
            self.renderer = renderer or Renderer(self.replay.scenario, int(record.get("seed", 0)))
            self._sample()
        except TrainerError as exc:
            self.replay = None
            self.problem = f"This attempt cannot be replayed: {exc}"
        self.buttons = [
            Button("play", "Play", self.toggle, enabled=self.replay is not None),
            Button("back_1s", "−1 s", lambda: self.seek(self.position - 1.0)),
            Button("ahead_1s", "+1 s", lambda: self.seek(self.position + 1.0)),
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

    def seek(self, time_s: float) -> None:
        self.position = min(max(0.0, time_s), self.duration_s)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.scrub.collidepoint(event.pos):
            self._dragging = True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._dragging = False
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.seek(self.position + (1.0 if event.key == pygame.K_RIGHT else -1.0))
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE and self.replay is not None:
            self.toggle()
        if self._dragging and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION) and self.scrub.width:
            share = (event.pos[0] - self.scrub.left) / self.scrub.width
            self.seek(share * self.duration_s)

    def update(self, dt_s: float) -> None:
        if self.playing:
            self.seek(self.position + dt_s)
            if self.position >= self.duration_s:
                self.playing = False
        self.buttons[0].label = "Pause" if self.playing else "Play"

    # ------------------------------------------------------------------ layout and drawing
    def layout(self, rect: pygame.Rect) -> None:
        self.rect = rect
        h = 34
        self.scrub = pygame.Rect(rect.left + 3 * 90 + 24, rect.bottom - h + 10, rect.width - 3 * 90 - 36, 14)
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(rect.left + 8 + i * 90, rect.bottom - h, 82, h - 4)
        self._frame = None

    def draw(self, surface: pygame.Surface) -> None:
        panel(surface, self.rect)
        fonts = self.app.fonts
        if self.replay is None:
            paragraph(surface, fonts.regular(15), self.problem, self.rect.inflate(-24, -24), theme.WARN)
            return
        body = self.rect.inflate(-16, -16)
        body.height -= 40
        third = body.width // 3
        self._draw_image(surface, pygame.Rect(body.left, body.top, third - 8, body.height))
        self._draw_path(surface, pygame.Rect(body.left + third, body.top, third - 8, body.height))
        self._draw_curves(surface, pygame.Rect(body.left + 2 * third, body.top, third, body.height))
        self._draw_scrubber(surface)

    def _draw_image(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        assert self.replay is not None
        sim = self.replay.at_time(self.position)
        if self._frame is None or self._frame_index != self.replay.index:
            frame = self.renderer.render(sim.view(*FRAME_SIZE))
            scale = min(area.width / FRAME_SIZE[0], area.height / FRAME_SIZE[1])
            size = (round(FRAME_SIZE[0] * scale), round(FRAME_SIZE[1] * scale))
            self._frame = pygame.transform.smoothscale(grey_surface(frame).convert(), size)
            self._frame_index = self.replay.index
        surface.blit(self._frame, self._frame.get_rect(midtop=area.midtop))

    def _draw_path(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        assert self.replay is not None
        sc = self.replay.scenario
        sim = self.replay.at_time(self.position)
        plane = sim.needle_plane if sim.needle.inserted else sim.plane  # where the needle really is
        view = WorldView(area, sc.x_range_mm, sc.depth_mm)
        draw_plane(surface, view, plane)
        if plane.y_mm == 0.0:
            draw_polygon(surface, view, sc.target, theme.TARGET, 2)
        for s in sc.critical_structures(plane):
            draw_polygon(surface, view, s.geometry, theme.HAZARD, 1)
        shown = [s for s in self.samples if s.time_s <= self.position + 1e-9 and s.tip_mm is not None]
        points = [view.point(*s.tip_mm) for s in shown if s.tip_mm is not None]
        if len(points) > 1:
            pygame.draw.lines(surface, theme.NEEDLE_PATH, False, points, 2)
        if points:
            pygame.draw.circle(surface, theme.NEEDLE_PATH, points[-1], 4)
        text(
            surface,
            self.app.fonts.regular(13),
            f"tip path over the anatomy: {plane.name.replace('_', ' ')}",
            (area.left + 6, area.top + 4),
            theme.TEXT,
        )

    def _draw_curves(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        pygame.draw.rect(surface, theme.BACKGROUND, area, border_radius=6)
        font = self.app.fonts.regular(13)
        text(
            surface, font, "tip-to-target distance (mm) over time", (area.left + 6, area.top + 4), theme.TEXT
        )
        dists = [s.target_mm for s in self.samples if s.target_mm is not None]
        if not dists or self.duration_s <= 0:
            return
        top_mm = max(dists)
        plot = area.inflate(-16, -40).move(0, 10)

        def xy(s: Sample) -> tuple[int, int]:
            assert s.target_mm is not None
            return (
                round(plot.left + plot.width * s.time_s / self.duration_s),
                round(plot.bottom - plot.height * s.target_mm / max(top_mm, 1e-6)),
            )

        for s in self.samples:  # green where the tip was visible, red where it was not
            if s.target_mm is not None:
                pygame.draw.circle(surface, theme.OK if s.visible else theme.DANGER, xy(s), 2)
        x = round(plot.left + plot.width * self.position / self.duration_s)
        pygame.draw.line(surface, theme.TEXT, (x, plot.top), (x, plot.bottom), 1)
        text(surface, font, f"{top_mm:.0f}", (plot.left, plot.top), theme.MUTED, "topright")
        text(surface, font, "0", (plot.left, plot.bottom), theme.MUTED, "bottomright")
        text(
            surface,
            font,
            "green: tip in view · red: tip not in view",
            (area.left + 6, area.bottom - 4),
            theme.MUTED,
            "bottomleft",
        )

    def _draw_scrubber(self, surface: pygame.Surface) -> None:
        pygame.draw.rect(surface, theme.BUTTON, self.scrub, border_radius=7)
        if self.duration_s > 0:
            done = self.scrub.copy()
            done.width = round(self.scrub.width * self.position / self.duration_s)
            pygame.draw.rect(surface, theme.ACCENT, done, border_radius=7)
        text(
            surface,
            self.app.fonts.regular(13),
            f"{self.position:5.1f} / {self.duration_s:.1f} s",
            (self.scrub.right, self.scrub.top - 2),
            theme.MUTED,
            "bottomright",
        )
