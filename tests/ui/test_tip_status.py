"""The live panel says where the tip is by the score's own rule, to a tenth of a millimetre, and
stays live after an injection."""

import math

from scripted import advance, aim, in_view

from trainer.ui import theme
from trainer.ui.tip_status import tip_status

CYST = (5.0, 28.0)  # the gel phantom's cyst centre; its target zone is a polygon of radius 4.5 mm


def test_a_tip_just_outside_the_zone_is_not_called_on_target():
    sim = in_view("gel_phantom")
    assert tip_status(sim)[0] == "not inserted"
    to_centre = aim(sim, -30.0, CYST)
    advance(sim, to_centre - 5.3)  # the tip (0.5 mm in at the puncture) stops 4.8 mm from the centre
    words, colour = tip_status(sim)
    hit, off_mm = sim.assessment.by_name["target_hit"].now, sim.assessment.by_name["tip_to_target_mm"].now
    assert not hit and 0.05 < off_mm < 1.0
    # in the cyst's fluid, the right compartment, yet outside the zone the score counts: said so
    assert words == f"{off_mm:.1f} mm from the target zone, in fluid" and colour == theme.TEXT
    advance(sim, -3.0)
    words, colour = tip_status(sim)
    assert words.endswith("in the gel: the wrong compartment") and colour == theme.WARN
    advance(sim, 3.0)
    advance(sim, 1.5)
    assert tip_status(sim) == ("in the target zone", theme.OK)


def test_the_status_stays_live_after_an_injection():
    sim = in_view("gel_phantom")
    advance(sim, aim(sim, -30.0, CYST))
    sim.inject(0.5)
    assert tip_status(sim)[0] == "in the target zone"
    sim.advance(-8.0)
    words, _ = tip_status(sim)
    off_mm = sim.assessment.by_name["tip_to_target_mm"].now
    assert words.startswith(f"{off_mm:.1f} mm from the target zone") and off_mm > 3.0
    assert math.isclose(sim.assessment.values()["tip_to_target_mm"], 0.0, abs_tol=0.5)  # the score's own
