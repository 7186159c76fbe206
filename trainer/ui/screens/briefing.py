"""Briefing: the labelled cross-section with target and hazards, the approach, and the keys (skippable)."""

from __future__ import annotations

import random

import pygame

import trainer
from trainer.autopilot import plan
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.bindings import intent_label
from trainer.ui.diagram import draw_briefing
from trainer.ui.screen import Screen
from trainer.ui.widgets import Button, panel, paragraph, text

KEY_SUMMARY = (
    "probe_left",
    "probe_right",
    "probe_minus_y",
    "probe_plus_y",
    "advance",
    "withdraw",
    "steeper",
    "flatter",
    "inject",
    "help",
)


def approach_sentence(sc: trainer.Scenario) -> str:
    low, high = sc.approach.angle_range_deg
    side = {
        "cranial": "cranial to caudal",
        "caudal": "caudal to cranial",
        "lateral": "lateral to medial",
        "medial": "medial to lateral",
    }[sc.approach.entry_side]
    return (
        f"In plane, {side}, {low:.0f}-{high:.0f} deg to the skin. {sc.needle.gauge} G "
        f"{sc.needle.length_mm:.0f} mm needle; {sc.goal.volume_ml:g} mL. "
        f"{sc.probe.kind.capitalize()} probe, {sc.probe.frequency_mhz:g} MHz."
    )


def exam_variant() -> int:
    """A random anatomical variant for an exam attempt (never the canonical one)."""
    return random.SystemRandom().randint(1, 999)


class BriefingScreen(Screen):
    def __init__(self, app: App, scenario_id: str) -> None:
        super().__init__(app)
        session = app.records.session
        self.difficulty = session.difficulty if session is not None else app.settings.difficulty
        self.seed = session.seed if session is not None else None
        if session is not None:
            self.variant = session.variant  # everyone in the session gets the same anatomy
        else:
            self.variant = exam_variant() if self.difficulty == "exam" else 0
        self.sc = trainer.load_scenario(scenario_id, variant=self.variant)
        self.title = f"{self.sc.title} · {self.sc.level}"
        p = plan(self.sc)
        self.path = ((p.entry_x_mm, 0.0), self.sc.goal.point)
        self.diagram = pygame.Rect(0, 0, 0, 0)
        self.buttons = [Button("start", "Start (Enter)", self.begin), Button("back", "Back", self.back)]

    def begin(self) -> None:
        from trainer.ui.screens.procedure import open_procedure

        self.app.show(open_procedure(self.app, self.sc.id, self.variant, self.seed, self.difficulty))

    def back(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.show(MenuScreen(self.app))

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.begin()
            elif event.key == pygame.K_ESCAPE:
                self.back()

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        top = pad + round(56 * self.fonts.scale)
        self.diagram = pygame.Rect(pad, top, round((w - 3 * pad) * 0.6), h - top - 2 * pad - row)
        bw = round(170 * self.fonts.scale)
        self.button("start").rect = pygame.Rect(w - pad - bw, h - pad - row, bw, row)
        self.button("back").rect = pygame.Rect(w - 2 * pad - 2 * bw, h - pad - row, bw, row)

    def draw_body(self, surface: pygame.Surface) -> None:
        panel(surface, self.diagram.inflate(8, 8))
        if self.difficulty == "exam":
            paragraph(
                surface,
                self.fonts.regular(18),
                "Exam: a random anatomical variant, no overlays, "
                "no hints, no pause, and a time limit. The diagram is withheld.",
                self.diagram.inflate(-40, -40),
                theme.MUTED,
            )
        else:
            draw_briefing(surface, self.diagram, self.sc, self.fonts, self.path)
        w = surface.get_width()
        col = pygame.Rect(
            self.diagram.right + 2 * self.pad,
            self.diagram.top,
            w - self.diagram.right - 3 * self.pad,
            self.diagram.height,
        )
        body, head = self.fonts.regular(15), self.fonts.bold(17)
        y = col.top
        hazards = ", ".join(sorted({n.replace("_", " ") for n in self.sc.critical}))
        for heading, words in (
            ("Why", self.sc.summary),
            ("Target", self.sc.goal.description),
            ("Approach", approach_sentence(self.sc)),
            ("Avoid", hazards),
        ):
            text(surface, head, heading, (col.left, y), theme.ACCENT)
            y = (
                paragraph(
                    surface,
                    body,
                    words,
                    pygame.Rect(col.left, y + head.get_linesize(), col.width, col.bottom - y),
                )
                + 8
            )
        text(surface, head, "Keys (F1 shows all, mouse drives the needle)", (col.left, y), theme.ACCENT)
        y += head.get_linesize() + 4
        keys = self.app.bindings
        for name in KEY_SUMMARY:
            if y > col.bottom - body.get_linesize():
                break
            label = intent_label(name, self.sc)
            text(surface, self.fonts.mono(14), f"{keys.key_name(name):>9}", (col.left, y), theme.TEXT)
            text(surface, body, label, (col.left + round(110 * self.fonts.scale), y), theme.MUTED)
            y += body.get_linesize() + 2
