import trainer


def test_every_scenario_loads_and_the_expert_passes_the_canonical_anatomy():
    for sid in trainer.list_scenarios():
        sc = trainer.load_scenario(sid)
        sim = trainer.Simulation(sc, seed=0)
        trainer.play(sim, trainer.expert_attempt(sc))
        assert sim.finish().passed, sid
