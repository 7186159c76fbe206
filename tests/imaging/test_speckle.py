"""Speckle is fully developed, tied to the tissue and still when nothing moves."""

import numpy as np
from imaging_helpers import beam_box, box, phantom

import trainer


def _normalised_rows(env: np.ndarray) -> np.ndarray:
    return env / env.mean(axis=1, keepdims=True)


def test_envelope_in_homogeneous_gel_is_rayleigh_distributed():
    """As the beam forms it, and as displayed (interpolating between scan lines smooths it a little)."""
    sim = phantom()
    region = ((-20.0, -3.0), (6.0, 18.0))
    env = _normalised_rows(beam_box(sim, *region).astype(float))
    snr = env.mean() / env.std()
    assert abs(snr - 1.91) < 0.15, snr  # Rayleigh: sqrt(pi / (4 - pi))
    assert abs(env.mean() ** 2 / np.mean(env**2) - np.pi / 4) < 0.03
    shown = _normalised_rows(box(sim, sim.render_envelope(), *region).astype(float))
    assert abs(shown.mean() / shown.std() - 1.91) < 0.25


def test_still_probe_gives_bit_identical_frames():
    sim = phantom()
    first = sim.render()
    assert np.array_equal(first, sim.render())
    sim.step(0.5)  # nothing in the phantom moves with time
    assert np.array_equal(first, sim.render())
    again = phantom()
    assert np.array_equal(first, again.render())


def test_still_probe_on_a_breathing_patient_repeats_the_same_frame():
    sim = trainer.Simulation(trainer.load_scenario("esp_block"), seed=2)
    sim.step(0.7)
    assert np.array_equal(sim.render(), sim.render())


def _log_rows(env: np.ndarray) -> np.ndarray:
    """Log envelope with each row's mean removed (drops the common attenuation trend)."""
    log = np.log(np.maximum(env.astype(float), 1e-9))
    return log - log.mean(axis=1, keepdims=True)


def _best_shift(a: np.ndarray, b: np.ndarray, max_shift: int) -> tuple[int, float]:
    """The shift k with b[:, c] best matching a[:, c + k], and that correlation."""
    best = (0, -1.0)
    w = a.shape[1]
    for k in range(-max_shift, max_shift + 1):
        pa = a[:, max(0, k) : w + min(0, k)]
        pb = b[:, max(0, -k) : w + min(0, -k)]
        c = float(np.corrcoef(pa.ravel(), pb.ravel())[0, 1])
        if c > best[1]:
            best = (k, c)
    return best


def test_speckle_moves_with_the_tissue_when_the_probe_slides():
    sim = phantom()
    before = sim.render_envelope()
    sim.move_probe(dx_mm=1.5)
    after = sim.render_envelope()
    geo = sim.view().geometry
    expected = 1.5 / geo.mm_per_px  # the anatomy moves left on screen as the probe slides right
    rows = slice(*(round(v) for v in (sim.world_to_pixel(0, 6)[0], sim.world_to_pixel(0, 18)[0])))
    cols = slice(geo.field_cols.start + 40, geo.field_cols.stop - 40)
    shift, corr = _best_shift(_log_rows(before[rows, cols]), _log_rows(after[rows, cols]), 40)
    assert abs(shift - expected) <= 1.0, (shift, expected)
    assert corr > 0.8


def _correlation_after_elevation(dy_mm: float) -> float:
    sim = phantom()
    region = ((-20.0, -3.0), (6.0, 18.0))
    a = _log_rows(box(sim, sim.render_envelope(), *region))
    sim.move_probe(dy_mm=dy_mm)
    b = _log_rows(box(sim, sim.render_envelope(), *region))
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def test_speckle_decorrelates_gradually_out_of_plane():
    near, mid, far = (_correlation_after_elevation(dy) for dy in (0.15, 0.5, 1.0))
    assert near > 0.85
    assert near > mid > far
    assert far < 0.2
