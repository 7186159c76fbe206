"""Turn the file's shape descriptions (layers, polygons, polylines, circles) into shapely polygons."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon
from shapely.validation import explain_validity

Coords = Sequence[Sequence[float]]


class ShapeError(ValueError):
    """A shape that cannot be built; the message says why."""


def boundary_depth(bottom: float | Coords | None, x_mm: np.ndarray, floor_mm: float) -> np.ndarray:
    """Depth of a layer's bottom boundary at each x (flat, piecewise linear, or the section floor)."""
    if bottom is None:
        return np.full_like(x_mm, floor_mm)
    if isinstance(bottom, int | float):
        return np.full_like(x_mm, float(bottom))
    xs = np.array([p[0] for p in bottom], dtype=float)
    if np.any(np.diff(xs) <= 0):
        raise ShapeError("the polyline's x values must increase from left to right")
    zs = np.array([p[1] for p in bottom], dtype=float)
    return np.interp(x_mm, xs, zs)


def boundary_xs(bottoms: Sequence[float | Coords | None], x_range: tuple[float, float]) -> np.ndarray:
    """Sample positions that capture every vertex of every layer boundary."""
    xs = {x_range[0], x_range[1], *np.linspace(x_range[0], x_range[1], 25)}
    for b in bottoms:
        if isinstance(b, list | tuple):
            xs.update(p[0] for p in b if x_range[0] < p[0] < x_range[1])
    return np.array(sorted(xs))


def band(xs: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> Polygon:
    """The region between two boundaries sampled at `xs`."""
    ring = list(zip(xs, top, strict=True)) + list(zip(xs[::-1], bottom[::-1], strict=True))
    poly = Polygon(ring)
    if not poly.is_valid:
        poly = shapely.make_valid(poly).buffer(0)
    return poly


def polygon(points: Coords) -> Polygon:
    """A closed polygon; the first point must be repeated at the end."""
    if len(points) < 4:
        raise ShapeError("a polygon needs at least 3 corners and the first point repeated at the end")
    if tuple(points[0]) != tuple(points[-1]):
        raise ShapeError(
            f"the polygon is not closed: it starts at {list(points[0])} and ends at {list(points[-1])}"
        )
    poly = Polygon(points)
    if not poly.is_valid:
        raise ShapeError(f"the polygon is invalid ({explain_validity(poly)})")
    if poly.area < 0.01:
        raise ShapeError("the polygon has no area")
    return poly


def thick_polyline(points: Coords, thickness_mm: float) -> Polygon:
    if len(points) < 2:
        raise ShapeError("a polyline needs at least 2 points")
    line = LineString(points)
    if line.length <= 0:
        raise ShapeError("the polyline has no length")
    return line.buffer(thickness_mm / 2.0, cap_style="flat", join_style="round")


def circle(cx: float, cz: float, radius_mm: float) -> Polygon:
    if radius_mm <= 0:
        raise ShapeError("the radius must be positive")
    return Point(cx, cz).buffer(radius_mm, quad_segs=16)


def ellipse(cx: float, cz: float, a_mm: float, b_mm: float, angle_deg: float) -> Polygon:
    """Ellipse with semi-axes `a_mm` (along `angle_deg` from +x, turning down) and `b_mm`."""
    if a_mm <= 0 or b_mm <= 0:
        raise ShapeError("both semi-axes must be positive")
    unit = Point(0.0, 0.0).buffer(1.0, quad_segs=16)
    shape = affinity.scale(unit, a_mm, b_mm, origin=(0, 0))
    shape = affinity.rotate(shape, angle_deg, origin=(0, 0))
    return affinity.translate(shape, cx, cz)
