"""Printable reports: a trainee's portfolio and the instructor's cohort summary (PDF and CSV)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from trainer.errors import TrainerError
from trainer.fonts import use_in_matplotlib
from trainer.records.cusum import CusumLimits, cusum, procedure_records
from trainer.records.envelope import scenario_of, score_of
from trainer.records.lc_cusum import LearningLimits
from trainer.records.learning_plots import draw_learning_curves, verdicts
from trainer.records.paths import (
    atomic_write_bytes,
    atomic_write_text,
    contained_path,
    safe_file_stem,
    unused_path,
)
from trainer.records.plots import draw_errors, draw_score_curve
from trainer.records.store import RecordStore
from trainer.records.summary import CohortRow, cohort_csv_text, cohort_summary, error_labels

A4_IN = (8.27, 11.69)
A4_LANDSCAPE_IN = (11.69, 8.27)
ROWS_PER_PAGE = 34
ATTEMPT_COLUMNS = ("#", "date (UTC)", "scenario", "variant", "mode", "score", "result", "errors")
SCENARIO_COLUMNS = ("scenario", "attempts", "best score", "last score", "pass rate %", "commonest errors")
COHORT_PDF_COLUMNS = ("trainee", *SCENARIO_COLUMNS)


def _summary_page(title: str, lines: Sequence[str], header: Sequence[str], rows: list[list[Any]]) -> Figure:
    fig = Figure(figsize=A4_IN)
    fig.text(0.08, 0.94, title, fontsize=16, weight="bold")
    fig.text(0.08, 0.90, "\n".join(lines), fontsize=10, va="top", linespacing=1.6)
    _draw_table(fig.add_axes((0.05, 0.05, 0.90, 0.61)), header, rows)
    return fig


def _draw_table(ax: Any, header: Sequence[str], rows: list[list[Any]]) -> None:
    ax.set_axis_off()
    cells = [[_short(c) for c in row] for row in rows] or [[""] * len(header)]
    table = ax.table(cellText=cells, colLabels=list(header), loc="upper center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    table.auto_set_column_width(list(range(len(header))))


def _table_pages(
    title: str, header: Sequence[str], rows: list[list[Any]], size_in: tuple[float, float] = A4_IN
) -> list[Figure]:
    """A table split over as many pages as it needs."""
    pages = []
    for start in range(0, max(len(rows), 1), ROWS_PER_PAGE):
        fig = Figure(figsize=size_in)
        heading = title + (f" (from row {start + 1})" if start else "")
        fig.text(0.05, 0.95, heading, fontsize=13, weight="bold")
        _draw_table(fig.add_axes((0.03, 0.03, 0.94, 0.88)), header, rows[start : start + ROWS_PER_PAGE])
        pages.append(fig)
    return pages


def _short(value: Any, width: int = 70) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _curves_page(records: list[dict[str, Any]], limits: CusumLimits) -> Figure:
    """Score curve, CUSUM curve and recurring errors, drawn as on the history screen."""
    fig = Figure(figsize=A4_IN, layout="constrained")
    score_ax, cusum_ax, errors_ax = fig.subplots(3, 1)
    for ax in (score_ax, cusum_ax):
        ax.grid(alpha=0.3)
    draw_score_curve(score_ax, records)
    draw_learning_curves(cusum_ax, records)
    cusum_ax.set_title("LC-CUSUM learning curve per procedure")
    draw_errors(errors_ax, records)
    return fig


def _write_pdf(path: Path, pages: list[Figure]) -> Path:
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for page in pages:
            pdf.savefig(page)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def trainee_report_pages(name: str, records: list[dict[str, Any]], limits: CusumLimits) -> list[Figure]:
    use_in_matplotlib()  # names in any script, with the fonts embedded
    curve = cusum([bool(r.get("passed")) for r in procedure_records(records)], limits)
    scores = [s for s in map(score_of, records) if s is not None]
    passes = sum(bool(r.get("passed")) for r in records)
    verdict = (
        f"reached the acceptable failure rate at attempt {curve.competent_at}"
        if curve.competent_at
        else "has not yet reached the acceptable failure rate"
    )
    lines = [
        f"Attempts: {len(records)}",
        f"Passed: {passes} ({100 * passes / max(len(records), 1):.0f} %)",
        f"Best score: {max(scores):.1f}" if scores else "Best score: -",
        f"First attempt: {records[0]['started_at'] if records else '-'}",
        f"Last attempt: {records[-1]['started_at'] if records else '-'}",
        f"CUSUM: {verdict}.",
        f"CUSUM limits: acceptable failure rate {limits.acceptable_failure_rate:.0%}, unacceptable "
        f"{limits.unacceptable_failure_rate:.0%}, alpha {limits.alpha:.2f}, beta {limits.beta:.2f};",
        f"h0 = {limits.h0:.2f}, h1 = {limits.h1:.2f} (Bolsin & Colson 2000; Barrington et al. 2012).",
        "LC-CUSUM per procedure (Biau et al. 2008; the gel phantom is left out):",
        *verdicts(records, LearningLimits()),
        "",
        "By scenario:",
    ]
    by_scenario = [_cells(row)[2:] for row in cohort_summary(records)]
    rows = [
        [
            n,
            str(r.get("started_at", ""))[:16].replace("T", " "),
            *map(str, scenario_of(r)),
            r.get("mode", ""),
            score_of(r),
            "pass" if r.get("passed") else "fail",
            ", ".join(error_labels(r)),
        ]
        for n, r in enumerate(records, start=1)
    ]
    return [
        _summary_page(f"Training report: {name}", lines, SCENARIO_COLUMNS, by_scenario),
        _curves_page(records, limits),
        *_table_pages("Attempts", ATTEMPT_COLUMNS, rows),
    ]


def export_trainee_report(
    store: RecordStore,
    trainee_id: str,
    folder: Path,
    name: str | None = None,
    limits: CusumLimits | None = None,
) -> Path:
    """Write the trainee's PDF report (attempts, learning curves, recurring errors) into `folder`."""
    trainee = store.trainee(trainee_id)
    if trainee is None:
        raise TrainerError(f"no trainee '{trainee_id}' in {store.data_dir}")
    records = store.attempts(trainee_id=trainee_id)
    pages = trainee_report_pages(trainee.name, records, limits or CusumLimits())
    default = unused_path(contained_path(folder, f"report-{safe_file_stem(trainee.name, 'trainee')}.pdf"))
    return _write_pdf(contained_path(folder, name) if name else default, pages)


def export_cohort(
    store: RecordStore, folder: Path, fmt: str, session_id: str | None = None, name: str | None = None
) -> Path:
    """The instructor's summary per trainee and scenario, as csv or pdf, optionally for one session."""
    rows = cohort_summary(store.attempts(session_id=session_id))
    path = contained_path(folder, name or f"cohort-summary.{fmt}")
    if fmt == "csv":
        atomic_write_text(path, cohort_csv_text(rows))
        return path
    if fmt == "pdf":
        use_in_matplotlib()
        table = [_cells(r)[1:] for r in rows]
        return _write_pdf(path, _table_pages("Cohort summary", COHORT_PDF_COLUMNS, table, A4_LANDSCAPE_IN))
    raise TrainerError(f"unknown cohort format '{fmt}' (use csv or pdf)")


def _cells(row: CohortRow) -> list[Any]:
    return ["" if c is None else c for c in row.cells()]
