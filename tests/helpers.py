"""Shared test helpers: drive a needle straight at a point, run the expert."""

from __future__ import annotations

import math
import pickle
from pathlib import Path
from typing import Any

import trainer
from trainer.events import EventKind


def aim(
    sim: trainer.Simulation, target: tuple[float, float], skin_angle_deg: float, toward_plus_x: bool = True
) -> None:
    """Put the probe beside the entry point and insert a needle pointing straight at `target`."""
    tx, tz = target
    run = tz / math.tan(math.radians(skin_angle_deg))
    entry = tx - run if toward_plus_x else tx + run
    probe_x = entry + (1 if toward_plus_x else -1) * (sim.probe.skin_half_width_mm + 2.0)
    sim.move_probe(dx_mm=probe_x - sim.probe.x_mm)
    angle = skin_angle_deg if toward_plus_x else 180.0 - skin_angle_deg
    assert sim.insert(entry, angle), sim.rejection


def advance_until(
    sim: trainer.Simulation, kind: EventKind, limit_mm: float = 120.0, step_mm: float = 0.5
) -> bool:
    """Advance in small steps with time passing until an event of `kind` happens."""
    travelled = 0.0
    while travelled < limit_mm:
        sim.advance(step_mm)
        sim.step(1 / 60)
        travelled += step_mm
        if any(e.kind == kind for e in sim.events):
            return True
    return False


def kinds(sim: trainer.Simulation) -> list[str]:
    return [e.kind.value for e in sim.events]


def expert_run(sid: str, variant: int = 0, seed: int = 0, **info: Any) -> trainer.Simulation:
    """The autopilot's attempt; `info`: the Simulation's metadata keywords (mode, trainee...)."""
    sc = trainer.load_scenario(sid, variant=variant)
    sim = trainer.Simulation(sc, seed=seed, **info)
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim


def expert_outcome(job: tuple[str, int]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The autopilot's record (mode demo) on (scenario id, variant), and the state it ends in; None
    when the autopilot finds no clear path on that variant's anatomy."""
    scenario_id, variant = job
    try:
        sim = expert_run(scenario_id, variant, mode="demo")
    except ValueError:
        return None
    final = {
        "tip_visible": sim.tip_visible,
        "plane_y_mm": sim.plane.y_mm,
        "skin_angle_deg": sim.needle.skin_angle_deg,
    }
    return sim.finish().to_dict(), final


def outcome_file_name(job: tuple[str, int]) -> str:
    return f"{job[0]}-{job[1]}.pickle"


def expert_outcome_to(job: tuple[str, int], shared: Path) -> None:
    """`expert_outcome(job)` left in the folder `shared` for other test processes (or the error it
    raised, for them to raise too rather than wait): written aside, then renamed, so a reader never
    sees half a file."""
    try:
        outcome: object = expert_outcome(job)
    except Exception as exc:
        outcome = exc
    partial = shared / (outcome_file_name(job) + ".part")
    partial.write_bytes(pickle.dumps(outcome))
    partial.replace(shared / outcome_file_name(job))
    if isinstance(outcome, Exception):
        raise outcome
