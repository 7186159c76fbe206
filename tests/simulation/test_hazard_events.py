"""A needle driven straight at a hazard produces the matching events; bone stops the needle."""

import trainer
from helpers import advance_until, aim, kinds
from trainer.events import EventKind


def sim_in(sid: str, plane_y: float) -> trainer.Simulation:
    sim = trainer.Simulation(trainer.load_scenario(sid), seed=0)
    sim.move_probe(dy_mm=plane_y - sim.probe.y_mm)
    return sim


def critical(sim: trainer.Simulation) -> list[tuple[str, str]]:
    return [(e.kind.value, e.structure) for e in sim.events if e.critical]


def test_needle_at_the_pleura_between_ribs_contacts_then_punctures_it():
    sim = sim_in("esp_block", 15.0)  # the rib view: pleura between the ribs
    aim(sim, (14.0, 45.0), 60.0)
    assert advance_until(sim, EventKind.PLEURA_PUNCTURE)
    order = kinds(sim)
    assert order.index("pleura_contact") < order.index("pleura_puncture")
    assert critical(sim) == [("pleura_puncture", "lung")]
    contact = next(e for e in sim.events if e.kind == EventKind.PLEURA_CONTACT)
    assert 39.5 <= contact.tip_mm[1] <= 41.6  # the pleural line is at 40-41.5 mm here


def test_needle_at_an_artery_touches_then_punctures_it():
    sim = sim_in("esp_block", 0.0)
    aim(sim, (-11.5, 40.0), 60.0)
    assert advance_until(sim, EventKind.VESSEL_PUNCTURE)
    order = kinds(sim)
    assert order.index("vessel_contact") < order.index("vessel_puncture")
    assert ("vessel_puncture", "artery_t4_t5") in critical(sim)


def test_vein_puncture_is_not_critical_unless_listed():
    sim = sim_in("costotransverse_joint", 9.0)
    aim(sim, (-3.0, 38.5), 60.0)
    assert advance_until(sim, EventKind.VESSEL_PUNCTURE)
    puncture = next(e for e in sim.events if e.kind == EventKind.VESSEL_PUNCTURE)
    assert puncture.structure == "intercostal_vein" and not puncture.critical


def test_needle_aimed_medially_past_the_costovertebral_joint_enters_the_foramen():
    sim = sim_in("costovertebral_joint", 0.0)
    aim(sim, (-12.5, 47.5), 35.0, toward_plus_x=False)
    assert advance_until(sim, EventKind.FORAMEN_ENTRY)
    assert ("foramen_entry", "foramen_t6") in critical(sim)


def test_needle_through_the_interlaminar_gap_enters_the_neuraxis():
    sim = sim_in("facet_joint", -10.0)
    aim(sim, (0.5, 46.0), 85.0)
    assert advance_until(sim, EventKind.NEURAXIS_ENTRY)
    order = [(e.kind.value, e.structure) for e in sim.events]
    assert order.index(("enter", "flavum_t6_t7")) < order.index(("neuraxis_entry", "dural_sac"))
    assert ("neuraxis_entry", "dural_sac") in critical(sim)


def test_bone_stops_the_needle_at_its_surface():
    sim = sim_in("esp_block", 0.0)
    aim(sim, (2.0, 36.0), 40.0)  # straight into the flat top of the T5 TP
    sim.advance(60.0)
    contacts = [e for e in sim.events if e.kind == EventKind.BONE_CONTACT]
    assert [e.structure for e in contacts] == ["tp_t5"]
    _, z = sim.needle.tip_mm
    assert 31.9 <= z < 32.0  # on the posterior cortex at 32 mm, not in it
    assert sim.tip_holder == "erector_spinae"
    depth = sim.needle.depth_mm
    assert sim.advance(10.0) == 0.0 and sim.needle.depth_mm == depth  # pushing harder does nothing
    assert len([e for e in sim.events if e.kind == EventKind.BONE_CONTACT]) == 1
    sim.advance(-5.0)
    sim.advance(10.0)
    assert len([e for e in sim.events if e.kind == EventKind.BONE_CONTACT]) == 2  # a new contact


def test_steering_into_bone_is_refused():
    sim = sim_in("esp_block", 0.0)
    aim(sim, (2.0, 36.0), 40.0)
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
