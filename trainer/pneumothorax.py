"""A pneumothorax after a pleural puncture: air between the pleurae, spreading from the hole.

Where air separates the lung from the chest wall the beam stops at the parietal pleura: the
pleural line stays but nothing below it slides with breathing, comet tails and B-lines vanish and
A-lines remain (Lichtenstein et al., Intensive Care Med 2000: abolished sliding with A-lines; the
lung point, where the sliding lung meets the still pleura, is specific for pneumothorax). The lung
point moves to and fro with each breath. Prone, the back is the highest part of the chest, so the
air collects under the probe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainer.physiology import breathing_phase
from trainer.scenario.model import Physiology

SPREAD_MM_S = 2.0  # how fast the air's edge spreads from the puncture [E: a 22 G hole, minutes to settle]
MAX_RADIUS_MM = 80.0  # how far it spreads over the back of the chest [E]
LUNG_POINT_SWING_MM = 4.0  # the lung point's travel with each breath: inspiration pushes it back [E]


@dataclass(frozen=True, slots=True)
class Pneumothorax:
    """Air let in at scene point (x, y) at `onset_s`."""

    onset_s: float
    x_mm: float
    y_mm: float

    def radius_mm(self, physiology: Physiology, time_s: float) -> float:
        """Distance from the puncture to the lung point now."""
        grown = min(max(time_s - self.onset_s, 0.0) * SPREAD_MM_S, MAX_RADIUS_MM)
        breath = 0.5 + 0.5 * math.sin(breathing_phase(physiology, time_s))
        return max(grown - LUNG_POINT_SWING_MM * breath, 0.0)

    def has_air(
        self, x_mm: np.ndarray, y_mm: np.ndarray | float, physiology: Physiology, time_s: float
    ) -> np.ndarray:
        """Whether air lies between the pleurae under scene points (x, y)."""
        r = self.radius_mm(physiology, time_s)
        return np.asarray(np.hypot(np.asarray(x_mm) - self.x_mm, np.asarray(y_mm) - self.y_mm) < r)
