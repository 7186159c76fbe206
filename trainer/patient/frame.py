"""A probe's frame on the back: origin on the skin, U along the image, V out of plane, W down the beam."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Frame:
    """Orthonormal axes in the patient's world (X lateral right, Y caudal, Z into the body, mm)."""

    origin: np.ndarray
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray

    def to_world(self, x_mm: np.ndarray, y_mm: np.ndarray | float, t_mm: np.ndarray) -> np.ndarray:
        """World points (..., 3) at (x along U, y along V, t along W) from the origin."""
        x, y, t = np.broadcast_arrays(
            np.asarray(x_mm, float), np.asarray(y_mm, float), np.asarray(t_mm, float)
        )
        return self.origin + x[..., None] * self.u + y[..., None] * self.v + t[..., None] * self.w

    def to_local(self, points: np.ndarray) -> np.ndarray:
        """(x, y, t) of world points (..., 3)."""
        d = np.asarray(points, float) - self.origin
        return np.stack([d @ self.u, d @ self.v, d @ self.w], axis=-1)


def oriented_frame(
    contact: np.ndarray,
    normal: np.ndarray,
    side_sign: float,
    rotation_deg: float,
    tilt_deg: float = 0.0,
    rock_deg: float = 0.0,
) -> Frame:
    """The probe's frame at a skin contact point.

    rotation 0: parasagittal with the marker cranial, image +x caudal; 90: transverse with the marker
    lateral, image +x medial. V points laterally at rotation 0. Tilt fans the beam across (about U),
    rock tips it along the image (about V).
    """
    n = normal / np.linalg.norm(normal)
    caudal = np.array([0.0, 1.0, 0.0])
    u0 = caudal - (caudal @ n) * n
    u0 /= np.linalg.norm(u0)
    lateral = np.cross(u0, n) * side_sign  # +X on the right side at rotation 0
    r = math.radians(rotation_deg)
    u = math.cos(r) * u0 - math.sin(r) * lateral
    v = np.cross(u, n) * side_sign
    t, k = math.radians(tilt_deg), math.radians(rock_deg)
    w = math.cos(t) * n + math.sin(t) * v
    v = math.cos(t) * v - math.sin(t) * n
    u, w = math.cos(k) * u - math.sin(k) * w, math.cos(k) * w + math.sin(k) * u
    return Frame(np.asarray(contact, float), u, v, w)
