"""Probe and needle motion, beam-slice visibility, physiology over time, and injectate spread."""

import numpy as np
import pytest
from shapely.geometry import LineString

import trainer
from helpers import aim, expert_run, kinds
from trainer import physiology
from trainer.compartment import Compartment
from trainer.events import EventKind
from trainer.visibility import visible_shaft_fraction


def test_probe_slides_between_planes_and_the_view_changes():
    sc = trainer.load_scenario("esp_block")
    sim = trainer.Simulation(sc)
    assert sim.plane.name == "rib_view"  # the scenario starts too lateral
    assert not sc.is_primary(sim.plane)
    sim.move_probe(dy_mm=-sim.probe.y_mm)
    assert sim.plane.name == "tp_view" and sc.is_primary(sim.plane)
    sim.move_probe(dy_mm=next(p.y_mm for p in sc.planes if p.name == "lamina_view"))
    assert sim.plane.name == "lamina_view"
    sim.move_probe(dy_mm=1.2)  # between named views: a cut of its own, named off the nearest view
    assert sim.plane.name.startswith("lamina_view@") and not sc.is_primary(sim.plane)
    sim.move_probe(dx_mm=500.0)  # the footprint stays on the back
    assert sim.probe.x_mm == sim.scenario.reach_x_mm[1] - sim.probe.footprint_mm / 2


def test_imaging_settings_are_clamped_to_what_a_scanner_offers():
    sim = trainer.Simulation(trainer.load_scenario("esp_block"))
    sim.set_imaging(depth_mm=500.0, gain_db=99.0, focus_mm=30.0)
    assert sim.probe.depth_mm == 150.0 and sim.probe.gain_db == 20.0 and sim.probe.focus_mm == 30.0
    sim.set_imaging(depth_mm=25.0)
    assert sim.probe.focus_mm == 25.0  # the focus follows the depth down


def test_out_of_plane_probe_motion_moves_the_slice_off_the_needle():
    sim = expert_run("esp_block")
    assert sim.tip_visible
    sim.move_probe(dy_mm=3.0)
    assert not sim.tip_visible and visible_shaft_fraction(sim.probe, sim.needle) == 0.0
    sim.move_probe(dy_mm=-3.0)
    assert sim.tip_visible


def test_slice_is_thinnest_at_the_elevation_focus():
    probe = trainer.Simulation(trainer.load_scenario("esp_block")).probe
    widths = 2 * probe.slice_half_width_mm(np.array([5.0, 25.0, 50.0]))
    assert widths[1] == pytest.approx(1.5)  # 1.5 mm at the lens focus
    assert widths[0] > 2.5 and widths[2] > 2.5


def test_tilting_the_needle_takes_the_distal_shaft_and_tip_out_of_the_slice_first():
    sim = expert_run("esp_block")
    full = visible_shaft_fraction(sim.probe, sim.needle)
    sim.tilt_needle(4.0)
    assert not sim.tip_visible  # the tip is ~3.5 mm out of plane
    partial = visible_shaft_fraction(sim.probe, sim.needle)
    assert 0.0 < partial < full  # the shaft near the skin still shows: a false "tip"
    sim.tilt_needle(-4.0)
    assert sim.tip_visible


def test_large_redirection_at_depth_drags_tissue_but_not_near_the_skin():
    sim = trainer.Simulation(trainer.load_scenario("gel_phantom"))
    aim(sim, (20.0, 40.0), 30.0)
    sim.advance(4.0)
    for _ in range(12):
        sim.steer(1.0)
    assert EventKind.TISSUE_DRAG not in kinds(sim)
    sim.advance(30.0)
    for _ in range(12):
        sim.steer(1.0)
    assert kinds(sim).count("tissue_drag") == 1


def test_breathing_brings_the_pleura_to_a_still_needle():
    sim = trainer.Simulation(trainer.load_scenario("esp_block"))
    assert sim.plane.name == "rib_view"  # the pleura between the ribs
    x = sim.plane.structure("rib_5_right").geometry.bounds[0] - 1.0
    cut = sim.plane.structure("pleura").geometry.intersection(LineString([(x, 0.0), (x, 200.0)]))
    pleura_z = cut.bounds[1]
    aim(sim, (x, pleura_z + 4.0), 88.0)
    while sim.needle.tip_mm[1] < pleura_z - 0.4:
        sim.advance(0.1)
    assert EventKind.PLEURA_CONTACT not in kinds(sim)
    for _ in range(60 * 6):  # six seconds: more than one breath at 14/min
        sim.step(1 / 60)
    contact = next(e for e in sim.events if e.kind == EventKind.PLEURA_CONTACT)
    assert contact.time_s > 0.5


def test_arteries_pulsate_and_the_lungs_slide_with_time():
    p = trainer.load_scenario("esp_block").physiology
    pulses = [physiology.pulse(p, t) for t in np.arange(0.0, 2.0, 0.01)]
    assert min(pulses) < 0.1 and max(pulses) > 0.9
    assert physiology.artery_scale(p, 0.1) > 1.05
    slides = [physiology.lung_slide_mm(p, t) for t in np.arange(0.0, 5.0, 0.1)]
    assert max(slides) - min(slides) == pytest.approx(2 * p.lung_slide_mm, rel=0.05)


def test_esp_injectate_spreads_along_the_plane_and_lifts_the_erector_spinae():
    sim = expert_run("esp_block")
    (bolus,) = sim.injectate.boluses
    assert bolus.compartment == Compartment.FASCIAL_PLANE and bolus.half
    a, b = bolus.semi_axes_mm
    assert a > 30.0 and 3.0 < b < 8.0  # long and thin: cranio-caudal spread
    x, z = sim.needle.tip_mm
    assert sim.injectate.fluid_mask(np.array([x]), np.array([z - 1.0]))[0]
    assert not sim.injectate.fluid_mask(np.array([x]), np.array([z + 1.0]))[0]  # not into the TP
    _, source_z = sim.injectate.source_points(np.array([x]), np.array([z - b - 2.0]))
    assert source_z[0] > z - b - 2.0  # muscle now shown there was pushed up from deeper


def test_injecting_in_muscle_makes_a_bulge_and_in_a_vessel_leaves_no_trace():
    sim = trainer.Simulation(trainer.load_scenario("esp_block"))
    sim.move_probe(dy_mm=-15.0)
    aim(sim, (0.0, 25.0), 40.0)
    sim.advance(25.0 / np.sin(np.radians(40.0)) - 1.0)
    assert sim.inject(3.0)
    (bolus,) = sim.injectate.boluses
    assert bolus.compartment == Compartment.INTRAMUSCULAR and not bolus.half
    vessel = trainer.Simulation(trainer.load_scenario("gel_phantom"))
    aim(vessel, (-10.0, 36.0), 55.0)
    while vessel.tip_holder != "tube":
        vessel.advance(0.2)
    vessel.inject(1.0)
    assert vessel.injectate.boluses == ()
    injection = vessel.events[-1]
    assert injection.compartment == "intravascular" and injection.critical


def test_joint_injectate_distends_the_capsule_then_overflows():
    sim = expert_run("facet_joint")
    (bolus,) = sim.injectate.boluses
    assert bolus.compartment == Compartment.INTRA_ARTICULAR and not bolus.overflowing
    sim.inject(1.5)
    assert sim.injectate.boluses[0].overflowing
    assert sim.events[-1].volume_ml == pytest.approx(2.0)  # one injection event, volume summed
