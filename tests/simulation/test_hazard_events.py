"""A needle driven straight at a hazard produces the matching events; bone stops the needle."""

import pytest
from shapely.geometry import LineString

import trainer
from helpers import advance_until, aim, kinds
from trainer.events import EventKind


def sim_in(sid: str, plane_y: float) -> trainer.Simulation:
    sim = trainer.Simulation(trainer.load_scenario(sid), seed=0)
    sim.move_probe(dy_mm=plane_y - sim.probe.y_mm)
    return sim


def critical(sim: trainer.Simulation) -> list[tuple[str, str]]:
    return [(e.kind.value, e.structure) for e in sim.events if e.critical]


def view_y(sid: str, view: str) -> float:
    return next(p.y_mm for p in trainer.load_scenario(sid).planes if p.name == view)


def centre(sim: trainer.Simulation, name: str) -> tuple[float, float]:
    x0, z0, x1, z1 = sim.plane.structure(name).geometry.bounds
    return 0.5 * (x0 + x1), 0.5 * (z0 + z1)


def top_at(sim: trainer.Simulation, name: str, x_mm: float) -> float:
    cut = sim.plane.structure(name).geometry.intersection(LineString([(x_mm, 0.0), (x_mm, 200.0)]))
    return float(cut.bounds[1])


def test_needle_at_the_pleura_between_ribs_contacts_then_punctures_it():
    sim = sim_in("esp_block", view_y("esp_block", "rib_view"))  # pleura between the ribs
    rib_4, rib_5 = (sim.plane.structure(f"rib_{n}_right").geometry for n in (4, 5))
    x = rib_5.bounds[0] - 1.0  # just cranial to rib 5, caudal to the intercostal bundle
    assert rib_4.bounds[2] < x
    pleura_z = top_at(sim, "pleura", x)
    aim(sim, (x, pleura_z + 4.0), 88.0)
    assert advance_until(sim, EventKind.PLEURA_PUNCTURE)
    order = kinds(sim)
    assert order.index("pleura_contact") < order.index("pleura_puncture")
    assert [c for c in critical(sim) if c[0] != "pleura_puncture"] == []
    contact = next(e for e in sim.events if e.kind == EventKind.PLEURA_CONTACT)
    assert pleura_z - 0.6 <= contact.tip_mm[1] <= pleura_z + 1.6
    puncture = next(e for e in sim.events if e.kind == EventKind.PLEURA_PUNCTURE)
    assert sim.pneumothorax is not None  # air let in where the needle went through
    assert (sim.pneumothorax.onset_s, sim.pneumothorax.x_mm) == (puncture.time_s, puncture.tip_mm[0])


def test_needle_at_an_artery_touches_then_punctures_it():
    sim = sim_in("esp_block", 0.0)
    artery = "intercostal_artery_t5_t6_right"
    aim(sim, centre(sim, artery), 70.0)
    assert advance_until(sim, EventKind.VESSEL_PUNCTURE)
    order = kinds(sim)
    assert order.index("vessel_contact") < order.index("vessel_puncture")
    assert ("vessel_puncture", artery) in critical(sim)


def test_vein_puncture_is_not_critical_unless_listed():
    sim = sim_in("facet_joint", view_y("facet_joint", "tp_view"))
    vein = "intercostal_vein_t6_t7_right"
    assert not sim.scenario.is_critical_name(vein)
    aim(sim, centre(sim, vein), 70.0, toward_plus_x=False)
    assert advance_until(sim, EventKind.VESSEL_PUNCTURE)
    puncture = next(e for e in sim.events if e.kind == EventKind.VESSEL_PUNCTURE)
    assert puncture.structure == vein and not puncture.critical


def test_needle_aimed_medially_past_the_costovertebral_joint_enters_the_foramen():
    sim = sim_in("costovertebral_joint", 0.0)
    foramen = "foramen_t5_t6_right"
    aim(sim, centre(sim, foramen), 35.0, toward_plus_x=False)
    assert advance_until(sim, EventKind.FORAMEN_ENTRY)
    assert ("foramen_entry", foramen) in critical(sim)


def test_needle_through_the_interlaminar_gap_enters_the_neuraxis():
    sim = sim_in("facet_joint", view_y("facet_joint", "interlaminar_view"))
    upper, lower = (sim.plane.structure(f"lamina_t{n}_right").geometry for n in (5, 6))
    gap_x = 0.5 * (upper.bounds[2] + lower.bounds[0])
    sac = next(s.geometry for s in sim.plane.structures if s.name.startswith("dural_sac_"))
    aim(sim, (gap_x, sac.bounds[1] + 2.0), 89.0)
    assert advance_until(sim, EventKind.NEURAXIS_ENTRY)
    entries = [e for e in sim.events if e.kind == EventKind.NEURAXIS_ENTRY]
    assert entries[0].critical and entries[0].structure.startswith(("epidural_space", "dural_sac"))
    assert not [e for e in sim.events if e.kind == EventKind.BONE_CONTACT]  # through the gap


def test_bone_stops_the_needle_at_its_surface():
    sim = sim_in("esp_block", 0.0)
    _, top, x1, _ = sim.plane.structure("tp_t5_right").geometry.bounds
    aim(sim, (x1 - 2.0, top + 3.0), 40.0)  # into the flat top of the T5 TP, clear of its edges
    sim.advance(60.0)
    contacts = [e for e in sim.events if e.kind == EventKind.BONE_CONTACT]
    assert [e.structure for e in contacts] == ["tp_t5_right"]
    x, z = sim.needle.tip_mm
    surface = top_at(sim, "tp_t5_right", x)
    assert surface - 0.1 <= z < surface + 1e-6  # on the posterior cortex, not in it
    assert sim.tip_holder in ("erector_spinae", "multifidus", "deep_muscles")
    depth = sim.needle.depth_mm
    assert sim.advance(10.0) == pytest.approx(0.0, abs=1e-9)  # pushing harder does nothing
    assert sim.needle.depth_mm == pytest.approx(depth, abs=1e-9)
    assert len([e for e in sim.events if e.kind == EventKind.BONE_CONTACT]) == 1
    sim.advance(-5.0)
    sim.advance(10.0)
    assert len([e for e in sim.events if e.kind == EventKind.BONE_CONTACT]) == 2  # a new contact


def test_steering_into_bone_is_refused():
    sim = sim_in("esp_block", 0.0)
    _, top, x1, _ = sim.plane.structure("tp_t5_right").geometry.bounds
    aim(sim, (x1 - 2.0, top + 3.0), 40.0)  # the tip rests mid-TP: turning deeper cuts bone
    sim.advance(60.0)
    angle = sim.needle.angle_deg
    sim.steer(+3.0)  # turning deeper would cut into the TP
    assert sim.needle.angle_deg == angle
    sim.steer(-3.0)  # lifting off the bone is fine
    assert sim.needle.angle_deg == angle - 3.0


def test_withdrawing_past_the_skin_takes_the_needle_out():
    sim = sim_in("gel_phantom", 0.0)
    aim(sim, (0.0, 20.0), 30.0)
    sim.advance(10.0)
    sim.advance(-20.0)
    assert not sim.needle.inserted
    assert kinds(sim)[-2:] == ["exit", "needle_out"]
    assert sim.insert(sim.needle.entry_x_mm, 30.0)  # a second pass
    assert kinds(sim).count("skin_puncture") == 2


def test_insertion_under_the_probe_or_off_the_region_is_refused_with_a_reason():
    sim = sim_in("gel_phantom", 0.0)
    assert not sim.insert(sim.probe.x_mm, 30.0)
    assert "probe covers" in sim.rejection
    assert not sim.insert(500.0, 30.0)
    assert "off the scanned region" in sim.rejection
    assert not sim.events
