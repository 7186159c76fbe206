"""Briefing: the labelled cross-section with target and hazards, the approach, and the keys (skippable)."""

from __future__ import annotations

import random

import pygame

import trainer
from trainer.autopilot import plan
from trainer.level_start import COUNT_STARTS
from trainer.orientation import axis_names
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.bindings import intent_label
from trainer.ui.briefing_diagram import draw_briefing
from trainer.ui.screen import Screen
from trainer.ui.text_column import Block, TextColumn, heading, pair, para
from trainer.ui.widgets import Button, panel, paragraph

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


def exam_words(limit_s: float) -> str:
    return (
        f"Exam: a random anatomical variant, no overlays, no hints, no pause, and {limit_s / 60:g} minutes "
        "to finish (the attempt ends then). The diagram is withheld."
    )


class BriefingScreen(Screen):
    """The target, the approach and the hazards; the diagram (not in an exam); the main keys."""

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
        self.plan = plan(self.sc)
        self.diagram = pygame.Rect(0, 0, 0, 0)
        self.column = TextColumn()
        self.count_from: str | None = None  # a level-finding start (3D patient only)
        self.buttons = [Button("start", "Start (Enter)", self.begin), Button("back", "Back", self.back)]
        if self.sc.anatomy is not None:
            self.buttons.append(Button("count", self.count_label(), self.next_count_start))

    def count_label(self) -> str:
        start = next((s for s in COUNT_STARTS if s.name == self.count_from), None)
        return "Probe: at the level (L)" if start is None else f"Probe: {start.label} (L)"

    def next_count_start(self) -> None:
        """Cycle the probe's start: at the planned level, over the 12th rib, at C7."""
        names = [None, *(s.name for s in COUNT_STARTS)]
        self.count_from = names[(names.index(self.count_from) + 1) % len(names)]
        self.button("count").label = self.count_label()

    def begin(self) -> None:
        from trainer.ui.screens.procedure import open_procedure

        self.app.show(
            open_procedure(self.app, self.sc.id, self.variant, self.seed, self.difficulty, self.count_from)
        )

    def back(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.show(MenuScreen(self.app))

    def on_event(self, event: pygame.event.Event) -> None:
        if self.column.handle(event):
            return
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.begin()
            elif event.key == pygame.K_ESCAPE:
                self.back()
            elif event.key == pygame.K_l and self.sc.anatomy is not None:
                self.next_count_start()

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        top = pad + self.fonts.bold(28).get_linesize() + pad // 2
        bottom = h - 2 * pad - row
        self.diagram = pygame.Rect(pad, top, round((w - 3 * pad) * 0.6), bottom - top)
        bw = round(170 * self.fonts.scale)
        self.button("start").rect = pygame.Rect(w - pad - bw, h - pad - row, bw, row)
        self.button("back").rect = pygame.Rect(w - 2 * pad - 2 * bw, h - pad - row, bw, row)
        if self.sc.anatomy is not None:
            cw = round(300 * self.fonts.scale)
            self.button("count").rect = pygame.Rect(w - 3 * pad - 2 * bw - cw, h - pad - row, cw, row)
        column = pygame.Rect(
            self.diagram.right + 2 * pad, top, w - self.diagram.right - 3 * pad, bottom - top
        )
        self.column.layout(column, self.blocks(), self.fonts)

    def blocks(self) -> list[Block]:
        hazards = ", ".join(sorted({n.replace("_", " ") for n in self.sc.critical}))
        out: list[Block] = []
        if self.difficulty == "exam":
            out += [heading("Exam"), para(exam_words(self.app.settings.exam_time_limit_s), theme.WARN)]
        for title, words in (
            ("Why", self.sc.summary),
            ("Target", self.sc.goal.description),
            ("Approach", approach_sentence(self.sc)),
            ("Avoid", hazards),
        ):
            out += [heading(title), para(words)]
        out.append(
            heading(f"Keys ({self.app.bindings.key_name('help')} shows all; the mouse drives the needle)")
        )
        key_px = self.fonts.mono(14).size("PAGE DOWN ")[0]
        keys = self.app.bindings
        out += [
            pair(keys.key_name(name), intent_label(name, self.sc), key_px, mono=True) for name in KEY_SUMMARY
        ]
        return out

    def draw_body(self, surface: pygame.Surface) -> None:
        panel(surface, self.diagram.inflate(8, 8), name="diagram")
        if self.difficulty == "exam":
            words = exam_words(self.app.settings.exam_time_limit_s)
            paragraph(surface, self.fonts.regular(18), words, self.diagram.inflate(-40, -40), theme.MUTED)
        else:
            draw_briefing(surface, self.diagram, self.sc, self.fonts, self.plan, axis_names(self.sc)[:2])
        self.column.draw(surface, self.fonts)
