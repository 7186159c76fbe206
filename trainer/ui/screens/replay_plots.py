"""The replay's two drawings beside its image: the tip's path over the anatomy of the plane the
needle is in, and the tip-to-target distance over the attempt (green while the tip was in view)."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.diagram import WorldView, draw_plane, draw_polygon
from trainer.ui.widgets import fit, text


@dataclass(frozen=True, slots=True)
class Sample:
    time_s: float
    index: int
    tip_mm: tuple[float, float] | None
    target_mm: float | None
    visible: bool


def draw_tip_path(
    surface: pygame.Surface,
    area: pygame.Rect,
    sim: Simulation,
    samples: list[Sample],
    position_s: float,
    fonts: theme.Fonts,
) -> None:
    """The path so far over the plane the needle really is in (the probe's when it is out)."""
    sc = sim.scenario
    plane = sim.needle_plane if sim.needle.inserted else sim.plane
    view = WorldView(area, sc.x_range_mm, sc.depth_mm)
    draw_plane(surface, view, plane)
    if plane.y_mm == 0.0:
        draw_polygon(surface, view, sc.target, theme.TARGET, 2)
    for s in sc.critical_structures(plane):
        draw_polygon(surface, view, s.geometry, theme.HAZARD, 1)
    points = [
        view.point(*s.tip_mm) for s in samples if s.time_s <= position_s + 1e-9 and s.tip_mm is not None
    ]
    if len(points) > 1:
        pygame.draw.lines(surface, theme.NEEDLE_PATH, False, points, 2)
    if points:
        pygame.draw.circle(surface, theme.NEEDLE_PATH, points[-1], 4)
    small = fonts.regular(13)
    words = fit(small, f"tip path: {plane.name.replace('_', ' ')}", area.width - 12)
    text(surface, small, words, (area.left + 6, area.top + 4), theme.TEXT)


def draw_distance_curve(
    surface: pygame.Surface,
    area: pygame.Rect,
    samples: list[Sample],
    position_s: float,
    duration_s: float,
    fonts: theme.Fonts,
) -> None:
    pygame.draw.rect(surface, theme.BACKGROUND, area, border_radius=6)
    font = fonts.regular(13)
    line = font.get_linesize()
    title = fit(font, "tip to target (mm) over time", area.width - 12)
    text(surface, font, title, (area.left + 6, area.top + 4), theme.TEXT)
    legend = fit(font, "green: tip in view · red: not in view", area.width - 12)
    text(surface, font, legend, (area.left + 6, area.bottom - 4), theme.MUTED, "bottomleft")
    dists = [s.target_mm for s in samples if s.target_mm is not None]
    if not dists or duration_s <= 0:
        return
    top_mm = max(max(dists), 1e-6)
    label_w = font.size(f"{top_mm:.0f}")[0] + 8
    plot = pygame.Rect(
        area.left + label_w + 6, area.top + line + 12, area.width - label_w - 14, area.height - 2 * line - 24
    )
    for s in samples:  # green where the tip was visible, red where it was not
        if s.target_mm is not None:
            xy = (
                round(plot.left + plot.width * s.time_s / duration_s),
                round(plot.bottom - plot.height * s.target_mm / top_mm),
            )
            pygame.draw.circle(surface, theme.OK if s.visible else theme.DANGER, xy, 2)
    x = round(plot.left + plot.width * position_s / duration_s)
    pygame.draw.line(surface, theme.TEXT, (x, plot.top), (x, plot.bottom), 1)
    text(surface, font, f"{top_mm:.0f}", (plot.left - 4, plot.top), theme.MUTED, "topright")
    text(surface, font, "0", (plot.left - 4, plot.bottom), theme.MUTED, "bottomright")
