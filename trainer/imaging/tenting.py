"""Tissue tenting: a fascia yields ahead of the advancing tip before the tip pierces it.

A blunt-feeling bevel first pushes a fascial sheet (or the pleura, or a vessel wall) ahead of it,
so the sheet bows into a tent whose apex rides on the tip, then gives way and springs back behind
it. The tracker in the core lets the tip cross a boundary where it lies at rest; the image shows the
sheet still stretched over the tip until the tip is TENT_MM past that rest position, then relaxed.
Tissue ahead of the tip is squeezed and tissue along the distal shaft is dragged with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainer.imaging.scene import COUPLING, GRID_MM, INJECTATE, PlaneMaps, WorldGrid
from trainer.needle import Needle
from trainer.probe import Probe
from trainer.scenario.model import Plane
from trainer.tissue import TissueKind

TENT_MM = 2.5  # how far a sheet stretches ahead of the tip before it gives way [E, as seen in
# in-plane blocks: the fascia visibly bows 2-3 mm, then "pops"]
SPREAD_MM = 2.0  # the tent's half-width across the shaft (Gaussian sigma) [E]
AHEAD_MM = 3.0  # tissue ahead of the tip is squeezed over this distance [E]
BEHIND_MM = 6.0  # and dragged along the distal shaft over this one (longer than TENT_MM: no folding)
STEP_MM = 0.1
TENT_STEP_MM = 0.5  # the tent deepens in these steps: a needle nudged back and forth reuses the image
# Sheets that yield: fascia between soft layers, the pleura, vessel walls. Bone stops the needle;
# a joint capsule, a nerve or the dura are not drawn stretching (they are targets or hazards whose
# boundary the trainee must see where it is).
YIELDING = frozenset(
    {
        TissueKind.SKIN,
        TissueKind.FAT,
        TissueKind.MUSCLE,
        TissueKind.FASCIA,
        TissueKind.PLEURA,
        TissueKind.LUNG,
        TissueKind.ARTERY,
        TissueKind.VEIN,
    }
)


@dataclass(frozen=True, slots=True)
class Tent:
    """A sheet stretched `depth_mm` ahead of its rest position, its apex on the tip at (x, z), the
    shaft along (dx, dz)."""

    tip_x_mm: float
    tip_z_mm: float
    dx: float
    dz: float
    depth_mm: float


def find_tent(needle: Needle, probe: Probe, plane: Plane, maps: PlaneMaps, grid: WorldGrid) -> Tent | None:
    """The tent the tip raises, if it has just crossed a yielding boundary within the slice."""
    if not needle.inserted or abs(needle.tip_y_mm - probe.y_mm) > probe.slice_thickness_mm:
        return None
    dx, dz, _ = needle.direction
    norm = math.hypot(dx, dz)
    if norm < 0.5:
        return None
    dx, dz = dx / norm, dz / norm
    tx, tz = needle.tip_mm
    back = np.arange(0.0, TENT_MM + STEP_MM, STEP_MM)
    gx, gz = grid.to_grid(tx - back * dx, tz - back * dz)
    h, w = maps.labels.shape
    labels = maps.labels[
        np.clip(np.rint(gz), 0, h - 1).astype(int), np.clip(np.rint(gx), 0, w - 1).astype(int)
    ]
    crossed = np.nonzero(labels != labels[0])[0]
    if crossed.size == 0 or not (_yields(labels[0], plane) and _yields(labels[crossed[0]], plane)):
        return None
    past = float(back[crossed[0]])
    depth = max(round(past / TENT_STEP_MM), 1) * TENT_STEP_MM
    sheet = round((needle.depth_mm - past) / STEP_MM) * STEP_MM  # where the shaft meets the sheet at rest
    apex_x, apex_z, _ = needle.point_at(sheet + depth)  # the same for small moves of the tip
    return Tent(float(apex_x), float(apex_z), dx, dz, depth)


def _yields(label: int, plane: Plane) -> bool:
    if label in (COUPLING, INJECTATE) or label >= len(plane.structures):
        return False
    return plane.structures[label].kind in YIELDING


def tented(tent: Tent, x_mm: np.ndarray, z_mm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the tissue shown at world points (x, z) rests: the tip's apex reads the sheet's rest
    position `depth_mm` behind it; the pull fades across the shaft, ahead and behind."""
    rx, rz = x_mm - tent.tip_x_mm, z_mm - tent.tip_z_mm
    ahead = rx * tent.dx + rz * tent.dz
    across = rx * tent.dz - rz * tent.dx
    along = np.where(ahead > 0.0, np.exp(-ahead / AHEAD_MM), np.exp(ahead / BEHIND_MM))
    pull = (tent.depth_mm * along * np.exp(-0.5 * (across / SPREAD_MM) ** 2)).astype(np.float32)
    return x_mm - pull * np.float32(tent.dx), z_mm - pull * np.float32(tent.dz)


REACH_MM = 4.0 * BEHIND_MM  # beyond this from the tip the pull is below a hundredth of a millimetre


def tented_grid(
    tent: Tent, grid: WorldGrid, grid_x: np.ndarray, grid_z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Beam sampling coordinates (fine-grid pixels) after the tent's pull, worked out only near the tip."""
    cx, cz = grid.to_grid(np.array([tent.tip_x_mm]), np.array([tent.tip_z_mm]))
    reach = REACH_MM / GRID_MM
    near = (np.abs(grid_x - cx[0]) < reach) & (np.abs(grid_z - cz[0]) < reach)
    x = np.float32(grid.x0_mm) + grid_x[near] * np.float32(GRID_MM)
    sx, sz = tented(tent, x, grid_z[near] * np.float32(GRID_MM))
    out_x, out_z = grid_x.copy(), grid_z.copy()
    out_x[near], out_z[near] = grid.to_grid(sx, sz)
    return out_x, out_z
