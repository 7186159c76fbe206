"""The briefing's drawing of the correct view: the anatomy in cross-section with the target, the
hazards, the suggested path, and what orients it: the probe on the skin where the expert puts it,
which side is which, and a scale bar."""

from __future__ import annotations

import pygame

from trainer.autopilot import Plan
from trainer.probe import Probe
from trainer.scenario.model import Scenario
from trainer.tissue import TissueKind
from trainer.ui import theme
from trainer.ui.diagram import WorldView, draw_dotted, draw_labels, draw_plane, draw_polygon
from trainer.ui.external_view import PROBE
from trainer.ui.widgets import text

SCALE_BARS_MM = (5.0, 10.0, 20.0, 50.0)


def draw_briefing(
    surface: pygame.Surface,
    rect: pygame.Rect,
    sc: Scenario,
    fonts: theme.Fonts,
    plan: Plan,
    names: tuple[str, str],
) -> WorldView:
    """The primary plane under a band that holds the probe and the side names."""
    small = fonts.regular(13)
    probe_h = round(18 * fonts.scale)
    band = small.get_linesize() + probe_h + 4
    below = pygame.Rect(rect.left, rect.top + band, rect.width, rect.height - band)
    view = WorldView(below, sc.x_range_mm, min(sc.depth_mm, sc.goal.point[1] * 2.0 + 20.0))
    clip = surface.get_clip()
    surface.set_clip(below)
    draw_plane(surface, view, sc.primary)
    for s in sc.critical_structures(sc.primary):
        draw_polygon(surface, view, s.geometry, theme.HAZARD, 2)
    draw_polygon(surface, view, sc.target, theme.TARGET, 3)
    draw_dotted(
        surface, theme.SUGGESTED, view.point(plan.entry_x_mm, 0.0), view.point(*sc.goal.point), radius=3
    )
    surface.set_clip(clip)
    labels = [s.name for s in sc.primary.structures if s.kind != TissueKind.SKIN]
    draw_labels(surface, view, sc.primary, fonts.regular(13), labels)
    text(surface, fonts.bold(14), "target", view.point(*sc.goal.point), theme.TARGET, "bottomleft")
    _probe(surface, view, sc, plan, probe_h, small)
    text(surface, small, f"◀ {names[0]}", rect.topleft, theme.MUTED)
    text(surface, small, f"{names[1]} ▶", rect.topright, theme.MUTED, "topright")
    _scale_bar(surface, view, small)
    return view


def _probe(
    surface: pygame.Surface, view: WorldView, sc: Scenario, plan: Plan, height: int, font: pygame.font.Font
) -> None:
    """The probe on the skin where the expert holds it, its marker dot on the left end."""
    half = Probe.from_kit(sc.probe).skin_half_width_mm
    left, top = view.point(plan.probe_x_mm - half, 0.0)
    right, _ = view.point(plan.probe_x_mm + half, 0.0)
    body = pygame.Rect(left, top - height, max(8, right - left), height)
    pygame.draw.rect(surface, PROBE, body, border_top_left_radius=6, border_top_right_radius=6)
    pygame.draw.circle(surface, theme.ACCENT, (body.left + 6, body.centery), 3)
    label = font.render("probe", True, theme.BACKGROUND)
    if label.get_width() < body.width - 16:
        surface.blit(label, label.get_rect(center=body.center))


def _scale_bar(surface: pygame.Surface, view: WorldView, font: pygame.font.Font) -> None:
    """A bar of a round length in the lower left corner, about a tenth of the drawing wide."""
    wanted_mm = view.rect.width / view.scale / 10.0
    length_mm = min(SCALE_BARS_MM, key=lambda mm: abs(mm - wanted_mm))
    length_px = round(length_mm * view.scale)
    x, y = view.rect.left + 10, view.rect.bottom - 10
    box = pygame.Rect(
        x - 4, y - font.get_linesize() - 10, length_px + 8 + font.size(" 20 mm")[0], font.get_linesize() + 14
    )
    pygame.draw.rect(surface, (0, 0, 0), box, border_radius=4)
    pygame.draw.line(surface, theme.TEXT, (x, y - 4), (x + length_px, y - 4), 3)
    for end in (x, x + length_px):
        pygame.draw.line(surface, theme.TEXT, (end, y - 9), (end, y), 2)
    text(surface, font, f"{length_mm:g} mm", (x + length_px + 6, y), theme.TEXT, "bottomleft")
