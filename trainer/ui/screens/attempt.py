"""What every attempt screen shares: the image, the outside view, the side panel and calm event toasts.

Each frame the image is formed on the worker thread while this thread draws the parts around it,
and each part (top bar, side panel, outside view, image) is drawn again only when what it shows
changed; only those rectangles go to the display.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from trainer.autopilot import Plan, plan
from trainer.events import Event, EventKind
from trainer.level_start import placed
from trainer.orientation import axis_names
from trainer.scenario.model import Scenario
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.back_view import BackView
from trainer.ui.colour_box import ColourBoxControl
from trainer.ui.controls import EntryMarker
from trainer.ui.external_view import ExternalView
from trainer.ui.image_view import ImageView
from trainer.ui.image_worker import FRAME_SIZE, FormedImage, ImageJob, ImageWorker, PlaneWarmer
from trainer.ui.regions import Regions
from trainer.ui.screen import Screen
from trainer.ui.side_panel import Row, SidePanel
from trainer.ui.widgets import Toasts, fit, text

Progress = Callable[[float, str], None]
WIDEST_PANEL_LINE = "Tip seen while advancing    100 %"
BACK_ASPECT = 1.7  # the back view's width over its height: C7 to L1 across, both sides up and down


@dataclass(frozen=True)
class Prepared:
    """The slow part of opening an attempt, done before (or beside) the screen: the simulation,
    the suggested approach and the renderer's maps for the first view."""

    sim: Simulation
    plan: Plan

    @property
    def sc(self) -> Scenario:
        return self.sim.scenario


def prepare(
    make_sim: Callable[[], Simulation], progress: Progress | None = None, count_from: str | None = None
) -> Prepared:
    """Build an attempt's simulation and its first view (safe on a background thread); with a
    level-finding start, the view over that landmark."""
    report = progress or (lambda share, words: None)
    report(0.05, "Loading the anatomy")
    sim = make_sim()
    report(0.35, "Planning the suggested approach")
    suggested = plan(sim.scenario)
    report(0.5, "Building the first view")
    start = sim if count_from is None or sim.scenario.anatomy is None else placed(sim.scenario, count_from)
    sim.renderer.plane_maps(start.plane)
    report(1.0, "Ready")
    return Prepared(sim, suggested)


def event_toast(e: Event, guided: bool) -> tuple[str, tuple[int, int, int]] | None:
    """A short, calm message for an event, or None for events that need no message."""
    name = e.structure.replace("_", " ")
    colour = theme.DANGER if e.critical else theme.WARN
    messages = {
        EventKind.SKIN_PUNCTURE: ("Skin punctured", theme.TEXT),
        EventKind.BONE_CONTACT: (f"Bone contact: {name}", theme.TEXT),
        EventKind.PLEURA_CONTACT: ("The tip is touching the pleura", theme.WARN),
        EventKind.PLEURA_PUNCTURE: ("Pleura punctured", theme.DANGER),
        EventKind.VESSEL_CONTACT: (f"The tip is touching a vessel ({name})", theme.WARN),
        EventKind.VESSEL_PUNCTURE: (f"Vessel punctured: {name}", colour),
        EventKind.NERVE_CONTACT: (f"Nerve contact ({name}): the patient feels a jolt", theme.WARN),
        EventKind.NEURAXIS_ENTRY: (f"The tip entered the {name}", theme.DANGER),
        EventKind.FORAMEN_ENTRY: (f"The tip entered the {name}", theme.DANGER),
        EventKind.TISSUE_DRAG: ("Large redirection at depth: withdraw before redirecting", theme.WARN),
        EventKind.NEEDLE_OUT: ("Needle out of the skin", theme.TEXT),
    }
    if e.kind == EventKind.TARGET_ENTRY and guided:
        return "The tip is in the target zone", theme.OK
    if e.kind == EventKind.INJECTION and e.critical:
        return "Injecting into a vessel", theme.DANGER
    return messages.get(e.kind)


class AttemptScreen(Screen):
    """An attempt on one scenario: subclasses decide who drives the simulation and fill the panel."""

    top_buttons: tuple[str, ...] = ()

    def __init__(self, app: App, prepared: Prepared, guided: bool) -> None:
        super().__init__(app)
        self.sc = prepared.sc
        self.sim = prepared.sim
        self.plan = prepared.plan
        self.guided = guided
        self.path = ((self.plan.entry_x_mm, 0.0), self.sc.goal.point)
        self.image = ImageView()
        self.outside = ExternalView()
        self.back = BackView()
        self.side = SidePanel()
        self.top_bar = pygame.Rect(0, 0, 0, 0)
        self.image_region = pygame.Rect(0, 0, 0, 0)
        self.toasts = Toasts()
        self.seen_events = 0
        self.names = axis_names(self.sc)
        self.regions = Regions()
        self._formed: FormedImage | None = None
        self.colour_box = ColourBoxControl()
        self.worker = ImageWorker(self.sim.renderer)
        others = [p for p in self.sc.planes if p is not self.sim.plane]
        self.warmer = PlaneWarmer(self.sim.renderer, others)

    @property
    def panel(self) -> pygame.Rect:
        return self.side.rect

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        s = self.fonts.scale
        pad, top = round(12 * s), self.top_height()
        widest = self.fonts.regular(15).size(WIDEST_PANEL_LINE)[0] + round(40 * s)  # text stops shrinking
        panel_w = min(max(round(300 * s), widest), w // 3)
        strip_h = round(max(110 * s, 0.16 * h))
        self.top_bar = pygame.Rect(0, 0, w, top)
        self.side.layout(pygame.Rect(w - pad - panel_w, top, panel_w, h - top - pad), self.fonts)
        label_h = self.fonts.regular(14).get_linesize() + 6
        scale_w = round(44 * s)
        self.image_region = pygame.Rect(0, top, self.panel.left - pad, h - top - strip_h - 2 * pad)
        self.side.forget()
        area = pygame.Rect(  # room above for the orientation, below for the deepest depth label
            pad,
            top + label_h,
            self.image_region.width - pad - scale_w,
            self.image_region.height - 3 * label_h // 2,
        )
        self.image.layout(area, FRAME_SIZE)
        strip = pygame.Rect(pad, h - pad - strip_h, self.panel.left - 2 * pad, strip_h)
        back_w = min(round(strip_h * BACK_ASPECT), strip.width * 2 // 5)
        self.back.layout(pygame.Rect(strip.right - back_w, strip.top, back_w, strip_h), self.sc)
        strip.width -= back_w + pad
        self.outside.layout(strip, self.sc.x_range_mm, self.fonts.regular(14).get_linesize())
        self.place_top_buttons(pad)
        self.regions.forget()

    def top_height(self) -> int:
        return round(12 * self.fonts.scale) * 2 + self.row_height() - round(8 * self.fonts.scale)

    def place_top_buttons(self, pad: int) -> None:
        """The top bar's buttons, as wide as their labels, right-aligned where the panel begins."""
        row = self.top_height() - 2 * pad
        gap = round(8 * self.fonts.scale)
        font = self.fonts.regular(15)
        right = self.panel.left - pad
        for name in reversed(self.top_buttons):
            b = self.button(name)
            bw = font.size(b.label)[0] + round(28 * self.fonts.scale)
            b.rect = pygame.Rect(right - bw, pad, bw, row)
            right -= bw + gap

    # ------------------------------------------------------------------ time
    def update(self, dt_s: float) -> None:
        self.drive(dt_s)
        self._toast_new_events()
        self.toasts.update(dt_s)

    def drive(self, dt_s: float) -> None:
        """Apply this step's inputs and step the simulation."""
        self.sim.step(dt_s)

    def _toast_new_events(self) -> None:
        for e in self.sim.events[self.seen_events :]:
            message = event_toast(e, self.guided)
            if message is not None:
                self.toasts.show(*message)
        self.seen_events = len(self.sim.events)

    def animating(self) -> bool:
        return True

    def close(self) -> None:
        self.warmer.close()
        self.worker.close()

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        self.regions.forget()
        self.side.forget()
        surface.fill(theme.BACKGROUND)
        self.draw_changes(surface)

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Hand the image to the worker, draw what changed around it, then the image."""
        speed = self.colour_box.probe_speed(self.sim)
        view = self.sim.view(*FRAME_SIZE)
        self.worker.submit(ImageJob(view, self.image.rect.size, self.colour_box.box, speed))
        buttons = {b.name: b for b in self.buttons}
        self.side.arrange(self.panel_rows(), buttons, self.fonts)
        top_key = tuple(self.button(n).state() for n in self.top_buttons)
        painted = [
            self.regions.paint(surface, "top", self.top_bar, top_key, self.draw_top),
            self.regions.paint(surface, "outside", self.outside.rect, self.outside_key(), self.draw_outside),
            self.regions.paint(surface, "back", self.back.rect, self.back_key(), self.draw_back),
            *self.side.draw_changes(surface, buttons, self.fonts),
        ]
        deadline = self.app.frame_deadline
        wait_s = 10.0 if deadline is None else deadline - time.perf_counter()
        self._formed = self.worker.take(wait_s, give_up_early=deadline is not None)
        painted.append(self._paint_image(surface))
        return [r for r in painted if r is not None]

    def _paint_image(self, surface: pygame.Surface) -> pygame.Rect | None:
        """The depth scale and orientation around the image when they change; the image (with its
        overlays) when a new one is formed. Returns the rectangle drawn, if any."""
        p = self.sim.probe
        frame_key = (p.depth_mm, p.kind, tuple(self.image.rect), self.fonts.scale)
        around = self.regions.paint(surface, "frame", self.image_region, frame_key, self.draw_frame)
        if around is not None:
            self.regions.forget("image")
        key = (id(self._formed), self.guide_alpha(), self.toasts.key(), self.badge())
        inside = self.regions.paint(surface, "image", self.image.rect, key, self.draw_image, clear=False)
        return around or inside

    def draw_frame(self, surface: pygame.Surface) -> None:
        frame_shape = (FRAME_SIZE[1], FRAME_SIZE[0])
        self.image.draw_scale(surface, self.sim, frame_shape, self.fonts, self.names[0], self.names[1])

    def draw_image(self, surface: pygame.Surface) -> None:
        frame_shape = (FRAME_SIZE[1], FRAME_SIZE[0])
        self.image.draw_image(surface, self._formed, mirrored=self.sim.image_mirrored)
        if self.sim.probe.doppler:
            self.colour_box.draw_scale(surface, self.image.rect, self.fonts)
        self.image.draw_guides(
            surface, self.sim, frame_shape, self.sc, self.path, self.guide_alpha(), self.fonts
        )
        self.toasts.draw(
            surface, self.fonts.regular(16), (self.image.rect.centerx, self.image.rect.bottom - 12)
        )
        if self.badge():
            at = (self.image.rect.left + 8, self.image.rect.top + 8)
            text(surface, self.fonts.bold(15), self.badge(), at, theme.WARN)

    def outside_key(self) -> tuple[object, ...]:
        marker = self.entry_marker()
        shown = None if marker is None else (marker.x_mm, marker.skin_angle_deg, marker.toward_plus_x)
        return (self.sim.probe, self.sim.needle, shown, self.suggested_entry(), self.fonts.scale)

    def draw_outside(self, surface: pygame.Surface) -> None:
        self.outside.draw(
            surface, self.sim, self.entry_marker(), self.suggested_entry(), self.fonts, self.names[:2]
        )

    def back_key(self) -> tuple[object, ...]:
        return (self.sim.pose, self.sim.needle, self.sim.probe.depth_mm, self.detail(), self.fonts.scale)

    def draw_back(self, surface: pygame.Surface) -> None:
        self.back.draw(surface, self.sim, self.detail(), self.fonts)

    def draw_top(self, surface: pygame.Surface) -> None:
        pad = round(12 * self.fonts.scale)
        font = self.fonts.bold(20)
        left_of = min((self.button(n).rect.left for n in self.top_buttons), default=self.panel.left)
        title = fit(font, f"{self.sc.title} · {self.sc.level}", left_of - 3 * pad)
        text(surface, font, title, (pad, self.top_bar.centery), anchor="midleft")
        small = self.fonts.regular(15)
        for name in self.top_buttons:
            self.button(name).draw(surface, small)

    # ------------------------------------------------------------------ for subclasses
    def panel_rows(self) -> tuple[Row, ...]:
        """What the side panel shows now."""
        return ()

    def guide_alpha(self) -> float:
        return 0.0

    def detail(self) -> str:
        """The difficulty the landmarks are shown for: "guided", "standard" or "exam"."""
        return "guided" if self.guided else "standard"

    def badge(self) -> str:
        """A word over the image's corner about how the controls behave now (fine control)."""
        return ""

    def entry_marker(self) -> EntryMarker | None:
        return None

    def suggested_entry(self) -> tuple[float, float] | None:
        """The suggested entry point and skin angle, when the trainee may see it."""
        return None
