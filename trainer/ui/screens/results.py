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
from trainer.ui.complications import record_complications
from trainer.ui.screen import Screen
from trainer.ui.screens.replay_view import ReplayView
from trainer.ui.text_column import Block, TextColumn, heading, para, row
from trainer.ui.widgets import Button, panel, paragraph, paragraph_height, text


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
    cards = [c.text() for c in record_complications(record)]  # the cards shown during the attempt
    sections = (
        ("Critical events", critical, theme.DANGER),
        ("Complications", cards, theme.WARN),
        ("What to work on", list(record.get("feedback", [])), theme.TEXT),
        ("Strengths", list(record.get("strengths", [])), theme.OK),
    )
    out: list[tuple[str, str, tuple[int, int, int]]] = []
    for title, items, colour in sections:
        if items:
            out.append(("heading", title, theme.ACCENT))
            out.extend(("item", item, colour) for item in items)
    return out


FOOTER = ("again", "next", "export_csv", "export_json", "export_xapi", "retry_save", "menu")


class ResultsScreen(Screen):
    """Score and verdict, feedback and metrics (each scrolls), the replay, and the way on."""

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
        self.replay.button("enlarge").on_click = self.toggle_enlarged
        self.feedback = TextColumn()
        self.metrics = TextColumn()
        self.boxes: dict[str, pygame.Rect] = {}
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
        self.layout(self.app.window.get_size())

    def retry(self) -> None:
        outcomes = self.app.records.retry()
        if outcomes and all(o.saved for o in outcomes):
            self.message = "Saved."
            self.button("retry_save").enabled = False
        elif outcomes:
            self.message = outcomes[-1].message
        self.layout(self.app.window.get_size())

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.leave()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_e:
            self.toggle_enlarged()
        elif not (self.feedback.handle(event) or self.metrics.handle(event)):
            self.replay.handle(event)

    def toggle_enlarged(self) -> None:
        """The replay's image over the whole screen body, or back beside the feedback (E)."""
        self.replay.toggle_enlarged()
        self.layout(self.app.window.get_size())

    def update(self, dt_s: float) -> None:
        self.replay.update(dt_s)

    def animating(self) -> bool:
        return self.replay.playing

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """Header; feedback and metrics side by side (stacked on a narrow window) over the replay;
        the footer's buttons wrap onto a second line when they need to; messages above them."""
        w, h = size
        pad = self.pad
        footer_top = self._place_footer(w, h)
        message_h = paragraph_height(self.fonts.regular(14), self.message, w - 2 * pad) if self.message else 0
        self.boxes["message"] = pygame.Rect(pad, footer_top - pad // 2 - message_h, w - 2 * pad, message_h)
        top = pad + self.fonts.bold(28).get_linesize() + self.fonts.bold(30).get_linesize() + pad // 2
        bottom = self.boxes["message"].top - pad // 2
        if self.replay.enlarged:
            self.replay.layout(pygame.Rect(pad, top, w - 2 * pad, bottom - top))
            self.boxes["feedback"] = self.boxes["metrics"] = pygame.Rect(0, 0, 0, 0)
            return
        split = top + (bottom - top) // 2
        self.replay.layout(pygame.Rect(pad, split + pad // 2, w - 2 * pad, bottom - split - pad // 2))
        summary = pygame.Rect(pad, top, w - 2 * pad, split - top)
        self._place_summary(summary)

    def _place_footer(self, w: int, h: int) -> int:
        """The footer buttons, as wide as their labels, on as many lines as they need (from the
        bottom up); returns the top of the footer."""
        pad, row, gap = self.pad, self.row_height(), round(8 * self.fonts.scale)
        font = self.fonts.regular(16)
        widths = [font.size(self.button(n).label)[0] + round(32 * self.fonts.scale) for n in FOOTER]
        lines: list[list[int]] = [[]]
        used = 0
        for i, bw in enumerate(widths):
            if lines[-1] and used + bw > w - 2 * pad:
                lines.append([])
                used = 0
            lines[-1].append(i)
            used += bw + gap
        top = h - pad - len(lines) * row - (len(lines) - 1) * gap
        for n, line in enumerate(lines):
            x = pad
            for i in line:
                self.button(FOOTER[i]).rect = pygame.Rect(x, top + n * (row + gap), widths[i], row)
                x += widths[i] + gap
        return top

    def _place_summary(self, area: pygame.Rect) -> None:
        pad = self.pad
        wide = area.width >= round(900 * self.fonts.scale)
        if wide:
            third = area.width // 3
            self.boxes["feedback"] = pygame.Rect(area.left, area.top, 2 * third - pad // 2, area.height)
            self.boxes["metrics"] = pygame.Rect(
                area.left + 2 * third + pad // 2, area.top, third - pad // 2, area.height
            )
        else:
            half = area.height // 2
            self.boxes["feedback"] = pygame.Rect(area.left, area.top, area.width, half - pad // 4)
            self.boxes["metrics"] = pygame.Rect(
                area.left, area.top + half + pad // 4, area.width, half - pad // 4
            )
        inset = round(12 * self.fonts.scale)
        self.feedback.layout(
            self.boxes["feedback"].inflate(-2 * inset, -2 * inset), self._feedback_blocks(), self.fonts
        )
        self.metrics.layout(
            self.boxes["metrics"].inflate(-2 * inset, -2 * inset), self._metric_blocks(), self.fonts, 14
        )

    def _feedback_blocks(self) -> list[Block]:
        """Critical events, then what to work on, then strengths."""
        blocks: list[Block] = []
        for kind, words, colour in feedback_lines(self.record):
            blocks.append(heading(words) if kind == "heading" else para(words, colour, bullet=True))
        return blocks or [para("No feedback for this attempt.", theme.MUTED)]

    def _metric_blocks(self) -> list[Block]:
        """Sub-scores, then every metric with its standing among expert runs."""
        last_px = self.fonts.regular(14).size("expert pct")[0] + 4
        blocks = [row("Metrics", "", "expert pct", last_px)]
        subscores = self.record.get("subscores") or {}
        if subscores:
            blocks.append(para(" · ".join(f"{k} {v:.0f}" for k, v in subscores.items())))
        blocks += [row(label, value, rank, last_px) for label, value, rank in metric_rows(self.record)]
        return blocks

    # ------------------------------------------------------------------ drawing
    def draw_body(self, surface: pygame.Surface) -> None:
        words, colour = headline(self.record)
        y = self.pad + self.fonts.bold(28).get_linesize()
        text(surface, self.fonts.bold(30), words, (self.pad, y), colour)
        verdict = "PASS" if self.record.get("passed") else "FAIL"
        text(surface, self.fonts.bold(30), verdict, (surface.get_width() - self.pad, y), colour, "topright")
        if not self.replay.enlarged:
            for name, column in (("feedback", self.feedback), ("metrics", self.metrics)):
                panel(surface, self.boxes[name], name=name)
                column.draw(surface, self.fonts, 14 if name == "metrics" else 15)
        self.replay.draw(surface)
        if self.message:
            paragraph(surface, self.fonts.regular(14), self.message, self.boxes["message"], theme.WARN)
