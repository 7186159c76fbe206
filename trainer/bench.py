"""Frame-time benchmark of the B-mode renderer (`python main.py bench`), on one OpenCV thread.

For each scenario and probe kind the expert's final state is set up (needle at the target), then
frames are timed while the probe slides along its image ("probe moving"), while it scans the back
(sliding out of plane 9 mm/s and turning 18 deg/s: a new cut of the patient nearly every frame,
"probe scanning", timed with the step and the cut) and while only the needle and the clock move
("probe still, needle moving").
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

import trainer
from trainer.probe import Probe

FRAME_S = 1.0 / 60.0
WARM_UP_FRAMES = 5


@dataclass(frozen=True, slots=True)
class BenchRow:
    scenario: str
    probe: str
    size: str
    moving_median_ms: float
    moving_p95_ms: float
    scanning_median_ms: float
    scanning_p95_ms: float
    still_median_ms: float
    still_p95_ms: float


def expert_simulation(scenario_id: str, seed: int = 0) -> trainer.Simulation:
    """A simulation after the expert autopilot's attempt: correct view, needle at the target."""
    sc = trainer.load_scenario(scenario_id)
    sim = trainer.Simulation(sc, seed=seed)
    trainer.play(sim, trainer.expert_attempt(sc))
    return sim


def _timed(
    sim: trainer.Simulation, frames: int, size: tuple[int, int], change: Callable[[int], None]
) -> list[float]:
    times = []
    for k in range(frames + WARM_UP_FRAMES):
        start = time.perf_counter()
        change(k)
        sim.render(*size)
        if k >= WARM_UP_FRAMES:
            times.append((time.perf_counter() - start) * 1e3)
    return times


def _slide(sim: trainer.Simulation) -> Callable[[int], None]:
    def change(k: int) -> None:
        sim.step(FRAME_S)
        sim.move_probe(dx_mm=0.15 if (k // 20) % 2 == 0 else -0.15)

    return change


def _scan(sim: trainer.Simulation) -> Callable[[int], None]:
    def change(k: int) -> None:
        sim.step(FRAME_S)
        sign = 1.0 if (k // 30) % 2 == 0 else -1.0
        sim.move_probe(dy_mm=0.15 * sign)
        sim.rotate_probe(0.3 * sign)

    return change


def _needle(sim: trainer.Simulation) -> Callable[[int], None]:
    def change(k: int) -> None:
        sim.step(FRAME_S)
        sim.advance(-0.1 if (k // 20) % 2 == 0 else 0.1)

    return change


def _summary(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), float(np.percentile(times, 95))


def bench_one(scenario_id: str, probe: Probe | None, frames: int, size: tuple[int, int]) -> BenchRow:
    sim = expert_simulation(scenario_id)
    if probe is not None:
        sim.probe = replace(probe, x_mm=sim.probe.x_mm, y_mm=sim.probe.y_mm)
    moving = _summary(_timed(sim, frames, size, _slide(sim)))
    start = sim.probe
    scanning = _summary(_timed(sim, frames, size, _scan(sim)))
    sim.probe = start
    still = _summary(_timed(sim, frames, size, _needle(sim)))
    return BenchRow(scenario_id, sim.probe.kind, f"{size[0]}x{size[1]}", *moving, *scanning, *still)


def other_probe(scenario_id: str) -> Probe:
    """The scenario's probe swapped for the other kind (a typical 60 mm, R50 mm, 5 MHz curvilinear or
    46 mm, 10 MHz linear), for a same-anatomy comparison."""
    probe = Probe.from_kit(trainer.load_scenario(scenario_id).probe)
    if probe.curvilinear:
        return replace(probe, kind="linear", footprint_mm=46.0, frequency_mhz=10.0)
    return replace(probe, kind="curvilinear", footprint_mm=60.0, radius_mm=50.0, frequency_mhz=5.0)


def run(scenarios: list[str], frames: int, sizes: list[tuple[int, int]]) -> Iterator[BenchRow]:
    """Rows for each scenario with its own probe and the other kind at the first size, then each
    scenario's own probe at the remaining sizes."""
    cv2.setNumThreads(1)
    for sid in scenarios:
        yield bench_one(sid, None, frames, sizes[0])
        yield bench_one(sid, other_probe(sid), frames, sizes[0])
    for size in sizes[1:]:
        for sid in scenarios:
            yield bench_one(sid, None, frames, size)


def parse_size(text: str) -> tuple[int, int]:
    """'640x480' -> (640, 480)."""
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def format_row(row: BenchRow) -> str:
    return (
        f"| {row.scenario} | {row.probe} | {row.size} | {row.moving_median_ms:.2f} | "
        f"{row.moving_p95_ms:.2f} | {row.scanning_median_ms:.1f} | {row.scanning_p95_ms:.1f} | "
        f"{row.still_median_ms:.2f} | {row.still_p95_ms:.2f} |"
    )


TABLE_HEADER = (
    "| scenario | probe | size | probe moving median ms | p95 ms | probe scanning median ms | p95 ms "
    "| probe still, needle moving median ms | p95 ms |\n|---|---|---|---|---|---|---|---|---|"
)
