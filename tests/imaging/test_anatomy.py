"""Bone shadows, pleura and A-lines, anechoic fluid, TGC: the physics a sonographer relies on."""

import numpy as np
from imaging_helpers import bounds, box, esp_tp_view, phantom
from shapely.geometry import LineString

import trainer
from trainer.pneumothorax import Pneumothorax


def test_bone_is_a_bright_line_with_a_full_shadow_below():
    sim = esp_tp_view()
    grey = sim.render().astype(float)
    x0, top, x1, _ = bounds(sim, "tp_t5_right")
    next_tp = bounds(sim, "tp_t6_right")[0]
    over = (x0 + 1.5, x1 - 1.5)
    cortex = box(sim, grey, over, (top - 0.5, top + 1.0)).max(axis=0).mean()
    muscle_above = box(sim, grey, over, (top - 9.0, top - 4.0)).mean()
    under_tp = box(sim, grey, over, (top + 3.0, top + 9.0)).mean()
    beside_tp = box(sim, grey, (x1 + 4.0, next_tp - 4.0), (top + 3.0, top + 9.0)).mean()
    assert cortex > muscle_above + 60
    assert under_tp < 8 and under_tp < 0.15 * beside_tp


def test_the_bone_line_sits_where_world_to_pixel_puts_it():
    sim = esp_tp_view()
    grey = sim.render().astype(float)
    x0, _, x1, _ = bounds(sim, "tp_t5_right")
    centre = 0.5 * (x0 + x1)
    cut = sim.plane.structure("tp_t5_right").geometry.intersection(
        LineString([(centre, 0.0), (centre, 90.0)])
    )
    col = round(sim.world_to_pixel(centre, cut.bounds[1])[1])
    profile = grey[:, col - 3 : col + 4].mean(axis=1)
    brightest_z = sim.pixel_to_world(float(np.argmax(profile)), col)[1]
    assert abs(brightest_z - cut.bounds[1]) < 0.6


def _pleura_sim() -> trainer.Simulation:
    """Costotransverse scenario turned to its transverse view and slid into the intercostal space
    (no rib): pleura at about 46 mm; 120 mm deep at 5 MHz (at 10 MHz the second A-line sinks into
    the receiver noise, as on a scanner)."""
    sc = trainer.load_scenario("costotransverse_joint")
    sim = trainer.Simulation(sc, seed=4)
    assert sc.anatomy is not None
    sim.rotate_probe(sc.anatomy.rotation_deg - sim.probe.rotation_deg)
    space = next(p for p in sc.planes if p.name == "caudal_space")
    sim.move_probe(dx_mm=-sim.probe.x_mm, dy_mm=space.y_mm - sim.probe.y_mm)
    sim.set_imaging(depth_mm=120.0, frequency_mhz=5.0)
    assert sim.plane.name == "caudal_space"
    return sim


def _pleura_and_a_line(sim: trainer.Simulation) -> tuple[float, float, float]:
    """Depth of the pleura's echo beside the vein, of the first A-line, and the A-line's peak over
    the median echo between the two."""
    env = sim.render_envelope()
    profile = box(sim, env, (12.5, 13.5), (0.5, 119.0)).mean(axis=1)  # beside the vein, pleura sloping
    top_row = round(sim.world_to_pixel(0, 0.5)[0])
    z = sim.view().geometry.pixel_to_world(np.arange(len(profile)) + top_row, 0)[1]
    pleura = sim.plane.structure("pleura").geometry
    pleura_z = pleura.intersection(LineString([(13.0, 0.0), (13.0, 90.0)])).bounds[1]
    near = np.abs(z - pleura_z) < 2.0
    z_line = z[near][np.argmax(profile[near])]
    second = np.abs(z - 2 * z_line) < 4.0
    z_a_line = z[second][np.argmax(profile[second])]
    gap = (z > z_line + 8.0) & (z < 2 * z_line - 8.0)
    return z_line, z_a_line, float(profile[second].max() / np.median(profile[gap]))


def test_a_lines_repeat_the_pleura_at_whole_multiples_of_its_depth():
    sim = _pleura_sim()
    z_line, z_a_line, contrast = _pleura_and_a_line(sim)
    pleura = sim.plane.structure("pleura").geometry
    assert abs(z_line - pleura.intersection(LineString([(13.0, 0.0), (13.0, 90.0)])).bounds[1]) < 1.0
    assert abs(z_a_line - 2 * z_line) < 1.0
    assert contrast > 4.0


def test_lung_slides_below_a_still_pleura_while_the_tissue_above_stays():
    sim = _pleura_sim()
    sim.set_imaging(depth_mm=60.0)
    before = sim.render().astype(float)
    sim.step(1.0)  # part of a breath: the lung slides along the plane
    after = sim.render().astype(float)
    muscle = (box(sim, before, (-15.0, 15.0), (15.0, 30.0)), box(sim, after, (-15.0, 15.0), (15.0, 30.0)))
    lung = (box(sim, before, (-15.0, 15.0), (46.0, 50.0)), box(sim, after, (-15.0, 15.0), (46.0, 50.0)))
    assert np.array_equal(*muscle)
    assert np.abs(lung[0] - lung[1]).mean() > 2.0


def test_vessel_lumen_is_anechoic_and_fluid_enhances_what_lies_behind():
    sim = phantom()
    env = sim.render_envelope()
    lumen = box(sim, env, (-11.5, -8.5), (34.5, 37.5)).mean()
    gel_same_depth = box(sim, env, (-22.0, -16.0), (34.5, 37.5)).mean()
    behind_cyst = box(sim, env, (3.0, 7.0), (35.0, 40.0)).mean()
    beside_cyst = box(sim, env, (15.0, 20.0), (35.0, 40.0)).mean()
    assert lumen < 0.1 * gel_same_depth
    assert behind_cyst > 2.0 * beside_cyst


def test_injectate_is_anechoic():
    sc = trainer.load_scenario("esp_block")
    sim = trainer.Simulation(sc, seed=5)
    trainer.play(sim, trainer.expert_attempt(sc))
    assert sim.injectate.total_ml > 10.0
    env = sim.render_envelope()
    rows, cols = np.mgrid[0 : env.shape[0], 0 : env.shape[1]]
    x, z = sim.view().geometry.pixel_to_world(rows, cols)
    deep_inside = np.ones(env.shape, dtype=bool)
    for dx, dz in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
        deep_inside &= sim.injectate.fluid_mask(x + dx, z + dz) & sim.probe.in_view(x + dx, z + dz)
    needle_free = np.abs(x - sim.needle.tip_mm[0]) > 4.0
    fluid = env[deep_inside & needle_free]
    muscle = box(sim, env, (-15.0, 0.0), (20.0, 24.0))
    assert fluid.size > 500
    assert fluid.mean() < 0.1 * muscle.mean()


def test_default_tgc_compensates_attenuation_in_the_phantom():
    sim = phantom()
    grey = box(sim, sim.render().astype(float), (13.0, 21.0), (3.0, 45.0))
    depth_cm = np.linspace(0.3, 4.5, grey.shape[0])
    slope = np.polyfit(depth_cm, grey.mean(axis=1), 1)[0]
    assert abs(slope) < 4.0, slope  # grey levels per cm; uncompensated it would be about -40
    sim.set_imaging(tgc_far_db=-10.0)
    darker = box(sim, sim.render().astype(float), (13.0, 21.0), (3.0, 45.0))
    assert np.polyfit(depth_cm, darker.mean(axis=1), 1)[0] < slope - 4.0


def test_each_a_line_is_fainter_than_the_pleura_and_the_a_line_above_it():
    sim = _pleura_sim()
    sim.set_imaging(depth_mm=150.0)
    grey = sim.render().astype(float)
    profile = box(sim, grey, (8.0, 18.0), (0.5, 149.0)).mean(axis=1)
    top_row = round(sim.world_to_pixel(0, 0.5)[0])
    z = sim.view().geometry.pixel_to_world(np.arange(len(profile)) + top_row, 0)[1]
    pleura = sim.plane.structure("pleura").geometry
    near = np.abs(z - pleura.intersection(LineString([(13.0, 0.0), (13.0, 90.0)])).bounds[1]) < 2.0
    z_line = z[near][np.argmax(profile[near])]
    peaks = [profile[np.abs(z - k * z_line) < 3.0].max() for k in (1, 2, 3)]
    assert peaks[0] > peaks[1] > peaks[2], peaks  # grey levels


def test_after_a_pneumothorax_nothing_slides_beyond_the_lung_point_and_a_lines_remain():
    """Air let in under image x 0: 7 s later its edge (the lung point) lies 10-14 mm away. Inside it the lung field stands still through a breath; outside it still slides."""
    sim = _pleura_sim()
    sim.pneumothorax = Pneumothorax(sim.time_s, 0.0, sim.probe.y_mm)
    sim.set_imaging(depth_mm=60.0)
    sim.step(6.0)
    before = sim.render().astype(float)
    sim.step(1.0)
    after = sim.render().astype(float)
    radius = sim.pneumothorax.radius_mm(sim.scenario.physiology, sim.time_s)
    assert 6.0 < radius < 16.0
    inside, outside = (-8.0, 8.0), (radius + 2.0, 23.0)
    still = np.abs(box(sim, before, inside, (53.0, 58.0)) - box(sim, after, inside, (53.0, 58.0))).mean()
    sliding = np.abs(box(sim, before, outside, (53.0, 58.0)) - box(sim, after, outside, (53.0, 58.0))).mean()
    assert still < 0.5 and sliding > 2.0, (still, sliding)
    sim.step(20.0)  # the air now lies under the whole image: its A-lines stay
    sim.set_imaging(depth_mm=120.0)
    z_line, z_a_line, contrast = _pleura_and_a_line(sim)
    assert abs(z_a_line - 2 * z_line) < 1.0
    assert contrast > 4.0
