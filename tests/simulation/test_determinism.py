"""Same scenario, variant, seed and inputs give identical state, events and results."""

import numpy as np

import trainer
from helpers import expert_run


def random_session(seed: int) -> trainer.Simulation:
    """A fidgety trainee: random probe moves, insertions, advances, steers, tilts, injections."""
    rng = np.random.default_rng(seed)
    sc = trainer.load_scenario("medial_branch", variant=3)
    sim = trainer.Simulation(sc, seed=seed)
    sim.move_probe(dy_mm=-sim.probe.y_mm)
    for _ in range(1500):
        r = rng.random()
        if not sim.needle.inserted and r < 0.05:
            sim.insert(float(rng.uniform(-60, 60)), float(rng.uniform(20, 160)))
        elif r < 0.55:
            sim.advance(float(rng.normal(0.4, 0.6)))
        elif r < 0.65:
            sim.steer(float(rng.normal(0, 2)))
        elif r < 0.70:
            sim.tilt_needle(float(rng.normal(0, 1)))
        elif r < 0.80:
            sim.move_probe(float(rng.normal(0, 1)), float(rng.normal(0, 0.5)))
        elif r < 0.82:
            sim.inject(0.2)
        sim.step(1 / 60)
    return sim


def test_expert_attempt_is_identical_twice():
    same = {"attempt_id": "3f0c2a9e-5b7d-4e1f-8a6c-0d9b2e4f7a13", "started_at": "2026-03-01T09:00:00.000Z"}
    a, b = (expert_run("costovertebral_joint", 7, seed=3, **same) for _ in range(2))
    assert a.events == b.events and a.inputs == b.inputs
    assert a.needle == b.needle and a.probe == b.probe and a.injectate == b.injectate
    assert a.finish().to_dict() == b.finish().to_dict()


def test_random_inputs_replay_identically():
    a, b = random_session(11), random_session(11)
    assert len(a.events) > 20  # the session actually did things
    assert a.events == b.events and a.needle == b.needle and a.injectate == b.injectate


def test_a_record_replays_to_the_same_result():
    original = random_session(5).finish()
    again = trainer.replay(original.to_dict())
    assert again.to_dict() == original.to_dict()


def test_variants_are_reproducible_and_seeded_by_number():
    one = trainer.load_scenario("esp_block", variant=4)
    trainer.scenario.loader._load_cached.cache_clear()
    two = trainer.load_scenario("esp_block", variant=4)
    assert [s.geometry.wkb for s in one.structures] == [s.geometry.wkb for s in two.structures]
    other = trainer.load_scenario("esp_block", variant=5)
    assert [s.geometry.wkb for s in one.structures] != [s.geometry.wkb for s in other.structures]
