"""Tissue appearance measured per scenario: dark fat, hypoechoic muscle, bright fascia between muscles."""

import numpy as np

import trainer
from trainer.imaging.contrast import layer_contrast

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
