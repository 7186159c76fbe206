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
from trainer.ui import audit, learning_curves, theme
from trainer.ui.app import App
from trainer.ui.learning_curves import short_name
from trainer.ui.screen import Screen
from trainer.ui.scroll import ScrollArea
from trainer.ui.widgets import Button, fit, line_step, panel, paragraph, text


def export_folder(app: App) -> Path:
    """Exports go to the user's documents folder (or the data folder if there is none)."""
    documents = platformdirs.user_documents_dir()
    base = Path(documents) if documents and Path(documents).is_dir() else app.data_dir
    return base / "Thoracic trainer exports"


PLOT_DPI = 110  # matplotlib's 10 pt text comes out at about 15 px: readable at 1366x768


def figure_surface(fig: Any) -> pygame.Surface:
    return pygame.image.load(io.BytesIO(plots.figure_png(fig, dpi=PLOT_DPI)), "curve.png").convert()


class HistoryScreen(Screen):
    """The trainee's attempts (a scrolling table; click one for its results and replay) and the
    learning curves, per procedure, for all procedures or the one chosen."""

    title = "History"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.scenario: str | None = None
        self.message = ""
        self.message_box = pygame.Rect(0, 0, 0, 0)
        self.table = ScrollArea()
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
        self.table.offset_px = 0

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
        if self.table.handle(event):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.back()
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for record, rect in self.rows:
                if rect.collidepoint(event.pos):
                    self.open(record)
                    return

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """Filters wrap onto as many lines as they need; the table and the curves share the rest,
        side by side; exports and Back along the foot, the last message above them."""
        w, h = size
        pad, row, gap = self.pad, self.row_height(), round(8 * self.fonts.scale)
        font = self.fonts.regular(16)
        top = pad + self.fonts.bold(28).get_linesize() + pad // 2
        x, y = pad, top
        for b in (b for b in self.buttons if b.name.startswith("filter_")):
            bw = font.size(b.label)[0] + round(28 * self.fonts.scale)
            if x > pad and x + bw > w - pad:
                x, y = pad, y + row + gap
            b.rect = pygame.Rect(x, y, bw, row)
            x += bw + gap
        footer = h - pad - row
        x = pad
        for b in (b for b in self.buttons if b.name.startswith("export_")):
            bw = font.size(b.label)[0] + round(28 * self.fonts.scale)
            b.rect = pygame.Rect(x, footer, bw, row)
            x += bw + gap
        bw = font.size("Back")[0] + round(48 * self.fonts.scale)
        self.button("back").rect = pygame.Rect(w - pad - bw, footer, bw, row)
        message_h = 2 * line_step(self.fonts.regular(14)) + 4  # a saved file's whole path, wrapped
        self.message_box = pygame.Rect(pad, footer - message_h - 4, w - 2 * pad, message_h)
        body_top, body_bottom = y + row + pad, self.message_box.top - pad // 2
        half = (w - 3 * pad) // 2
        self.table_panel = pygame.Rect(pad, body_top, half, body_bottom - body_top)
        line = self.fonts.regular(14).get_linesize()
        self.table.layout(self.table_panel.inflate(-16, -2 * line - 24).move(0, line // 2 + 4))
        self.plot_area = pygame.Rect(2 * pad + half, body_top, w - 3 * pad - half, body_bottom - body_top)
        self.plots = []

    # ------------------------------------------------------------------ drawing
    def draw_body(self, surface: pygame.Surface) -> None:
        records = self.records
        self._draw_table(surface, records)
        self._draw_plots(surface, records)
        if self.message:
            paragraph(surface, self.fonts.regular(14), self.message, self.message_box, theme.ACCENT)

    def _draw_table(self, surface: pygame.Surface, records: list[dict[str, Any]]) -> None:
        area = self.table_panel
        panel(surface, area, name="attempts")
        body, head = self.fonts.regular(14), self.fonts.bold(14)
        line = body.get_linesize() + round(8 * self.fonts.scale)
        cols = (0.0, 0.33, 0.7, 0.84)
        inner = self.table.rect
        for label, c in zip(("When", "Procedure", "Score", "Result"), cols, strict=True):
            text(surface, head, label, (inner.left + round(inner.width * c), area.top + 8), theme.ACCENT)
        newest_first = list(reversed(records))
        self.table.set_content(len(newest_first) * line)
        self.rows = []
        if not records:
            text(
                surface, body, "No attempts yet: finish one and it appears here.", inner.topleft, theme.MUTED
            )
        for i, record in enumerate(newest_first):
            rect = pygame.Rect(inner.left, self.table.top + i * line, inner.width - 8, line)
            if self.table.shows(rect):
                self._draw_row(surface, record, rect, cols)
                self.rows.append((record, rect))
        self.table.draw_bar(surface)
        hint = "Click an attempt to see its results and replay."
        text(
            surface,
            self.fonts.regular(13),
            fit(self.fonts.regular(13), hint, area.width - 24),
            (area.left + 12, area.bottom - 6),
            theme.MUTED,
            "bottomleft",
        )

    def _draw_row(
        self, surface: pygame.Surface, record: dict[str, Any], rect: pygame.Rect, cols: tuple[float, ...]
    ) -> None:
        body = self.fonts.regular(14)
        if rect.collidepoint(pygame.mouse.get_pos()):
            pygame.draw.rect(surface, theme.BUTTON_HOVER, rect, border_radius=4)
        score = score_of(record)
        passed = bool(record.get("passed"))
        cells = (
            str(record.get("started_at", ""))[:16].replace("T", " "),
            short_name(record["scenario"]["id"]),
            "-" if score is None else f"{score:.0f}",
            "pass" if passed else ("critical" if critical_events(record) else "fail"),
        )
        colours = (theme.MUTED, theme.TEXT, theme.TEXT, theme.OK if passed else theme.DANGER)
        edges = [*cols[1:], 1.0]
        for cell, c, end, colour in zip(cells, cols, edges, colours, strict=True):
            room = round(rect.width * (end - c)) - 8
            # every cell is whole on the attempt's results screen
            words = fit(body, cell, room, elsewhere=True)
            text(surface, body, words, (rect.left + round(rect.width * c), rect.top + 3), colour)

    def _draw_plots(self, surface: pygame.Surface, records: list[dict[str, Any]]) -> None:
        if not self.plots:
            gap = 6
            third = (self.plot_area.width / PLOT_DPI, (self.plot_area.height - 2 * gap) / 3 / PLOT_DPI)
            self.plots = [
                figure_surface(learning_curves.score_figure(records, third)),
                figure_surface(learning_curves.cusum_figure(records, third)),
                figure_surface(learning_curves.errors_figure(records, third)),
            ]
        y = self.plot_area.top
        for image in self.plots:
            where = image.get_rect(topleft=(self.plot_area.left, y))
            surface.blit(image, where)
            audit.place("panel", where, "learning curve")
            y = where.bottom + 6
