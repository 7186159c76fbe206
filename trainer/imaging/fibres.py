"""How a muscle's fibres lie in the image of a turned probe (sonoanatomy section 3).

The back muscles' fibres run cranio-caudally along the skin, dipping `fibre_deg` into the body
(their angle in a parasagittal image). A parasagittal probe sees them in long axis (pennate
striations); turned transverse it cuts them across (short axis, "starry sky"). The texture is a blend
of the two, weighted by how far the fibres leave the beam plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainer.patient.frame import oriented_frame

LONG_AXIS_STEPS = 8  # the long-axis share is rounded to eighths: a turning probe reuses the blends
_ORIGIN = np.zeros(3)
_NORMAL = np.array([0.0, 0.0, 1.0])  # into the body; fibres follow the skin, so a flat patch will do


@dataclass(frozen=True, slots=True)
class FibreView:
    """The fibres in one image: their angle there (deg from +x, turning down), and the share of the
    long-axis texture (1 along the image, 0 straight across it)."""

    in_plane_deg: float
    long_axis: float


def fibre_view(fibre_deg: float, orientation_deg: tuple[float, float, float]) -> FibreView:
    """Fibres dipping `fibre_deg` in the parasagittal image, seen by a probe turned by
    (rotation, tilt, rock) degrees."""
    rotation, tilt, rock = orientation_deg
    reference = oriented_frame(_ORIGIN, _NORMAL, 1.0, 0.0)
    frame = oriented_frame(_ORIGIN, _NORMAL, 1.0, rotation, tilt, rock)
    dip = math.radians(fibre_deg)
    fibre = math.cos(dip) * reference.u + math.sin(dip) * reference.w
    across = min(abs(float(fibre @ frame.v)), 1.0)  # sine of the angle out of the beam plane
    share = round((1.0 - across * across) * LONG_AXIS_STEPS) / LONG_AXIS_STEPS  # cos^2 of it
    mirrored = float(fibre @ frame.u) < 0.0  # the image runs the other way along them
    return FibreView(-fibre_deg if mirrored else fibre_deg, share)
