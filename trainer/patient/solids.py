"""Solids as unions of small convex pieces, and the cut of a plane through them.

A piece is a vertex cloud whose convex hull is the solid part. The plane's cut through a convex hull is
the convex hull of the points where the plane crosses the segments joining vertices on its two sides,
so slicing needs no mesh: a few numpy products and one vectorised shapely hull per piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from trainer.tissue import TissueKind

RING_POINTS = 16
Sizes = np.ndarray | Sequence[float] | float


@dataclass(frozen=True)
class Solid:
    """One named structure: `pieces` (n, k, 3) convex vertex clouds in world mm."""

    name: str
    kind: TissueKind
    pieces: np.ndarray
    fibre_deg: float | None = None
    note: str = ""


def _ring(half_a: float, half_b: float, power: float) -> np.ndarray:
    """A superellipse of RING_POINTS points: power 2 is an ellipse, larger is squarer."""
    a = np.linspace(0.0, 2.0 * np.pi, RING_POINTS, endpoint=False)
    c, s = np.cos(a), np.sin(a)
    e = 2.0 / power
    return np.stack([half_a * np.sign(c) * np.abs(c) ** e, half_b * np.sign(s) * np.abs(s) ** e], axis=1)


def tube(points: np.ndarray, half_a: Sizes, half_b: Sizes, power: float = 2.0) -> np.ndarray:
    """Convex pieces along a centreline (m, 3): cross-section half sizes `half_a` across the
    centreline in the horizontal direction and `half_b` in the depth direction (Z)."""
    p = np.asarray(points, float)
    m = len(p)
    ha = np.broadcast_to(np.asarray(half_a, float), (m,))
    hb = np.broadcast_to(np.asarray(half_b, float), (m,))
    rings = []
    for i in range(m):
        t = p[min(i + 1, m - 1)] - p[max(i - 1, 0)]
        t /= np.linalg.norm(t)
        depth = np.array([0.0, 0.0, 1.0]) - t[2] * t
        if np.linalg.norm(depth) < 1e-6:  # a vertical centreline: take the caudal axis instead
            depth = np.array([0.0, 1.0, 0.0]) - t[1] * t
        e2 = depth / np.linalg.norm(depth)
        e1 = np.cross(t, e2)
        r = _ring(ha[i], hb[i], power)
        rings.append(p[i] + r[:, :1] * e1 + r[:, 1:] * e2)
    return np.stack([np.concatenate([rings[i], rings[i + 1]]) for i in range(m - 1)])


def box(centre: np.ndarray, axes: np.ndarray, half: tuple[float, float, float]) -> np.ndarray:
    """One convex piece: a box with edge directions `axes` (3, 3) and half sizes, as a (1, 8, 3) cloud."""
    signs = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)], float)
    corners = np.asarray(centre, float) + (signs * np.asarray(half)) @ np.asarray(axes, float)
    return corners[None]


def pad(pieces: list[np.ndarray]) -> np.ndarray:
    """Stack clouds of different sizes by repeating each cloud's first vertex (hulls are unchanged)."""
    k = max(p.shape[1] for p in pieces)
    out = []
    for p in pieces:
        if p.shape[1] < k:
            p = np.concatenate([p, np.repeat(p[:, :1], k - p.shape[1], axis=1)], axis=1)
        out.append(p)
    return np.concatenate(out)


def cut(
    pieces: np.ndarray,
    origin: np.ndarray,
    normal: np.ndarray,
    axes: tuple[np.ndarray, np.ndarray],
    window: tuple[float, float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Polygons where a plane cuts each piece: (indices of the pieces cut, their shapely polygons)
    in the plane's 2D coordinates along `axes`; with a `window` (a0, b0, a1, b1 along the axes), only
    of the pieces that reach into it."""
    rel = pieces - origin
    d = rel @ normal  # (n, k)
    hit = (d.min(axis=1) < 0.0) & (d.max(axis=1) > 0.0)
    if window is not None:
        a, b = rel @ axes[0], rel @ axes[1]
        hit &= (a.max(axis=1) > window[0]) & (a.min(axis=1) < window[2])
        hit &= (b.max(axis=1) > window[1]) & (b.min(axis=1) < window[3])
    crossing = np.flatnonzero(hit)
    if len(crossing) == 0:
        return crossing, np.empty(0, dtype=object)
    v, dv = pieces[crossing], d[crossing]
    below = dv[:, :, None] < 0.0
    above = dv[:, None, :] >= 0.0
    pair = below & above  # (c, k, k): vertex i below, vertex j above
    c_idx, i_idx, j_idx = np.nonzero(pair)
    di, dj = dv[c_idx, i_idx], dv[c_idx, j_idx]
    f = (di / (di - dj))[:, None]
    pts = v[c_idx, i_idx] + f * (v[c_idx, j_idx] - v[c_idx, i_idx]) - origin
    xy = np.stack([pts @ axes[0], pts @ axes[1]], axis=1)
    hulls = shapely.convex_hull(shapely.multipoints(xy, indices=c_idx))
    keep = shapely.get_type_id(hulls) == 3  # polygons only: a grazing cut is a line or a point
    return crossing[keep], hulls[keep]
