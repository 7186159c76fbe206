"""Learning curves for the history screen, one line per procedure, each named with its level.

A learning curve means something only within one procedure: scores and the pass/fail CUSUM are
counted per procedure (attempt 1, 2, ... at that procedure), never across a mix of them. One
procedure chosen gives the curves of the records module (trainer/records/plots.py) titled with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

import trainer
from trainer.errors import TrainerError
from trainer.records import learning_plots, plots
from trainer.records.envelope import score_of
from trainer.records.learning_plots import draw_learning_curves

Records = list[dict[str, Any]]
ABBREVIATIONS = {"esp"}


def short_name(scenario_id: str) -> str:
    """'costovertebral_joint' -> 'Costovertebral', 'esp_block' -> 'ESP block'."""
    words = scenario_id.removesuffix("_joint").split("_")
    first = words[0].upper() if words[0] in ABBREVIATIONS else words[0].capitalize()
    return " ".join([first, *words[1:]])


@lru_cache(maxsize=32)
def procedure_name(scenario_id: str) -> str:
    """The short name and the level: 'ESP block · T5' (the level alone where it is not known)."""
    try:
        level = trainer.load_scenario(scenario_id).level
    except TrainerError:
        return short_name(scenario_id)
    name = short_name(scenario_id)
    return name if level.lower() in name.lower() else f"{name} · {level}"


def by_procedure(records: Records) -> dict[str, Records]:
    """Records grouped per procedure, oldest first within each, procedures in order of first try."""
    groups: dict[str, Records] = {}
    for r in records:
        groups.setdefault(r["scenario"]["id"], []).append(r)
    return groups


def score_figure(records: Records, size_in: tuple[float, float]) -> Figure:
    return _figure(records, size_in, plots.draw_score_curve, _score_lines, "Score over attempts")


def cusum_figure(records: Records, size_in: tuple[float, float]) -> Figure:
    """The LC-CUSUM learning curve per procedure (Biau 2008): where competence was declared and
    any relapse after it. The gel phantom warm-up is no procedure and stays out."""
    fig = Figure(figsize=size_in, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(alpha=0.3)
    draw_learning_curves(ax, records, name=procedure_name)
    groups = learning_plots.by_procedure(records)
    title = "LC-CUSUM learning curve"
    ax.set_title(
        f"{procedure_name(next(iter(groups)))}: {title}" if len(groups) == 1 else f"{title}, per procedure"
    )
    return fig


def errors_figure(records: Records, size_in: tuple[float, float]) -> Figure:
    return plots.errors_figure(records, size_in)


def _figure(
    records: Records,
    size_in: tuple[float, float],
    one: Callable[[Axes, Records], None],
    several: Callable[[Axes, dict[str, Records]], None],
    title: str,
) -> Figure:
    """One procedure: the records module's curve, titled with the procedure and level; several:
    a line per procedure."""
    fig = Figure(figsize=size_in, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(alpha=0.3)
    groups = by_procedure(records)
    if len(groups) == 1:
        ((sid, group),) = groups.items()
        one(ax, group)
        ax.set_title(f"{procedure_name(sid)}: {title[0].lower()}{title[1:]}")
    else:
        several(ax, groups)
        ax.set_title(f"{title}, per procedure")
    return fig


def _say(ax: Axes, words: str) -> None:
    ax.text(0.5, 0.5, words, ha="center", va="center", transform=ax.transAxes, color="grey")


def _score_lines(ax: Axes, groups: dict[str, Records]) -> None:
    ax.set(xlabel="attempt at the procedure", ylabel="score", ylim=(0, 100))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for sid, group in groups.items():
        scored = [(n, s) for n, r in enumerate(group, start=1) if (s := score_of(r)) is not None]
        if scored:
            ax.plot(*zip(*scored, strict=True), marker="o", ms=3, lw=1.2, label=procedure_name(sid))
    if not groups:
        _say(ax, "no scored attempts yet")
        return
    ax.legend(loc="lower right", fontsize=7)
