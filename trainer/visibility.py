"""Which parts of the needle the beam can see: inside the elevational slice and the field of view."""

from __future__ import annotations

import numpy as np

from trainer.needle import Needle
from trainer.probe import Probe


def in_slice(probe: Probe, needle: Needle, s_mm: np.ndarray) -> np.ndarray:
    """Whether shaft points at distances `s_mm` below the skin lie in the beam's elevational slice."""
    _, z, y = needle.point_at(s_mm)
    return np.abs(y - probe.y_mm) <= probe.slice_half_width_mm(z) + needle.diameter_mm / 2.0


def seen(probe: Probe, needle: Needle, s_mm: np.ndarray) -> np.ndarray:
    """Whether shaft points are shown: in the slice and inside the image."""
    x, z, _ = needle.point_at(s_mm)
    return in_slice(probe, needle, s_mm) & probe.in_view(x, z)


def tip_visible(probe: Probe, needle: Needle) -> bool:
    """The true tip is on screen (the trainee may still mistake a cut-off shaft for it)."""
    return needle.inserted and bool(seen(probe, needle, np.array([needle.depth_mm]))[0])


def visible_shaft_fraction(probe: Probe, needle: Needle, step_mm: float = 0.5) -> float:
    """Share of the inserted shaft that the image shows."""
    if not needle.inserted or needle.depth_mm <= 0.0:
        return 0.0
    s = np.arange(0.0, needle.depth_mm + 1e-9, step_mm)
    return float(np.mean(seen(probe, needle, s)))
