"""Re-run a recorded attempt from its inputs: same scenario, variant and seed give the same result."""

from __future__ import annotations

from typing import Any

from trainer.errors import TrainerError
from trainer.result import AttemptResult, decode_inputs
from trainer.scenario import load_scenario
from trainer.simulation import Simulation


class RecordError(TrainerError):
    """A record that cannot be replayed; says what is wrong with it."""


def simulation_for(record: dict[str, Any]) -> tuple[Simulation, list[Any]]:
    """A fresh simulation for the record's scenario, variant and seed, and the record's inputs."""
    try:
        scenario = record["scenario"]
        sc = load_scenario(str(scenario["id"]), variant=int(scenario["variant"]))
        inputs = decode_inputs(record["inputs"])
        seed = int(record["seed"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"the record is incomplete or damaged ({exc})") from None
    return Simulation(sc, seed=seed), inputs


def replay(record: dict[str, Any]) -> AttemptResult:
    """The result of replaying a record (`result.to_dict()`) from scratch."""
    sim, inputs = simulation_for(record)
    try:
        for action in inputs:
            action.apply(sim)
    except TypeError as exc:
        raise RecordError(f"the record holds an input this version cannot apply ({exc})") from None
    return sim.finish()
