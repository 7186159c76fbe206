"""Colour Doppler as a separate RGBA layer the UI draws over the grey image (never baked into it).

Flow fills each vessel's lumen with a parabolic profile: arteries toward the probe (red to yellow)
and pulsatile, veins away from it (blue to cyan) and steady. No colour where the beam cannot reach.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from trainer.physiology import artery_scale, pulse
from trainer.tissue import VESSELS, TissueKind

if TYPE_CHECKING:
    from trainer.imaging.renderer import Renderer, View

DIASTOLIC_FLOW = 0.25  # arterial velocity between beats, as a share of the systolic peak
VENOUS_FLOW = -0.35
WALL_FILTER = 0.08  # slower flow is not shown
MIN_RELATIVE_TRANSMISSION = 0.01  # no colour in a shadow (40 dB below what soft tissue would leave)


def velocity(renderer: Renderer, view: View) -> np.ndarray:
    """Signed flow toward the probe as a share of the arterial peak, float32 (height, width)."""
    geo = view.geometry
    out = np.zeros((geo.height_px, geo.width_px), dtype=np.float32)
    rows, cols = geo.field_rows, geo.field_cols
    r, c = np.meshgrid(np.arange(rows.start, rows.stop), np.arange(cols.start, cols.stop), indexing="ij")
    x, z = geo.pixel_to_world(r, c)
    physiology = renderer.scenario.physiology
    beat = DIASTOLIC_FLOW + (1.0 - DIASTOLIC_FLOW) * pulse(physiology, view.time_s)
    field = out[rows, cols]
    for s in view.plane.structures:
        if s.kind not in VESSELS:
            continue
        artery = s.kind == TissueKind.ARTERY
        centre = s.geometry.centroid
        swell = artery_scale(physiology, view.time_s) if artery else 1.0
        radius = math.sqrt(s.geometry.area / math.pi) * swell
        rho2 = ((x - centre.x) ** 2 + (z - centre.y) ** 2) / radius**2
        inside = (rho2 < 1.0) & view.probe.in_view(x, z)
        field[inside] = (beat if artery else VENOUS_FLOW) * (1.0 - rho2[inside])
    field[_shadowed(renderer, view, x, z)] = 0.0
    return out


def _shadowed(renderer: Renderer, view: View, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Points the beam barely reaches: far less transmission than soft tissue alone would leave."""
    geo = view.geometry
    i, j = geo.world_to_beam(x, z)
    i = np.clip(np.round(i), 0, geo.n_samples - 1).astype(int)
    j = np.clip(np.round(j), 0, geo.n_lines - 1).astype(int)
    soft = renderer.plane_maps(view.plane).soft_attenuation
    expected_db = 2.0 * soft * view.probe.frequency_mhz * geo.sample_ranges_mm[i] / 10.0
    floor = MIN_RELATIVE_TRANSMISSION * 10.0 ** (-expected_db / 20.0)
    return renderer.tissue(view).transmission[i, j] < floor


def doppler_rgba(renderer: Renderer, view: View) -> np.ndarray:
    """The colour flow layer: uint8 (height, width, 4), transparent where there is no flow."""
    v = velocity(renderer, view)
    rgba = np.zeros((*v.shape, 4), dtype=np.uint8)
    speed = np.clip(np.abs(v), 0.0, 1.0)
    bright = np.clip((speed - 0.6) / 0.4, 0.0, 1.0)
    base = (120 + 135 * np.clip(speed / 0.6, 0.0, 1.0)).astype(np.uint8)
    toward, away = v > WALL_FILTER, v < -WALL_FILTER
    rgba[toward, 0] = base[toward]
    rgba[toward, 1] = (255 * bright[toward]).astype(np.uint8)
    rgba[away, 2] = base[away]
    rgba[away, 1] = (255 * bright[away]).astype(np.uint8)
    rgba[toward | away, 3] = 255
    return rgba
