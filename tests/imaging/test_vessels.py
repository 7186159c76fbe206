"""Arteries pulsate and colour Doppler shows flow as a separate layer."""

import numpy as np
from imaging_helpers import box, esp_tp_view

from trainer.imaging import doppler_rgba
from trainer.imaging.doppler import velocity
from trainer.physiology import pulse


def _systole_and_diastole_times(sim) -> tuple[float, float]:
    t = np.linspace(0.0, 60.0 / sim.scenario.physiology.heart_rate_per_min, 200)
    p = [pulse(sim.scenario.physiology, ti) for ti in t]
    return float(t[int(np.argmax(p))]), float(t[int(np.argmin(p))])


def test_doppler_colours_the_artery_only_and_pulses():
    sim = esp_tp_view()
    systole, diastole = _systole_and_diastole_times(sim)
    sim.step(diastole)
    slow = velocity(sim.renderer, sim.view())
    sim.step(systole - diastole + 60.0 / sim.scenario.physiology.heart_rate_per_min)
    fast = velocity(sim.renderer, sim.view())
    lumen = box(sim, fast, (10.9, 12.1), (39.4, 40.6))
    assert lumen.min() > 0.3  # arterial flow toward the probe
    assert box(sim, fast, (-20.0, 20.0), (5.0, 30.0)).max() == 0.0
    assert fast.max() > 1.5 * slow.max()
    rgba = doppler_rgba(sim.renderer, sim.view())
    assert rgba.shape == (*sim.render().shape, 4)
    assert (rgba[..., 3] > 0).sum() == (np.abs(fast) > 0.08).sum()


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
    """The anechoic lumen (radius 0.9 mm at rest) widens: the ring just inside its wall darkens."""
    sim = esp_tp_view()
    artery = sim.plane.structure("artery_t5_t6").geometry.centroid
    systole, diastole = _systole_and_diastole_times(sim)
    sim.step(diastole)
    relaxed = _echo_at_radius(sim, (artery.x, artery.y), (0.6, 0.9))
    sim.step(systole - diastole + 60.0 / sim.scenario.physiology.heart_rate_per_min)
    swollen = _echo_at_radius(sim, (artery.x, artery.y), (0.6, 0.9))
    assert swollen < 0.85 * relaxed
