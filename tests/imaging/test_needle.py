"""The needle: bright when flat, fading as it steepens, shown only inside the elevational slice."""

import numpy as np
from imaging_helpers import phantom, shaft_pixels

import trainer


def _needled_phantom(skin_angle_deg: float, reach_x_mm: float = 8.0) -> trainer.Simulation:
    """The needle enters beside the probe and runs in plane until its tip is under x = reach_x_mm."""
    sim = phantom()
    entry = -30.0
    assert sim.insert(entry, skin_angle_deg)
    sim.advance((reach_x_mm - entry) / np.cos(np.radians(skin_angle_deg)))
    return sim


def _shaft_envelope(
    sim: trainer.Simulation, x_range_mm: tuple[float, float], image_of: trainer.Simulation | None = None
) -> float:
    """Mean envelope along the part of the shaft within an x range (of another sim's image if given)."""
    s = np.linspace(0.0, sim.needle.depth_mm, 200)
    x, _, _ = sim.needle.point_at(s)
    s = s[(x > x_range_mm[0]) & (x < x_range_mm[1])]
    return float(shaft_pixels(sim, (image_of or sim).render_envelope(), s).mean())


def _contrast_db(skin_angle_deg: float) -> float:
    """Shaft echo over the speckle at the same pixels without the needle, in dB."""
    sim = _needled_phantom(skin_angle_deg, reach_x_mm=-12.0)
    shaft = _shaft_envelope(sim, (-20.0, -14.0))
    return 20.0 * float(np.log10(shaft / _shaft_envelope(sim, (-20.0, -14.0), image_of=phantom())))


def test_a_flat_needle_is_brighter_than_a_steep_one():
    flat, mid, steep = (_contrast_db(a) for a in (15, 30, 45))
    assert flat > mid > steep
    assert flat - steep > 8.0
    assert flat > 15.0


def test_a_needle_tilted_out_of_the_slice_vanishes_beyond_where_it_leaves_it():
    sim = _needled_phantom(20.0)
    background = _shaft_envelope(sim, (-5.0, 5.0), image_of=phantom())  # same pixels, no needle
    in_plane = _shaft_envelope(sim, (-5.0, 5.0))
    sim.tilt_needle(6.0)
    tilted = _shaft_envelope(sim, (-5.0, 5.0))
    near_entry = _shaft_envelope(sim, (-22.0, -18.0))
    assert in_plane > 4.0 * background
    assert tilted < 1.3 * background
    assert near_entry > 3.0 * background  # the proximal shaft is still in the slice


def test_the_tip_is_drawn_where_the_core_puts_it():
    sim = _needled_phantom(25.0)
    grey = sim.render().astype(float)
    r, c = (round(v) for v in sim.world_to_pixel(*sim.needle.tip_mm))
    beyond_r, beyond_c = (
        round(v) for v in sim.world_to_pixel(sim.needle.tip_mm[0] + 3.0, sim.needle.tip_mm[1] + 1.4)
    )
    tip = grey[r - 2 : r + 3, c - 2 : c + 3].max()
    assert tip > 120
    assert tip > grey[beyond_r - 2 : beyond_r + 3, beyond_c - 2 : beyond_c + 3].max() + 40
