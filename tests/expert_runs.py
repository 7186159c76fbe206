"""The expert autopilot's record for one scenario and variant (a worker for the test fixtures)."""

from __future__ import annotations

from typing import Any

import trainer


def expert_record(job: tuple[str, int]) -> dict[str, Any]:
    scenario_id, variant = job
    sc = trainer.load_scenario(scenario_id, variant=variant)
    sim = trainer.Simulation(sc, seed=0, mode="demo")
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim.finish().to_dict()
