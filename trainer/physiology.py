"""Breathing and pulsation as pure functions of time, applied to structure lookups."""

from __future__ import annotations

import math

import numpy as np

from trainer.scenario.model import Physiology, Structure
from trainer.tissue import BREATHING, TissueKind


def breathing_phase(p: Physiology, time_s: float) -> float:
    """Breathing phase in radians (0 at the start of inspiration)."""
    return 2.0 * math.pi * p.breathing_per_min / 60.0 * time_s


def pleura_shift_mm(p: Physiology, time_s: float) -> float:
    """Depth offset of pleura and lung: they rise and fall a little with each breath."""
    return p.pleura_excursion_mm * math.sin(breathing_phase(p, time_s))


def lung_slide_mm(p: Physiology, time_s: float) -> float:
    """Along-plane offset of the visceral pleura and lung texture (lung sliding)."""
    return p.lung_slide_mm * math.sin(breathing_phase(p, time_s))


def pulse(p: Physiology, time_s: float) -> float:
    """Arterial pulse wave, 0 in diastole to 1 at the systolic peak."""
    phase = (p.heart_rate_per_min / 60.0 * time_s) % 1.0
    upstroke = min(phase / 0.12, 1.0)
    decay = math.exp(-max(phase - 0.12, 0.0) / 0.18)
    return upstroke * decay


def artery_scale(p: Physiology, time_s: float) -> float:
    """Radius factor of pulsating arteries."""
    return 1.0 + p.artery_pulse_fraction * pulse(p, time_s)


def to_rest_frame(
    s: Structure, p: Physiology, time_s: float, x_mm: np.ndarray, z_mm: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Map points at `time_s` into the structure's resting geometry (for lookups)."""
    if s.kind in BREATHING:
        return x_mm, z_mm - pleura_shift_mm(p, time_s)
    if s.kind == TissueKind.ARTERY:
        c = s.geometry.centroid
        k = artery_scale(p, time_s)
        return c.x + (x_mm - c.x) / k, c.y + (z_mm - c.y) / k
    return x_mm, z_mm
