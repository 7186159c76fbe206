"""Learning-curve plots for the history screen and the PDF reports (matplotlib, no pyplot, no pygame).

`draw_*` functions draw on a given matplotlib Axes (the reports put several on a page); the
`*_figure` functions return a standalone Figure, and `figure_png` turns one into PNG bytes a UI can
load as an image.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from trainer.records.cusum import CusumLimits, cusum
from trainer.records.envelope import score_of
from trainer.records.summary import recurring_errors

PASS_COLOUR, FAIL_COLOUR, LINE_COLOUR = "#2a9d4b", "#c8352b", "#35618f"
SIZE_IN = (6.4, 3.4)
Records = list[dict[str, Any]]


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="grey")


def draw_score_curve(ax: Axes, records: Records) -> None:
    """Score (0-100) over attempts, oldest first; passes and failures marked."""
    ax.set(title="Score over attempts", xlabel="attempt", ylabel="score", ylim=(0, 100))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    scored = [
        (n, s, bool(r.get("passed")))
        for n, r in enumerate(records, start=1)
        if (s := score_of(r)) is not None
    ]
    if not scored:
        _empty(ax, "no scored attempts yet")
        return
    ax.plot([n for n, _, _ in scored], [s for _, s, _ in scored], color=LINE_COLOUR, lw=1.2)
    styles = ((True, PASS_COLOUR, "o", "passed"), (False, FAIL_COLOUR, "x", "failed"))
    for ok, colour, marker, label in styles:
        chosen = [(n, s) for n, s, p in scored if p == ok]
        if chosen:
            ax.scatter(*zip(*chosen, strict=True), color=colour, marker=marker, label=label, zorder=3)
    ax.legend(loc="lower right", fontsize=8)


def draw_cusum(ax: Axes, records: Records, limits: CusumLimits | None = None) -> None:
    """The CUSUM learning curve of pass/fail with its decision limits h0 and h1."""
    curve = cusum([bool(r.get("passed")) for r in records], limits)
    lim = curve.limits
    ax.set(title="CUSUM learning curve (pass/fail)", xlabel="attempt", ylabel="CUSUM")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if not curve.values:
        _empty(ax, "no attempts yet")
        return
    ax.step(range(len(curve.values) + 1), (0.0, *curve.values), where="post", color=LINE_COLOUR)
    ax.axhline(
        lim.h0,
        color=PASS_COLOUR,
        ls="--",
        lw=1,
        label=f"h0 = {lim.h0:.2f}: failure rate {lim.acceptable_failure_rate:.0%} (acceptable)",
    )
    ax.axhline(
        lim.h1,
        color=FAIL_COLOUR,
        ls="--",
        lw=1,
        label=f"h1 = {lim.h1:.2f}: failure rate {lim.unacceptable_failure_rate:.0%} (unacceptable)",
    )
    if curve.competent_at:
        ax.axvline(curve.competent_at, color=PASS_COLOUR, lw=0.8, alpha=0.6)
        ax.annotate(
            f"competent at attempt {curve.competent_at}",
            (curve.competent_at, lim.h0),
            xytext=(4, 6),
            textcoords="offset points",
            fontsize=8,
            color=PASS_COLOUR,
        )
    ax.legend(loc="upper left", fontsize=7)


def draw_errors(ax: Axes, records: Records, top: int = 6) -> None:
    """The errors made in the most attempts, as horizontal bars."""
    ax.set_title("Recurring errors")
    errors = recurring_errors(records, top)
    if not errors:
        _empty(ax, "no errors recorded")
        ax.set_axis_off()
        return
    labels = [label if len(label) <= 48 else label[:45] + "..." for label, _ in errors]
    ax.barh(labels[::-1], [n for _, n in errors][::-1], color=FAIL_COLOUR)
    ax.set_xlabel("attempts with this error")
    ax.tick_params(axis="y", labelsize=8)


def _figure(draw: Callable[[Axes, Records], None], records: Records, size_in: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size_in, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(alpha=0.3)
    draw(ax, records)
    return fig


def score_curve_figure(records: Records, size_in: tuple[float, float] = SIZE_IN) -> Figure:
    return _figure(draw_score_curve, records, size_in)


def cusum_figure(
    records: Records, limits: CusumLimits | None = None, size_in: tuple[float, float] = SIZE_IN
) -> Figure:
    return _figure(lambda ax, rs: draw_cusum(ax, rs, limits), records, size_in)


def errors_figure(records: Records, size_in: tuple[float, float] = SIZE_IN) -> Figure:
    return _figure(draw_errors, records, size_in)
