"""Results: score and band, pass or fail, critical events, feedback, metrics, and the attempt replayed."""

from __future__ import annotations

from functools import partial
from typing import Any

import pygame

import trainer
from trainer.errors import TrainerError
from trainer.imaging import Renderer
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


UNIT_SUFFIXES = {"s", "mm", "mm2", "pct", "deg", "ml"}
UNSHOWN_UNITS = {"count", "bool", "ratio", "class"}


def metric_label(name: str) -> str:
    """'tip_visible_pct' -> 'tip visible': the unit goes in the value column."""
    words = name.split("_")
    return " ".join(words[:-1] if len(words) > 1 and words[-1] in UNIT_SUFFIXES else words)


def metric_rows(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, value with unit, standing among experts) for every metric, in the record's order."""
    units = record.get("metric_units") or {}
    standing = record.get("standing") or {}
    rows = []
    for name, value in (record.get("metrics") or {}).items():
        unit = units.get(name, "")
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, float):
            shown = f"{value:.1f}"
        else:
            shown = str(value).replace("_", " ")
        if unit and unit not in UNSHOWN_UNITS:
            shown = f"{shown} {unit}"
        rank = standing.get(name)
        rows.append((metric_label(name), shown, "" if rank is None else f"{rank:.0f}"))
    return rows


def feedback_lines(record: dict[str, Any]) -> list[tuple[str, str, tuple[int, int, int]]]:
    """("heading" or "item", words, colour) for the feedback panel, in reading order."""
    critical = [
        f"{e['kind'].replace('_', ' ')} at {e['time_s']:.1f} s ({e['structure'].replace('_', ' ')})"
        for e in record.get("events", [])
        if e.get("critical")
    ]
    sections = (
        ("Critical events", critical, theme.DANGER),
        ("What to work on", list(record.get("feedback", [])), theme.TEXT),
        ("Strengths", list(record.get("strengths", [])), theme.OK),
    )
    out: list[tuple[str, str, tuple[int, int, int]]] = []
    for heading, items, colour in sections:
        if items:
            out.append(("heading", heading, theme.ACCENT))
            out.extend(("item", item, colour) for item in items)
    return out


class ResultsScreen(Screen):
    def __init__(
        self,
        app: App,
        record: dict[str, Any],
        outcome: SaveOutcome | None,
        back: Screen | None = None,
        renderer: Renderer | None = None,
    ) -> None:
        super().__init__(app)
        self.record = record
        self.outcome = outcome
        self.back_to = back
        sid = record["scenario"]["id"]
        self.sc = trainer.load_scenario(sid)
        self.title = f"Results · {self.sc.title}"
        self.message = "" if outcome is None or outcome.saved else outcome.message
        self.replay = ReplayView(app, record, renderer)
        self.metrics_rect = pygame.Rect(0, 0, 0, 0)
        self.metrics_scroll = 0
        self.feedback_rect = pygame.Rect(0, 0, 0, 0)
        self.feedback_scroll = 0
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
        elif event.type == pygame.MOUSEWHEEL and self.metrics_rect.collidepoint(pygame.mouse.get_pos()):
            self.metrics_scroll = max(0, self.metrics_scroll - 3 * event.y)
        elif event.type == pygame.MOUSEWHEEL and self.feedback_rect.collidepoint(pygame.mouse.get_pos()):
            self.feedback_scroll = max(0, self.feedback_scroll - event.y)
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
        """Critical events, then what to work on, then strengths; the wheel scrolls a long list."""
        self.feedback_rect = rect
        panel(surface, rect)
        inner = rect.inflate(-24, -20)
        body, head = self.fonts.regular(15), self.fonts.bold(16)
        lines = feedback_lines(self.record)
        self.feedback_scroll = max(0, min(self.feedback_scroll, len(lines) - 1))
        y = inner.top
        for kind, words, colour in lines[self.feedback_scroll :]:
            if y > inner.bottom - body.get_linesize():
                text(
                    surface,
                    self.fonts.regular(13),
                    "more below (wheel)",
                    (rect.right - 12, rect.bottom - 4),
                    theme.MUTED,
                    "bottomright",
                )
                break
            if kind == "heading":
                text(surface, head, words, (inner.left, y), theme.ACCENT)
                y += head.get_linesize() + 2
            else:
                box = pygame.Rect(inner.left, y, inner.width, inner.bottom - y)
                y = paragraph(surface, body, f"• {words}", box, colour, spacing=1.15) + 4

    def _metrics(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Sub-scores, then every metric with its standing among expert runs (scroll with the wheel)."""
        self.metrics_rect = rect
        panel(surface, rect)
        body, small = self.fonts.regular(14), self.fonts.regular(13)
        line = body.get_linesize() + 2
        y = rect.top + 10
        text(surface, self.fonts.bold(16), "Metrics", (rect.left + 12, y), theme.ACCENT)
        text(surface, small, "expert pct", (rect.right - 12, y + 2), theme.MUTED, "topright")
        y += line + 6
        subscores = self.record.get("subscores") or {}
        if subscores:
            words = " · ".join(f"{k} {v:.0f}" for k, v in subscores.items())
            text(surface, small, words, (rect.left + 12, y), theme.TEXT)
            y += line + 4
        rows = metric_rows(self.record)
        fits = max(1, (rect.bottom - 10 - y) // line)
        self.metrics_scroll = max(0, min(self.metrics_scroll, len(rows) - fits))
        value_right = rect.right - round(70 * self.fonts.scale)
        for label, value, rank in rows[self.metrics_scroll : self.metrics_scroll + fits]:
            text(surface, body, label, (rect.left + 12, y), theme.MUTED)
            text(surface, body, value, (value_right, y), theme.TEXT, "topright")
            text(surface, body, rank, (rect.right - 12, y), theme.MUTED, "topright")
            y += line
        if len(rows) > fits:
            last = min(len(rows), self.metrics_scroll + fits)
            more = f"{self.metrics_scroll + 1}-{last} of {len(rows)} (wheel)"
            text(surface, small, more, (rect.right - 12, rect.bottom - 4), theme.MUTED, "bottomright")
