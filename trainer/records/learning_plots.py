"""LC-CUSUM learning curves drawn per procedure, for the history screen and the PDF report.

One line per procedure: the LC-CUSUM (trainer/records/lc_cusum.py) rising toward its competence
limit h, a star where competence is declared, then the relapse CUSUM (dashed) that watches for a
return to an unacceptable failure rate, with a cross where it signals. The gel phantom is no
procedure and is left out (cusum.procedure_records).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from trainer.records.cusum import procedure_records
from trainer.records.lc_cusum import LearningCurve, LearningLimits, learning_curve

Records = list[dict[str, Any]]
PASS_COLOUR, FAIL_COLOUR = "#2a9d4b", "#c8352b"


def by_procedure(records: Records) -> dict[str, Records]:
    """Procedure records grouped per scenario id, oldest first, in order of first attempt."""
    groups: dict[str, Records] = {}
    for r in procedure_records(records):
        groups.setdefault(str(r["scenario"]["id"]), []).append(r)
    return groups


def curves(records: Records, limits: LearningLimits) -> dict[str, LearningCurve]:
    return {
        sid: learning_curve([bool(r.get("passed")) for r in group], limits)
        for sid, group in by_procedure(records).items()
    }


def draw_learning_curves(
    ax: Axes, records: Records, limits: LearningLimits | None = None, name: Callable[[str], str] = str
) -> None:
    """Every procedure's LC-CUSUM and relapse CUSUM, with both decision limits."""
    limits = limits or LearningLimits()
    ax.set(xlabel="attempt at the procedure", ylabel="LC-CUSUM")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    found = curves(records, limits)
    if not found:
        ax.text(
            0.5,
            0.5,
            "no procedure attempts yet",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="grey",
        )
        return
    for sid, curve in found.items():
        line = ax.step(range(len(curve.learning) + 1), (0.0, *curve.learning), where="post", label=name(sid))[
            0
        ]
        if curve.competent_at is not None:
            ax.plot([curve.competent_at], [curve.learning[-1]], marker="*", ms=10, color=PASS_COLOUR)
            start = curve.competent_at
            xs = range(start, start + len(curve.relapse) + 1)
            ax.step(xs, (0.0, *curve.relapse), where="post", ls="--", color=line.get_color())
        if curve.relapse_at is not None:
            ax.plot([curve.relapse_at], [curve.relapse[-1]], marker="X", ms=8, color=FAIL_COLOUR)
    ax.axhline(
        limits.h,
        color=PASS_COLOUR,
        ls=":",
        lw=1,
        label=f"h = {limits.h:.2f}: competent (failure rate {limits.acceptable_failure_rate:.0%} "
        f"vs {limits.unacceptable_failure_rate:.0%}, alpha {limits.alpha:.0%})",
    )
    ax.axhline(
        limits.relapse_h,
        color=FAIL_COLOUR,
        ls=":",
        lw=1,
        label=f"relapse limit {limits.relapse_h:.2f} (dashed)",
    )
    ax.legend(loc="upper left", fontsize=7)


def verdicts(records: Records, limits: LearningLimits, name: Callable[[str], str] = str) -> list[str]:
    """One sentence per procedure: where competence was declared and whether a relapse followed."""
    out = []
    for sid, curve in curves(records, limits).items():
        n = len(curve.learning) + len(curve.relapse)
        if curve.competent_at is None:
            out.append(f"{name(sid)}: not yet declared competent after {n} attempts (LC-CUSUM).")
        elif curve.relapse_at is None:
            out.append(
                f"{name(sid)}: competent at attempt {curve.competent_at} (LC-CUSUM), no relapse since."
            )
        else:
            out.append(
                f"{name(sid)}: competent at attempt {curve.competent_at}, relapse signalled at attempt "
                f"{curve.relapse_at}."
            )
    return out
