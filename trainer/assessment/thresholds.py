"""Difficulty: the same metrics, judged with allowances per difficulty (guided, standard, exam).

An allowance is how much of something a trainee may do before the score counts it: guided
practice forgives more than an exam. docs/scoring.md prints this table; a test keeps them equal.
"""

from __future__ import annotations

from collections.abc import Mapping

DIFFICULTIES = ("guided", "standard", "exam")

# allowance name -> (guided, standard, exam)
ALLOWANCES: dict[str, tuple[float, float, float]] = {
    "tip_to_target_mm": (2.0, 1.0, 0.0),
    "misplaced_volume_ml": (1.0, 0.5, 0.2),
    "near_miss_mm": (2.0, 3.0, 4.0),
    "blind_advance_mm": (10.0, 5.0, 2.0),
    "probe_drift_mm": (6.0, 4.0, 2.0),
    "steep_advance_mm": (10.0, 5.0, 2.0),
    "wrong_view_mm": (10.0, 5.0, 2.0),
    "needle_out_of_plane_mm": (10.0, 5.0, 2.0),
    "redirections": (4.0, 2.0, 1.0),
    "passes": (3.0, 2.0, 1.0),
    "tissue_damage_mm2": (400.0, 200.0, 100.0),
    "elapsed_time_s": (600.0, 300.0, 180.0),
    "path_ratio": (2.0, 1.6, 1.3),
}
# Error gates (gates.py): how far a quality-compromising behaviour may go before it keeps the attempt
# below competent whatever the composite. gate name -> (guided, standard, exam).
GATE_LIMITS: dict[str, tuple[float, float, float]] = {
    "gate_blind_advance_mm": (20.0, 10.0, 5.0),
    "gate_tip_visible_pct": (50.0, 60.0, 70.0),
    "gate_lost_by_probe_mm": (5.0, 3.0, 2.0),
    "gate_unseen_entry_mm": (30.0, 20.0, 15.0),
    "gate_steep_advance_mm": (20.0, 10.0, 5.0),
    "gate_tissue_damage_mm2": (600.0, 300.0, 150.0),
    "gate_tissue_drags": (4.0, 2.0, 1.0),
}


def check_difficulty(difficulty: str) -> str:
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}")
    return difficulty


def limits(difficulty: str, target_clearance_mm: Mapping[str, float]) -> dict[str, float]:
    """Every allowance and gate limit for a difficulty, plus a near-miss margin per hazard class
    (`near_miss_<hazard>_mm`): the difficulty's margin, but never more than the target zone's own
    distance from that hazard (an expert on a target next to the foramen is no near miss)."""
    column = DIFFICULTIES.index(check_difficulty(difficulty))
    found = {name: values[column] for name, values in (ALLOWANCES | GATE_LIMITS).items()}
    for hazard, clearance in target_clearance_mm.items():
        found[f"near_miss_{hazard}_mm"] = min(found["near_miss_mm"], clearance)
    return found
