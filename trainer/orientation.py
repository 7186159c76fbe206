"""Which anatomical direction each screen side and each out-of-plane direction is, per scenario."""

from __future__ import annotations

from trainer.scenario.model import Scenario


def axis_names(sc: Scenario) -> tuple[str, str, str, str]:
    """(screen left, screen right, out-of-plane minus, out-of-plane plus) in anatomical words.

    Parasagittal views put cranial on the left of the screen and slide medially or laterally out of
    plane; oblique and transverse views put medial on the left and slide cranially or caudally.
    """
    if sc.orientation == "parasagittal":
        return "cranial", "caudal", "medial", "lateral"
    return "medial", "lateral", "cranial", "caudal"
