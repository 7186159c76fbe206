"""Scripted attempts for the assessment tests: aim the needle at a point and advance like a hand."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import shapely

import trainer
import trainer.scenario.model
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


def structure_named(sim: trainer.Simulation, prefix: str) -> trainer.scenario.model.Structure:
    """The first structure of the current view whose name starts with `prefix`."""
    return next(s for s in sim.plane.structures if s.name.startswith(prefix))


def gap_point(sim: trainer.Simulation, bone_prefix: str, depth_below_mm: float = 3.0) -> tuple[float, float]:
    """A point `depth_below_mm` into the pleura in the gap between two neighbouring bones of the view
    whose names start with `bone_prefix` (TPs or ribs), the gap nearest the probe centre."""
    bones = sorted(
        (s.geometry.bounds for s in sim.plane.structures if s.name.startswith(bone_prefix)),
        key=lambda b: b[0],
    )
    gaps = [0.5 * (a[2] + b[0]) for a, b in itertools.pairwise(bones)]
    x = min(gaps, key=lambda g: abs(g - sim.probe.x_mm))
    pleura = sim.plane.structure("pleura").geometry
    top = shapely.LineString([(x, 0.0), (x, 200.0)]).intersection(pleura).bounds[1]
    return x, top + depth_below_mm


def clear_entry(sim: trainer.Simulation, point: tuple[float, float], angles: tuple[float, ...]) -> float:
    """An entry point off the probe's face from which a straight path reaches `point` through no bone
    (trying each angle to the skin, from either end of the probe)."""
    bone = shapely.union_all([s.geometry for s in sim.plane.structures if s.kind.value == "bone"])
    half = sim.probe.skin_half_width_mm
    x0, x1 = sim.scenario.x_range_mm
    for angle in angles:
        for side in (-1.0, 1.0):
            entry = point[0] + side * point[1] / math.tan(math.radians(angle))
            path = shapely.LineString([(entry, 0.0), (point[0], point[1] - 0.3)])
            off_probe = abs(entry - sim.probe.x_mm) > half + 0.5
            if off_probe and x0 <= entry <= x1 and not path.intersects(bone):
                return entry
    raise AssertionError(f"no bone-free path to {point}")


def reach_point(
    sim: trainer.Simulation,
    point: tuple[float, float],
    stop_on: tuple[EventKind, ...] = (),
    angles: tuple[float, ...] = (45.0, 55.0, 35.0, 65.0, 30.0, 75.0),
) -> None:
    """Insert through a bone-free path and advance to `point` (stopping at any event of `stop_on`)."""
    reach(sim, clear_entry(sim, point, angles), point, stop_on)


def reckless_esp() -> trainer.Simulation:
    """The classic reckless ESP attempt: in the rib view (where it starts), steep (72 deg), entering
    far beyond the probe's end so the tip is unseen, on between two ribs into the lung."""
    sim = trainer.Simulation(trainer.load_scenario("esp_block"), seed=0)
    sim.move_probe(dx_mm=30.0)
    assert sim.plane.view == "rib_view"
    x, z = gap_point(sim, "rib_")
    sim.move_probe(dx_mm=x - 20.0 - sim.probe.x_mm)  # the gap at the image edge, the entry far beyond it
    reach(sim, x + z / 3.0, (x, z), stop_on=(EventKind.PLEURA_PUNCTURE,))
    return sim
