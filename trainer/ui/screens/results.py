"""Results: score and band, pass or fail, critical events, feedback, metrics, and the attempt replayed."""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame

import trainer
from trainer.errors import TrainerError
from trainer.records import exports
from trainer.records.store import SaveOutcome
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.screens.replay_view import ReplayView
from trainer.ui.widgets import Button, panel, paragraph, text


def headline(record: dict[str, Any]) -> tuple[str, tuple[int, int, int]]:
    score = record.get("score")
    band = record.get("band") or ""
    shown = "-" if score is None else f"{score:.0f}"
    colour = theme.OK if record.get("passed") else theme.DANGER
    return f"{shown} / 100  {band}".strip(), colour


def metric_rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, value with unit) for the metric table, in the record's order."""
    units = record.get("metric_units") or {}
    rows = []
    for name, value in (record.get("metrics") or {}).items():
        unit = units.get(name, "")
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, float):
            shown = f"{value:.1f}"
        else:
            shown = str(value)
        rows.append((name.replace("_", " "), f"{shown} {unit}".strip()))
    return rows


class ResultsScreen(Screen):
    def __init__(
        self, app: App, record: dict[str, Any], outcome: SaveOutcome | None, back: Screen | None = None
    ) -> None:
        super().__init__(app)
        self.record = record
        self.outcome = outcome
        self.back_to = back
        sid = record["scenario"]["id"]
        self.sc = trainer.load_scenario(sid)
        self.title = f"Results · {self.sc.title}"
        self.message = "" if outcome is None or outcome.saved else outcome.message
        self.replay = ReplayView(app, record)
        ids = trainer.list_scenarios()
        self.next_id = ids[(ids.index(sid) + 1) % len(ids)] if sid in ids else ids[0]
        self.buttons = [
            Button("again", "Try again", self.again),
            Button("next", "Next scenario", self.next),
            *[
                Button(f"export_{fmt}", f"Export {label}", partial(self.export, fmt))
                for fmt, label in (("csv", "CSV"), ("json", "JSON"), ("xapi", "xAPI"))
            ],
            Button("menu", "Menu" if back is None else "Back", self.leave),
            Button("retry_save", "Retry saving", self.retry, enabled=bool(self.message)),
            *self.replay.buttons,
        ]

    # ------------------------------------------------------------------ actions
    def again(self) -> None:
        from trainer.ui.screens.briefing import BriefingScreen

        self.app.show(BriefingScreen(self.app, self.sc.id))

    def next(self) -> None:
        from trainer.ui.screens.briefing import BriefingScreen

        self.app.show(BriefingScreen(self.app, self.next_id))

    def leave(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.show(self.back_to or MenuScreen(self.app))

    def export(self, fmt: str) -> None:
        from trainer.ui.screens.history import export_folder

        folder = export_folder(self.app)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = exports.export_records(self.app.records.store, [self.record], folder, fmt)
            self.message = f"Saved {path}"
        except (TrainerError, OSError) as exc:
            self.message = f"Export failed: {exc}"

    def retry(self) -> None:
        outcomes = self.app.records.retry()
        if outcomes and all(o.saved for o in outcomes):
            self.message = "Saved."
            self.button("retry_save").enabled = False
        elif outcomes:
            self.message = outcomes[-1].message

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.leave()
        else:
            self.replay.handle(event)

    def update(self, dt_s: float) -> None:
        self.replay.update(dt_s)

    # ------------------------------------------------------------------ layout and drawing
    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        names = ["again", "next", "export_csv", "export_json", "export_xapi", "retry_save", "menu"]
        bw = (w - 2 * pad - (len(names) - 1) * 8) // len(names)
        for i, name in enumerate(names):
            self.button(name).rect = pygame.Rect(pad + i * (bw + 8), h - pad - row, bw, row)
        top = pad + round(96 * self.fonts.scale)
        split = top + (h - top - row - 2 * pad) // 2
        self.summary_area = pygame.Rect(pad, top, w - 2 * pad, split - top - pad // 2)
        self.replay.layout(pygame.Rect(pad, split, w - 2 * pad, h - split - row - 2 * pad))

    def draw_body(self, surface: pygame.Surface) -> None:
        words, colour = headline(self.record)
        text(surface, self.fonts.bold(30), words, (self.pad, self.pad + round(44 * self.fonts.scale)), colour)
        verdict = "PASS" if self.record.get("passed") else "FAIL"
        text(
            surface,
            self.fonts.bold(30),
            verdict,
            (surface.get_width() - self.pad, self.pad + round(44 * self.fonts.scale)),
            colour,
            "topright",
        )
        area = self.summary_area
        third = area.width // 3
        self._feedback(surface, pygame.Rect(area.left, area.top, 2 * third - self.pad, area.height))
        self._metrics(surface, pygame.Rect(area.left + 2 * third, area.top, third, area.height))
        self.replay.draw(surface)
        if self.message:
            menu = self.button("menu").rect
            text(
                surface,
                self.fonts.regular(14),
                self.message,
                (menu.right, menu.top - 8),
                theme.WARN,
                "bottomright",
            )

    def _feedback(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        panel(surface, rect)
        inner = rect.inflate(-24, -20)
        y = inner.top
        body, head = self.fonts.regular(15), self.fonts.bold(16)
        critical = [e for e in self.record.get("events", []) if e.get("critical")]
        sections = (
            (
                "Critical events",
                [
                    f"{e['kind'].replace('_', ' ')} at {e['time_s']:.1f} s "
                    f"({e['structure'].replace('_', ' ')})"
                    for e in critical
                ],
                theme.DANGER,
            ),
            ("What to work on", list(self.record.get("feedback", [])), theme.TEXT),
            ("Strengths", list(self.record.get("strengths", [])), theme.OK),
        )
        for heading, lines, colour in sections:
            if not lines or y > inner.bottom - body.get_linesize():
                continue
            text(surface, head, heading, (inner.left, y), theme.ACCENT)
            y += head.get_linesize() + 2
            for line in lines:
                y = (
                    paragraph(
                        surface,
                        body,
                        f"• {line}",
                        pygame.Rect(inner.left, y, inner.width, inner.bottom - y),
                        colour,
                        spacing=1.15,
                    )
                    + 4
                )

    def _metrics(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        panel(surface, rect)
        body = self.fonts.regular(14)
        y = rect.top + 10
        text(surface, self.fonts.bold(16), "Metrics", (rect.left + 12, y), theme.ACCENT)
        y += body.get_linesize() + 8
        for name, value in metric_rows(self.record):
            if y > rect.bottom - body.get_linesize():
                break
            text(surface, body, name, (rect.left + 12, y), theme.MUTED)
            text(surface, body, value, (rect.right - 12, y), theme.TEXT, "topright")
            y += body.get_linesize() + 2
