"""Arteries pulsate and colour Doppler shows flow as a separate layer."""

import numpy as np
from imaging_helpers import bounds, box, esp_tp_view

from trainer.imaging import doppler_rgba
from trainer.imaging.doppler import velocity
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


def test_doppler_colours_the_artery_only_and_pulses():
    sim = esp_tp_view()
    systole, diastole = _systole_and_diastole_times(sim)
    sim.step(diastole)
    slow = velocity(sim.renderer, sim.view())
    sim.step(systole - diastole + 60.0 / sim.scenario.physiology.heart_rate_per_min)
    fast = velocity(sim.renderer, sim.view())
    lumen = box(sim, fast, *_lumen(sim, 0.5))
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


def test_the_artery_lumen_swells_in_systole():
    sim = esp_tp_view()
    systole, diastole = _systole_and_diastole_times(sim)
    sim.step(diastole)
    relaxed = box(sim, sim.render_envelope(), *_lumen(sim, 1.5))
    sim.step(systole - diastole + 60.0 / sim.scenario.physiology.heart_rate_per_min)
    swollen = box(sim, sim.render_envelope(), *_lumen(sim, 1.5))
    background = np.median(relaxed)
    assert (swollen < 0.1 * background).sum() > (relaxed < 0.1 * background).sum()
