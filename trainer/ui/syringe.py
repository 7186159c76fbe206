"""The syringe in the trainee's hand: its size caps each fill, and refilling is an explicit action.

The kit's syringe is the smallest standard size that holds the procedure's planned volume, so the
planned volume is one fill and giving more takes a deliberate refill (the assessment counts what
is given beyond the plan: `injected_volume_pct` and the `overdose` gate, docs/scoring.md). The
syringe lives in the game, not in the simulation: the volumes it lets through are the recorded
inject inputs, so replay is unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

STANDARD_SIZES_ML = (1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0)  # common Luer syringe sizes
EMPTY_ML = 1e-9


def size_for(planned_ml: float) -> float:
    """The smallest standard syringe that holds `planned_ml` (whole mL beyond the largest)."""
    return next((s for s in STANDARD_SIZES_ML if s >= planned_ml - EMPTY_ML), float(math.ceil(planned_ml)))


@dataclass(slots=True)
class Syringe:
    capacity_ml: float
    content_ml: float
    refills: int = 0

    @classmethod
    def for_volume(cls, planned_ml: float) -> Syringe:
        """A full syringe of the size the kit holds for this planned volume."""
        size = size_for(planned_ml)
        return cls(size, size)

    @property
    def empty(self) -> bool:
        return self.content_ml <= EMPTY_ML

    def draw(self, wanted_ml: float) -> float:
        """Push the plunger: what comes out, at most what is left."""
        given = min(max(0.0, wanted_ml), self.content_ml)
        self.content_ml -= given
        return given

    def refill(self) -> None:
        self.content_ml = self.capacity_ml
        self.refills += 1
