"""What every attempt screen shares: the image, the outside view, the side panel and calm event toasts."""

from __future__ import annotations

from dataclasses import replace

import pygame

import trainer
from trainer.autopilot import plan
from trainer.events import Event, EventKind
from trainer.imaging import View, doppler_rgba
from trainer.orientation import axis_names
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.controls import EntryMarker
from trainer.ui.external_view import ExternalView
from trainer.ui.image_view import ImageView
from trainer.ui.screen import Screen
from trainer.ui.widgets import Toasts, panel, text


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
    """An attempt on one scenario: subclasses decide who drives the simulation."""

    def __init__(self, app: App, scenario_id: str, variant: int, seed: int, guided: bool) -> None:
        super().__init__(app)
        self.sc = trainer.load_scenario(scenario_id, variant=variant)
        self.sim = self.make_simulation(seed)
        self.guided = guided
        p = plan(self.sc)
        self.path = ((p.entry_x_mm, 0.0), self.sc.goal.point)
        self.image = ImageView()
        self.outside = ExternalView()
        self.panel = pygame.Rect(0, 0, 0, 0)
        self.toasts = Toasts()
        self.seen_events = 0
        self.frame_shape = (480, 640)
        self.names = axis_names(self.sc)
        self.warm_up()

    def make_simulation(self, seed: int) -> Simulation:
        return trainer.Simulation(self.sc, seed=seed)

    def warm_up(self) -> None:
        """Build the renderer's caches for every plane now (a short wait while the screen opens),
        so the first slide into another view does not stall a frame."""
        for plane in self.sc.planes:
            probe = replace(self.sim.probe, y_mm=plane.y_mm)
            view = View(plane, probe, self.sim.needle, self.sim.injectate, self.sim.time_s)
            self.sim.renderer.render(view)

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad = round(12 * self.fonts.scale)
        top = round(56 * self.fonts.scale)
        panel_w = round(300 * self.fonts.scale)
        strip_h = round(110 * self.fonts.scale)
        self.panel = pygame.Rect(w - pad - panel_w, top, panel_w, h - top - pad)
        area = pygame.Rect(
            pad,
            top + round(24 * self.fonts.scale),
            self.panel.left - 3 * pad - 30,
            h - top - strip_h - 3 * pad - round(24 * self.fonts.scale),
        )
        self.image.layout(area, (self.frame_shape[1], self.frame_shape[0]))
        self.outside.layout(
            pygame.Rect(pad, h - pad - strip_h, self.panel.left - 2 * pad, strip_h), self.sc.x_range_mm
        )
        self.place_buttons(pad, top)

    def place_buttons(self, pad: int, top: int) -> None:
        """Subclasses put their buttons in the top bar and the side panel."""

    # ------------------------------------------------------------------ frame
    def update(self, dt_s: float) -> None:
        self.drive(dt_s)
        self._toast_new_events()
        self.toasts.update(dt_s)

    def drive(self, dt_s: float) -> None:
        """Apply this frame's inputs and step the simulation."""
        self.sim.step(dt_s)

    def _toast_new_events(self) -> None:
        for e in self.sim.events[self.seen_events :]:
            message = event_toast(e, self.guided)
            if message is not None:
                self.toasts.show(*message)
        self.seen_events = len(self.sim.events)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BACKGROUND)
        frame = self.sim.render()
        if frame.shape != self.frame_shape:
            self.frame_shape = frame.shape
            self.layout(surface.get_size())
        doppler = None
        if self.sim.probe.doppler:
            doppler = doppler_rgba(self.sim.renderer, self.sim.view(frame.shape[1], frame.shape[0]))
        self.image.draw_frame(surface, frame, doppler)
        left, right = self.names[0], self.names[1]
        self.image.draw_scale(surface, self.sim, frame.shape, self.fonts, left, right)
        self.image.draw_guides(
            surface, self.sim, frame.shape, self.sc, self.path, self.guide_alpha(), self.fonts
        )
        self.outside.draw(surface, self.sim, self.entry_marker(), self.fonts, left, right)
        panel(surface, self.panel)
        self.draw_panel(surface)
        self.draw_top(surface)
        font = self.fonts.regular(15)
        for b in self.buttons:
            b.draw(surface, font)
        self.toasts.draw(
            surface, self.fonts.regular(16), (self.image.rect.centerx, self.image.rect.bottom - 12)
        )

    def guide_alpha(self) -> float:
        return 0.0

    def entry_marker(self) -> EntryMarker | None:
        return None

    def draw_top(self, surface: pygame.Surface) -> None:
        pad = round(12 * self.fonts.scale)
        text(surface, self.fonts.bold(20), f"{self.sc.title} · {self.sc.level}", (pad, pad))

    def draw_panel(self, surface: pygame.Surface) -> None:
        """Subclasses fill the side panel."""

    def panel_line(
        self,
        surface: pygame.Surface,
        y: int,
        label: str,
        value: str,
        colour: tuple[int, int, int] = theme.TEXT,
    ) -> int:
        body = self.fonts.regular(15)
        x = self.panel.left + round(14 * self.fonts.scale)
        text(surface, body, label, (x, y), theme.MUTED)
        text(surface, body, value, (self.panel.right - round(14 * self.fonts.scale), y), colour, "topright")
        return y + body.get_linesize() + 4

    def panel_heading(self, surface: pygame.Surface, y: int, heading: str) -> int:
        font = self.fonts.bold(16)
        text(surface, font, heading, (self.panel.left + round(14 * self.fonts.scale), y), theme.ACCENT)
        return y + font.get_linesize() + 4
