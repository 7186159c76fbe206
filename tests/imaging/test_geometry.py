"""One transform between world millimetres and image pixels, for both probe kinds."""

import numpy as np
import shapely
from imaging_helpers import box, esp_tp_view

import trainer


def test_world_to_pixel_and_back_is_the_identity_for_both_probes():
    for sid in ("esp_block", "facet_joint"):
        sim = trainer.Simulation(trainer.load_scenario(sid), seed=0)
        geo = sim.view().geometry
        x = sim.probe.x_mm + np.array([-10.0, 0.0, 7.5])
        z = np.array([3.0, 20.0, 41.0])
        assert np.allclose(geo.pixel_to_world(*geo.world_to_pixel(x, z)), (x, z))
        sample, line = geo.world_to_beam(x, z)
        assert np.allclose(geo.beam_to_world(sample, line), (x, z))


def test_a_shadow_edge_sits_under_the_bone_edge():
    """Half the echo power (the beam straddles the edge, so the shadow's edge is soft), averaged
    over four speckle realisations, lies within the lateral beam width of the bone's edge above."""
    power = []
    for seed in (1, 2, 3, 4):
        sim = esp_tp_view(seed)
        power.append(
            (box(sim, sim.render_envelope(), (0.0, 11.0), (36.0, 40.0)).astype(float) ** 2).mean(axis=0)
        )
    grey = np.mean(power, axis=0)
    half = (grey[:20].mean() + grey[-20:].mean()) / 2.0
    edge_col = int(np.argmax(grey > half)) + round(sim.world_to_pixel(0.0, 36.0)[1])
    bone_edge_mm = sim.plane.structure("tp_t5_right").geometry.intersection(shapely.box(0.0, 0.0, 11.0, 36.0))
    assert abs(sim.pixel_to_world(0.0, edge_col)[0] - bone_edge_mm.bounds[2]) < 1.0


def test_the_curvilinear_image_is_a_sector_with_a_curved_top():
    sim = trainer.Simulation(trainer.load_scenario("facet_joint"), seed=0)
    grey = sim.render()
    r_centre, c_centre = sim.world_to_pixel(sim.probe.x_mm, 1.0)
    assert grey[round(r_centre) + 5, round(c_centre)] > 0
    assert grey[0, 0] == 0 and grey[0, -1] == 0  # outside the fan
    corner_row = round(sim.world_to_pixel(sim.probe.x_mm, 0.0)[0])
    assert grey[corner_row + 2, 5] == 0  # the fan is narrow near the face
