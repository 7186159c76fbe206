"""The needle: bright when flat, fading as it steepens, shown only inside the elevational slice."""

from dataclasses import replace

import numpy as np
from imaging_helpers import bounds, box, esp_tp_view, phantom, shaft_pixels
from shapely.geometry import LineString

import trainer
from trainer.bench import other_probe
from trainer.imaging.needle_echo import squareness


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


def _nichols_units(insonation_deg: float) -> float:
    """Nichols 2003, plain needle: 68 units square-on (90 deg), 7 at 15 deg, linear between."""
    return 7.0 + (68.0 - 7.0) * (insonation_deg - 15.0) / 75.0


def _grey_contrast(skin_angle_deg: float, curvilinear: bool) -> tuple[float, float]:
    """Displayed grey of the mid-shaft (x -14 to -6 mm) over the same pixels without the needle, and
    the mean insonation angle there (from each point's own scan line on a curvilinear probe)."""
    sims = []
    for needled in (True, False):
        sim = phantom()
        if curvilinear:
            sim.probe = replace(other_probe("gel_phantom"), x_mm=0.0, y_mm=0.0)
            sim.set_imaging(depth_mm=50.0)
        if needled:
            entry = -35.0 if curvilinear else -30.0
            assert sim.insert(entry, skin_angle_deg)
            sim.advance((-2.0 - entry) / np.cos(np.radians(skin_angle_deg)))
        sims.append(sim)
    needle = sims[0].needle
    s = np.linspace(0.0, needle.depth_mm, 300)
    x, z, _ = needle.point_at(s)
    mid = (x > -14.0) & (x < -6.0)
    with_needle, without = (shaft_pixels(sims[0], sim.render().astype(float), s[mid]).mean() for sim in sims)
    insonation = 90.0 - float(squareness(sims[0].view().geometry, needle, x[mid], z[mid]).mean())
    return float(with_needle - without), insonation


def test_needle_contrast_falls_with_angle_as_nichols_figures_interpolate():
    """A needle at 60 deg to a linear probe's face (30 deg insonation) keeps about 0.37 of its
    contrast at 20 deg (70 deg insonation); on a curvilinear probe the local scan line decides."""
    for curvilinear in (False, True):
        (shallow, a_shallow), (steep, a_steep) = (_grey_contrast(a, curvilinear) for a in (20.0, 60.0))
        expected = _nichols_units(a_steep) / _nichols_units(a_shallow)
        assert abs(steep / shallow - expected) < 0.15, (curvilinear, steep / shallow, expected)


def test_a_flat_needle_is_not_brighter_than_bone_cortex():
    sim = esp_tp_view()
    x0, top, x1, _ = bounds(sim, "tp_t5_right")
    cortex = box(sim, sim.render().astype(float), (x0 + 1.5, x1 - 1.5), (top - 0.5, top + 1.0)).max(axis=0)
    assert sim.insert(-26.0, 12.0)
    sim.advance(18.0)
    shaft = shaft_pixels(sim, sim.render().astype(float), np.linspace(2.0, sim.needle.depth_mm - 2.0, 50))
    assert shaft.max() <= cortex.max()
    assert shaft.mean() < cortex.mean()


def test_no_needle_echo_or_reverberation_inside_a_bone_shadow():
    sc = trainer.load_scenario("esp_block")
    sim = trainer.Simulation(sc, seed=0)
    trainer.play(sim, trainer.expert_attempt(sc))
    tip_x, tip_z = sim.needle.tip_mm
    shadow = ((tip_x - 0.5, tip_x + 0.5), (tip_z + 1.5, tip_z + 4.0))
    without = trainer.Simulation(sc, seed=0)  # the same attempt (injectate too), needle withdrawn
    trainer.play(without, trainer.expert_attempt(sc))
    without.advance(-without.needle.depth_mm - 1.0)
    assert not without.needle.inserted
    with_needle = box(sim, sim.render().astype(float), *shadow)
    no_needle = box(sim, without.render().astype(float), *shadow)
    assert sim.scenario.planes[0].structure_at(tip_x, tip_z + 2.0).kind == "bone"
    assert with_needle.max() <= no_needle.max() + 3.0


def _sheet_under_tip_mm(sim: trainer.Simulation) -> tuple[float, float]:
    """Where the trapezius ends in the image column through the tip (beam-space labels), and where
    it ends there at rest (the plane's geometry)."""
    geo = sim.view().geometry
    x, _ = sim.needle.tip_mm
    _, j = (round(float(v)) for v in geo.world_to_beam(x, 0.0))
    labels = sim.renderer.tissue(sim.view()).labels[:, j]
    index = [s.name for s in sim.plane.structures].index("trapezius")
    shown = float(geo.sample_ranges_mm[int(np.nonzero(labels == index)[0].max()) + 1])
    rest = sim.plane.structure("trapezius").geometry.intersection(LineString([(x, 0.0), (x, 90.0)]))
    return shown, float(rest.bounds[3])


def _advance_past_sheet(sim: trainer.Simulation, past_mm: float) -> None:
    """Advance until the tip is `past_mm` along the shaft beyond where the sheet under the
    trapezius lies at rest."""
    _, dz, _ = sim.needle.direction
    while (sim.needle.tip_mm[1] - _sheet_under_tip_mm(sim)[1]) / dz < past_mm:
        sim.advance(0.05)


def test_a_fascia_tents_ahead_of_the_tip_then_springs_back_once_pierced():
    """The sheet between trapezius and rhomboid, 13 mm deep, stretches over the tip until the tip
    is 2.5 mm (TENT_MM) beyond its rest position."""
    sim = esp_tp_view()
    assert sim.insert(-24.0, 35.0)
    _advance_past_sheet(sim, 2.0)
    shown, rest = _sheet_under_tip_mm(sim)
    assert shown > rest + 0.8, (shown, rest)
    _advance_past_sheet(sim, 3.0)
    shown, rest = _sheet_under_tip_mm(sim)
    assert abs(shown - rest) < 0.2, (shown, rest)
