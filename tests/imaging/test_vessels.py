"""Arteries pulsate and colour Doppler shows flow as a separate layer."""

from dataclasses import replace

import numpy as np
from imaging_helpers import bounds, box, esp_tp_view

from trainer.bench import other_probe
from trainer.imaging import doppler_rgba
from trainer.imaging.doppler import (
    BOX_OUTLINE,
    ColourBox,
    box_mask,
    flow_direction,
    measured_velocity,
    velocity,
)
from trainer.physiology import pulse


def _systole_and_diastole_times(sim) -> tuple[float, float]:
    t = np.linspace(0.0, 60.0 / sim.scenario.physiology.heart_rate_per_min, 200)
    p = [pulse(sim.scenario.physiology, ti) for ti in t]
    return float(t[int(np.argmax(p))]), float(t[int(np.argmin(p))])


ARTERY = "intercostal_artery_t5_t6_right"  # in the intertransverse gap caudal to the T5 TP


def _lumen(sim, margin_mm: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """A box around the artery's centre, `margin_mm` from it each way."""
    x0, z0, x1, z1 = bounds(sim, ARTERY)
    cx, cz = 0.5 * (x0 + x1), 0.5 * (z0 + z1)
    return (cx - margin_mm, cx + margin_mm), (cz - margin_mm, cz + margin_mm)


def _artery_lumen(sim) -> tuple[tuple[float, float], tuple[float, float]]:
    return _lumen(sim, 0.5)


def test_doppler_colours_the_artery_only_and_pulses():
    sim = esp_tp_view()
    systole, diastole = _systole_and_diastole_times(sim)
    sim.step(diastole)
    slow = velocity(sim.renderer, sim.view())
    sim.step(systole - diastole + 60.0 / sim.scenario.physiology.heart_rate_per_min)
    fast = velocity(sim.renderer, sim.view())
    lumen = box(sim, fast, *_lumen(sim, 0.5))
    assert np.abs(lumen).min() > 2.0  # cm/s along the beam
    assert np.all(np.sign(lumen) == np.sign(lumen.mean()))  # one direction across the lumen
    assert box(sim, fast, (-20.0, 20.0), (5.0, 30.0)).max() == 0.0
    assert np.abs(fast).max() > 1.5 * np.abs(slow).max()
    rgba = doppler_rgba(sim.renderer, sim.view())
    assert rgba.shape == (*sim.render().shape, 4)


def test_colour_is_shown_only_inside_the_colour_box_with_its_outline():
    sim = esp_tp_view()
    box_ = ColourBox(left=0.6, right=0.9, top=0.6, bottom=0.95, gain_db=0.0)
    rgba = doppler_rgba(sim.renderer, sim.view(), box_)
    inside = box_mask(sim.view(), box_)
    coloured = (rgba[..., 3] > 0) & ~np.all(rgba[..., :4] == BOX_OUTLINE, axis=-1)
    assert coloured.any() and not (coloured & ~inside).any()
    assert (np.all(rgba == BOX_OUTLINE, axis=-1)).sum() > 100


def test_flow_faster_than_the_scale_aliases_to_the_opposite_colour():
    sim = esp_tp_view()
    systole, _ = _systole_and_diastole_times(sim)
    sim.step(systole)
    whole = ColourBox(left=0.0, right=1.0, top=0.0, bottom=1.0, gain_db=0.0)
    true = box(sim, velocity(sim.renderer, sim.view()), *_artery_lumen(sim))
    scale = 0.6 * float(np.abs(true).max())
    shown = box(
        sim,
        measured_velocity(sim.renderer, sim.view(), replace(whole, scale_cm_s=scale)),
        *_artery_lumen(sim),
    )
    fast = np.abs(true) > scale
    assert fast.any()
    assert np.all(np.sign(shown[fast]) == -np.sign(true[fast]))  # wrapped past the Nyquist limit
    assert np.all(np.abs(shown) <= scale + 1e-4)
    generous = measured_velocity(
        sim.renderer, sim.view(), replace(whole, scale_cm_s=2.0 * float(np.abs(true).max()))
    )
    assert np.all(np.sign(box(sim, generous, *_artery_lumen(sim))) == np.sign(true))


def test_flow_colour_follows_the_angle_to_each_scan_line():
    """A vessel whose flow leans along x is red on one side of a curvilinear fan, blue on the other."""
    sim = esp_tp_view()
    sim.probe = replace(other_probe("esp_block"), x_mm=0.0, y_mm=0.0)
    vessel = sim.plane.structure(ARTERY)
    ux, uz = flow_direction(vessel)
    c = vessel.geometry.centroid
    signs = []
    for probe_x in (c.x - 25.0, c.x + 25.0):
        sim.probe = replace(sim.probe, x_mm=probe_x)
        v = box(sim, velocity(sim.renderer, sim.view()), *_artery_lumen(sim))
        bx, bz = c.x - probe_x, c.y + sim.probe.radius_mm
        assert np.sign(v.mean()) == np.sign(-(ux * bx + uz * bz))
        signs.append(np.sign(v.mean()))
    assert abs(ux) > abs(uz) / 3.0 or signs[0] == signs[1]


def test_colour_gain_blooms_past_the_wall_and_adds_noise():
    sim = esp_tp_view()
    low, high = (
        replace(ColourBox(), left=0.0, right=1.0, top=0.0, bottom=1.0, gain_db=g) for g in (0.0, 20.0)
    )
    quiet, loud = (measured_velocity(sim.renderer, sim.view(), b) for b in (low, high))
    lumen = box(sim, np.ones_like(quiet), *_artery_lumen(sim))
    assert lumen.size and (loud != 0).sum() > (quiet != 0).sum()
    far_from_vessels = box(sim, loud, (-20.0, 20.0), (5.0, 30.0))
    assert (far_from_vessels != 0).mean() > 0.001  # noise speckles
    assert (box(sim, quiet, (-20.0, 20.0), (5.0, 30.0)) != 0).sum() == 0


def test_doppler_is_not_baked_into_the_grey_image():
    sim = esp_tp_view()
    grey = sim.render()
    sim.set_imaging(doppler=True)
    assert np.array_equal(grey, sim.render())


def _echo_at_radius(sim, centre_mm: tuple[float, float], radii_mm: tuple[float, float]) -> float:
    """Mean envelope in a ring around a world point."""
    env = sim.render_envelope()
    rows, cols = np.indices(env.shape)
    x, z = sim.view().geometry.pixel_to_world(rows, cols)
    r = np.hypot(x - centre_mm[0], z - centre_mm[1])
    return float(env[(r >= radii_mm[0]) & (r < radii_mm[1])].mean())


def test_the_artery_lumen_swells_in_systole():
    """The anechoic lumen (radius 1 mm at rest) widens: the ring just inside its wall darkens."""
    sim = esp_tp_view()
    artery = sim.plane.structure(ARTERY).geometry.centroid
    systole, diastole = _systole_and_diastole_times(sim)
    sim.step(diastole)
    relaxed = _echo_at_radius(sim, (artery.x, artery.y), (0.6, 0.9))
    sim.step(systole - diastole + 60.0 / sim.scenario.physiology.heart_rate_per_min)
    swollen = _echo_at_radius(sim, (artery.x, artery.y), (0.6, 0.9))
    assert swollen < 0.85 * relaxed


def test_a_moving_probe_flashes_colour_over_tissue_that_has_no_flow():
    sim = esp_tp_view()
    whole = ColourBox(left=0.0, right=1.0, top=0.0, bottom=1.0, gain_db=0.0)
    muscle = ((-20.0, 20.0), (5.0, 30.0))
    coloured = [
        (box(sim, measured_velocity(sim.renderer, sim.view(), whole, speed), *muscle) != 0).mean()
        for speed in (0.0, 3.0, 15.0, 40.0)
    ]
    assert coloured[0] == coloured[1] == 0.0  # held still, or barely moving: no flash
    assert 0.0 < coloured[2] < coloured[3], coloured
    assert coloured[3] > 0.5


def test_the_colour_box_moves_and_resizes_within_the_field():
    b = ColourBox().moved(0.5, -0.1)
    assert (b.right, round(b.top, 6)) == (1.0, 0.25) and round(b.right - b.left, 6) == 0.5
    small = ColourBox().resized(-2.0, -2.0)
    assert round(small.right - small.left, 6) == round(small.bottom - small.top, 6) == 0.1
    whole = ColourBox().resized(2.0, 2.0)
    assert (whole.left, whole.right, whole.top, whole.bottom) == (0.0, 1.0, 0.0, 1.0)
    assert ColourBox().with_scale(500.0).scale_cm_s == 80.0
