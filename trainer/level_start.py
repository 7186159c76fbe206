"""Level-finding starts: the probe begins over the 12th rib or at C7, and the trainee counts the
ribs and transverse processes to the procedure's level (ultrasound level counting is right only
57-84 % of the time, Heo 2017, issue 9), so finding the level is part of the attempt."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.scenario.model import Scenario
from trainer.simulation import Simulation

PLANNED = "planned"


@dataclass(frozen=True, slots=True)
class CountStart:
    """Where a level-finding attempt puts the probe: parasagittal over a landmark."""

    name: str
    label: str
    level: str
    lateral_mm: float


COUNT_STARTS = (
    CountStart("rib12", "count up from the 12th rib", "T12", 50.0),  # the last rib, lateral to the TPs
    CountStart("c7", "count down from C7", "C7", 28.0),  # the vertebra prominens' transverse process
)


def count_start(name: str) -> CountStart:
    for start in COUNT_STARTS:
        if start.name == name:
            return start
    known = ", ".join(s.name for s in COUNT_STARTS)
    raise ValueError(f"a level-finding start is one of {known}, not {name!r}")


def place_args(sc: Scenario, name: str) -> dict[str, str | float]:
    """The `place_probe` arguments of a level-finding start on the procedure's side."""
    if sc.anatomy is None:
        raise ValueError(f"{sc.id} is not on the 3D patient: it has no levels to count")
    start = count_start(name)
    return {
        "level": start.level,
        "lateral_mm": start.lateral_mm,
        "side": sc.anatomy.side,
        "rotation_deg": 0.0,
    }


def placed(sc: Scenario, name: str) -> Simulation:
    """A scratch attempt with its probe at a level-finding start (for the first view's maps and the
    autopilot's route: the real attempt places its probe after its recorder starts)."""
    sim = Simulation(sc)
    sim.place_probe(**place_args(sc, name))  # type: ignore[arg-type]
    return sim
