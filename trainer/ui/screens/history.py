"""History: the trainee's attempts over time per scenario, learning curves, and exports."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import Any

import platformdirs
import pygame

import trainer
from trainer.errors import TrainerError
from trainer.records import exports, plots, reports
from trainer.records.envelope import critical_events, score_of
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.widgets import Button, panel, text

ROWS_SHOWN = 14


def export_folder(app: App) -> Path:
    """Exports go to the user's documents folder (or the data folder if there is none)."""
    documents = platformdirs.user_documents_dir()
    base = Path(documents) if documents and Path(documents).is_dir() else app.data_dir
    return base / "Thoracic trainer exports"


ABBREVIATIONS = {"esp"}


def short_name(scenario_id: str) -> str:
    """'costovertebral_joint' -> 'Costovertebral', 'esp_block' -> 'ESP block'."""
    words = scenario_id.removesuffix("_joint").split("_")
    first = words[0].upper() if words[0] in ABBREVIATIONS else words[0].capitalize()
    return " ".join([first, *words[1:]])


PLOT_DPI = 110  # matplotlib's 10 pt text comes out at about 15 px: readable at 1366x768


def figure_surface(fig: Any) -> pygame.Surface:
    return pygame.image.load(io.BytesIO(plots.figure_png(fig, dpi=PLOT_DPI)), "curve.png").convert()


class HistoryScreen(Screen):
    title = "History"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.scenario: str | None = None
        self.message = ""
        self.rows: list[tuple[dict[str, Any], pygame.Rect]] = []
        self.plots: list[pygame.Surface] = []
        self.plot_area = pygame.Rect(0, 0, 0, 0)
        ids = trainer.list_scenarios()
        self.buttons = [
            Button("filter_all", "All", partial(self.choose, None)),
            *[Button(f"filter_{sid}", short_name(sid), partial(self.choose, sid)) for sid in ids],
            *[
                Button(f"export_{fmt}", label, partial(self.export, fmt))
                for fmt, label in (("csv", "CSV"), ("json", "JSON"), ("xapi", "xAPI"), ("pdf", "PDF report"))
            ],
            Button("back", "Back", self.back),
        ]
        self.choose(None)

    @property
    def records(self) -> list[dict[str, Any]]:
        everything = self.app.records.attempts(self.app.settings.trainee_id)
        return [r for r in everything if self.scenario is None or r["scenario"]["id"] == self.scenario]

    def choose(self, scenario_id: str | None) -> None:
        self.scenario = scenario_id
        for b in self.buttons:
            if b.name.startswith("filter_"):
                b.selected = b.name == f"filter_{scenario_id or 'all'}"
        self.plots = []

    def export(self, fmt: str) -> None:
        folder = export_folder(self.app)
        store = self.app.records.store
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if fmt == "pdf":
                path = reports.export_trainee_report(store, self.app.settings.trainee_id, folder)
            else:
                path = exports.export_records(store, self.records, folder, fmt)
            self.message = f"Saved {path}"
        except (TrainerError, OSError) as exc:
            self.message = f"Export failed: {exc}"

    def back(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.show(MenuScreen(self.app))

    def open(self, record: dict[str, Any]) -> None:
        from trainer.ui.screens.results import ResultsScreen

        self.app.show(ResultsScreen(self.app, record, None, back=HistoryScreen(self.app)))

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.back()
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for record, rect in self.rows:
                if rect.collidepoint(event.pos):
                    self.open(record)
                    return

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        top = pad + round(56 * self.fonts.scale)
        filters = [b for b in self.buttons if b.name.startswith("filter_")]
        bw = min(round(150 * self.fonts.scale), (w - 2 * pad) // len(filters) - 8)
        for i, b in enumerate(filters):
            b.rect = pygame.Rect(pad + i * (bw + 8), top, bw, row)
        exports_ = [b for b in self.buttons if b.name.startswith("export_")]
        for i, b in enumerate(exports_):
            b.rect = pygame.Rect(pad + i * (bw + 8), h - pad - row, bw, row)
        self.button("back").rect = pygame.Rect(w - pad - bw, h - pad - row, bw, row)
        self.plot_area = pygame.Rect(
            w // 2 + pad // 2, top + row + pad, w // 2 - 3 * pad // 2, h - top - 2 * row - 3 * pad
        )
        self.plots = []

    def draw_body(self, surface: pygame.Surface) -> None:
        records = self.records
        self._draw_table(surface, records)
        self._draw_plots(surface, records)
        if self.message:
            back = self.button("back").rect
            text(
                surface,
                self.fonts.regular(14),
                self.message,
                (back.left - 16, back.centery),
                theme.ACCENT,
                "midright",
            )

    def _draw_table(self, surface: pygame.Surface, records: list[dict[str, Any]]) -> None:
        pad = self.pad
        area = pygame.Rect(pad, self.plot_area.top, self.plot_area.left - 2 * pad, self.plot_area.height)
        panel(surface, area)
        body, head = self.fonts.regular(14), self.fonts.bold(14)
        line = body.get_linesize() + 8
        cols = (0.02, 0.30, 0.62, 0.78)
        y = area.top + 10
        for label, c in zip(("When", "Scenario", "Score", "Result"), cols, strict=True):
            text(surface, head, label, (area.left + round(area.width * c), y), theme.ACCENT)
        y += line
        self.rows = []
        if not records:
            text(
                surface,
                body,
                "No attempts yet: finish one and it appears here.",
                (area.left + 12, y),
                theme.MUTED,
            )
        for record in list(reversed(records))[:ROWS_SHOWN]:
            rect = pygame.Rect(area.left + 4, y - 3, area.width - 8, line - 2)
            if rect.collidepoint(pygame.mouse.get_pos()):
                pygame.draw.rect(surface, theme.BUTTON_HOVER, rect, border_radius=4)
            self.rows.append((record, rect))
            score = score_of(record)
            passed = bool(record.get("passed"))
            cells = (
                str(record.get("started_at", ""))[:16].replace("T", " "),
                record["scenario"]["id"].replace("_", " "),
                "-" if score is None else f"{score:.0f}",
                "pass" if passed else ("critical" if critical_events(record) else "fail"),
            )
            colours = (theme.MUTED, theme.TEXT, theme.TEXT, theme.OK if passed else theme.DANGER)
            for cell, c, colour in zip(cells, cols, colours, strict=True):
                text(surface, body, cell, (area.left + round(area.width * c), y), colour)
            y += line
        text(
            surface,
            self.fonts.regular(13),
            "Click an attempt to see its results and replay.",
            (area.left + 12, area.bottom - 8),
            theme.MUTED,
            "bottomleft",
        )

    def _draw_plots(self, surface: pygame.Surface, records: list[dict[str, Any]]) -> None:
        if not self.plots:
            third = (self.plot_area.width / PLOT_DPI, self.plot_area.height / 3 / PLOT_DPI - 0.07)
            self.plots = [
                figure_surface(plots.score_curve_figure(records, third)),
                figure_surface(plots.cusum_figure(records, size_in=third)),
                figure_surface(plots.errors_figure(records, third)),
            ]
        y = self.plot_area.top
        for image in self.plots:
            surface.blit(image, (self.plot_area.left, y))
            y += image.get_height() + 6
