"""Tissue appearance measured per scenario: dark fat, hypoechoic muscle, bright fascia between muscles."""

import numpy as np
from imaging_helpers import box, correlation_half_width_px, esp_tp_view
from shapely.geometry import LineString

import trainer
from trainer.imaging.contrast import layer_contrast
from trainer.imaging.scene import GRID_MM

SCENARIOS = ("esp_block", "facet_joint", "medial_branch", "costotransverse_joint", "costovertebral_joint")


def test_fat_is_darker_than_muscle_and_fascia_is_brighter_than_both_in_every_scenario():
    for sid in SCENARIOS:
        sim = trainer.Simulation(trainer.load_scenario(sid), seed=0)
        view = sim.view()
        geo = view.geometry
        rows, cols = np.indices((geo.height_px, geo.width_px))
        in_view = sim.probe.in_view(*geo.pixel_to_world(rows, cols))
        c = layer_contrast(sim.render().astype(float), view.plane, geo, in_view)
        assert c.muscle - c.fat > 8.0, (sid, c)
        assert c.fascia - c.muscle > 40.0, (sid, c)
        assert c.muscle < 90.0, (sid, c)  # hypoechoic: well below mid-grey


def _shadow_over_muscle_db(variant: int) -> float:
    """Echo 3-6 mm into the T5 transverse process's shadow over the muscle 3-6 mm above it."""
    sim = trainer.Simulation(trainer.load_scenario("esp_block", variant=variant), seed=1)
    sim.move_probe(dx_mm=-sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    x0, z0, x1, _ = sim.plane.structure("tp_t5_right").geometry.bounds
    env = sim.render_envelope()
    shadow = box(sim, env, (x0 + 2.0, x1 - 2.0), (z0 + 3.0, z0 + 6.0)).mean()
    muscle = box(sim, env, (x0 + 2.0, x1 - 2.0), (z0 - 6.0, z0 - 3.0)).mean()
    return float(20.0 * np.log10(shadow / muscle))


def test_a_thick_fat_layer_fills_shadows_with_clutter():
    """Variant 10 has about 13 mm of fat over the TP against 7 mm in the canonical anatomy."""
    assert _shadow_over_muscle_db(10) > _shadow_over_muscle_db(0) + 3.0


def _fibre_run_mm(sim: trainer.Simulation) -> float:
    """How far the erector spinae's texture stays alike along the image (correlation half-width)."""
    maps = sim.renderer.plane_maps(sim.plane)
    es = sim.plane.structure("erector_spinae").geometry
    z_mid = es.intersection(LineString([(0.0, 0.0), (0.0, 90.0)])).centroid.y
    grid = maps.grid
    cols, rows = grid.to_grid(np.array([-10.0, 10.0]), np.array([z_mid - 2.0, z_mid + 2.0]))
    patch = maps.echo[round(rows[0]) : round(rows[1]), round(cols[0]) : round(cols[1])]
    return correlation_half_width_px(patch, axis=1) * GRID_MM


def test_turning_the_probe_transverse_cuts_the_muscle_fibres_across():
    """Parasagittal, the erector spinae shows long perimysial striations; transverse, short dots."""
    sim = esp_tp_view()
    along = _fibre_run_mm(sim)
    sim.rotate_probe(90.0)
    across = _fibre_run_mm(sim)
    assert along > 0.6, along  # mm
    assert across < 0.35 * along, (along, across)
