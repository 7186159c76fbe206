"""The beam: speckle grain set by the PSF, shadows computed over the beam's width."""

from pathlib import Path

import numpy as np
from imaging_helpers import beam_box, box, correlation_half_width_px, phantom

import trainer
from trainer.imaging.psf import aperture_mm, axial_sigma_mm, lateral_sigma_mm

HALF_WIDTH_PER_SIGMA = float(np.sqrt(2.0 * np.log(2.0)))  # intensity autocovariance of a Gaussian PSF
REGION = ((-20.0, -1.0), (12.0, 20.0))  # gel beside the cyst and above the tube, away from the edges


def _grain_mm(frequency_mhz: float) -> tuple[float, float]:
    """Lateral and axial correlation half-widths of the beam-space envelope (before the display
    interpolates between scan lines)."""
    sim = phantom()
    sim.set_imaging(frequency_mhz=frequency_mhz)
    geo = sim.view().geometry
    env = beam_box(sim, *REGION)
    lateral = correlation_half_width_px(env, 1) * float(geo.line_spacing_mm(16.0))
    return lateral, correlation_half_width_px(env, 0) * geo.sample_mm


def test_speckle_grain_follows_the_beam_resolution_at_each_frequency():
    for f in (5.0, 10.0):
        lateral, axial = _grain_mm(f)
        probe = phantom().probe
        sigma = float(lateral_sigma_mm(16.0, probe.focus_mm, f, aperture_mm(probe.footprint_mm)))
        assert abs(lateral / (HALF_WIDTH_PER_SIGMA * sigma) - 1.0) < 0.3, (f, lateral, sigma)
        assert abs(axial / (HALF_WIDTH_PER_SIGMA * axial_sigma_mm(f)) - 1.0) < 0.3, (f, axial)


def test_speckle_is_finer_at_higher_frequency_and_longer_across_than_along_the_beam():
    low, high = _grain_mm(5.0), _grain_mm(10.0)
    assert high[0] < 0.8 * low[0] and high[1] < 0.7 * low[1]
    assert high[0] > 1.5 * high[1]


def _bones_with_a_gap(tmp_path: Path, gap_mm: float) -> trainer.Simulation:
    """The gel phantom with two bone blocks (z 40-48 mm) either side of a gap at x = 0."""
    h = gap_mm / 2.0
    src = (Path(trainer.__file__).parent / "data" / "scenarios" / "gel_phantom.toml").read_text()
    bones = "".join(
        f'  {{ name = "{name}", kind = "bone", polygon = [[{a}, 40.0], [{b}, 40.0], [{b}, 48.0], '
        f"[{a}, 48.0], [{a}, 40.0]] }},\n"
        for name, a, b in (("left_bone", -15.0, -h), ("right_bone", h, 15.0))
    )
    path = tmp_path / f"gap_{gap_mm}.toml"
    path.write_text(
        src.replace('  { name = "cyst", kind = "fluid", circle = [5.0, 28.0, 5.0] },\n', bones, 1)
    )
    sim = trainer.Simulation(trainer.load_scenario(path), seed=0)
    sim.set_imaging(depth_mm=70.0)
    return sim


def _shadow_darkness(sim: trainer.Simulation, x_mm: tuple[float, float]) -> float:
    """1 - echo under the bones at x over the echo at the same depth clear of them."""
    env = sim.render_envelope()
    return 1.0 - box(sim, env, x_mm, (52.0, 62.0)).mean() / box(sim, env, (20.0, 23.0), (52.0, 62.0)).mean()


def test_a_gap_narrower_than_the_beam_shadows_partly(tmp_path):
    for f in (5.0, 10.0):
        narrow, wide = _bones_with_a_gap(tmp_path, 1.0), _bones_with_a_gap(tmp_path, 4.0)
        for sim in (narrow, wide):
            sim.set_imaging(frequency_mhz=f)
        full = _shadow_darkness(narrow, (8.0, 11.0))
        through_narrow = _shadow_darkness(narrow, (-0.2, 0.2))
        through_wide = _shadow_darkness(wide, (-0.2, 0.2))
        assert full > 0.97
        assert through_narrow > 0.5 * full, (f, through_narrow)  # not a bright column of speckle
        assert through_wide < through_narrow  # a gap wider than the beam lets more through


def test_the_transmit_focus_narrows_the_beam_there():
    probe = phantom().probe
    ap = aperture_mm(probe.footprint_mm)
    at_focus = float(lateral_sigma_mm(30.0, 30.0, 10.0, ap))
    off_focus = float(lateral_sigma_mm(30.0, 10.0, 10.0, ap))
    near_field = float(lateral_sigma_mm(3.0, 30.0, 10.0, ap))
    assert at_focus < 0.9 * off_focus
    assert near_field < 0.5  # dynamic receive focusing keeps the near field sharp (mm)
