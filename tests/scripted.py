"""Scripted attempts for the assessment tests: aim the needle at a point and advance like a hand."""

from __future__ import annotations

import math
from collections.abc import Callable

import trainer
from trainer.events import EventKind

TICK_S = 1.0 / 60.0


def in_view(scenario_id: str, **kwargs: object) -> trainer.Simulation:
    """A simulation with the probe slid onto the correct (primary) plane over x = 0."""
    sc = trainer.load_scenario(scenario_id)
    sim = trainer.Simulation(sc, seed=0, **kwargs)  # type: ignore[arg-type]
    sim.move_probe(dx_mm=-sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    return sim


def aim(sim: trainer.Simulation, entry_x_mm: float, point: tuple[float, float]) -> float:
    """Insert at `entry_x_mm` pointing at `point`; returns the shaft length to reach it."""
    dx, dz = point[0] - entry_x_mm, point[1]
    assert sim.insert(entry_x_mm, math.degrees(math.atan2(dz, dx))), sim.rejection
    return math.hypot(dx, dz)


def advance(
    sim: trainer.Simulation,
    mm: float,
    per_tick_mm: float = 0.5,
    until: Callable[[trainer.Simulation], bool] = lambda sim: False,
) -> None:
    """Advance `mm` (or until `until(sim)`), a little per time step, as a hand would."""
    steps = max(1, round(abs(mm) / per_tick_mm))
    for _ in range(steps):
        sim.advance(mm / steps)
        sim.step(TICK_S)
        if until(sim):
            return


def happened(*kinds: EventKind) -> Callable[[trainer.Simulation], bool]:
    return lambda sim: any(e.kind in kinds for e in sim.events)


def reach(
    sim: trainer.Simulation,
    entry_x_mm: float,
    point: tuple[float, float],
    stop_on: tuple[EventKind, ...] = (),
) -> None:
    """Insert and advance straight to `point` (stopping early at any event of `stop_on`)."""
    length = aim(sim, entry_x_mm, point)
    advance(sim, length - sim.needle.depth_mm, until=happened(*stop_on))
