"""Re-run a recorded attempt from its inputs: same scenario, variant and seed give the same result.

`replay(record)` gives the result again (same events, metrics and score); `Replay(record)` steps
and scrubs through the attempt, input by input or by time, for showing it back frame by frame;
`check_replay(record)` says which of the record's stored results the replay does not reproduce.
A record that claims more inputs than an attempt can have is refused before anything is replayed.

Scenario versions: a record names the scenario version it was made on. When the installed
scenario has another version, the replay uses the archived copy `archive/<id>.v<N>.toml` beside
the scenario files if there is one; otherwise it refuses with a RecordError (the stored results
still load with `trainer.record.load_record`, which does not need the scenario).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.actions import Action
from trainer.errors import RecordError, TrainerError
from trainer.record import info_of, inputs_of, scenario_of
from trainer.record_migrations import upgrade
from trainer.result import AttemptResult
from trainer.scenario import Scenario, load_scenario
from trainer.scenario.loader import SCENARIO_DIR
from trainer.simulation import Simulation

ARCHIVE = "archive"  # the folder, inside the scenario folder, of older scenario versions
CHECKPOINT_EVERY = 240  # inputs between stored states when scrubbing (about 2 s of attempt)
MAX_CHECKPOINTS = 200  # longer attempts space their stored states further apart
# Keys of a record that are not results: where it came from, not what the attempt did.
# `versions` says which libraries made the numbers: compared separately (trainer.versions).
PROVENANCE_KEYS = frozenset({"inputs", "recovered", "unverified", "integrity", "versions"})

__all__ = ["RecordError", "Replay", "ReplayCheck", "check_replay", "replay", "scenario_for"]


def scenario_for(record: Mapping[str, Any], scenario_dir: Path = SCENARIO_DIR) -> Scenario:
    """The scenario at the version and variant the record was made on."""
    sid, version, variant = scenario_of(record)
    try:
        current = load_scenario(scenario_dir / f"{sid}.toml", variant=variant)
        if current.version == version:
            return current
        old = scenario_dir / ARCHIVE / f"{sid}.v{version}.toml"
        if old.exists():
            return load_scenario(old, variant=variant)
    except TrainerError as exc:
        raise RecordError(f"the record's scenario cannot be loaded: {exc}") from None
    raise RecordError(
        f"this attempt was made on version {version} of '{sid}', but version {current.version} is "
        f"installed and version {version} is not archived ({old.name}), so it cannot be replayed "
        "exactly; its stored results still load"
    )


class Replay:
    """An attempt shown back: `at(i)` is the simulation after the first i inputs, `at_time(t)`
    after every input up to attempt time t. Returned simulations belong to the replay: draw
    them, read them, but do not drive them."""

    def __init__(self, record: Mapping[str, Any], scenario_dir: Path = SCENARIO_DIR) -> None:
        record = upgrade(record)
        self.inputs: list[Action] = inputs_of(record)
        self.scenario = scenario_for(record, scenario_dir)
        self._sim = Simulation(self.scenario, seed=_seed(record), **info_of(record).to_dict())
        self.times_s = _times_after(self.inputs)
        self._every = max(CHECKPOINT_EVERY, len(self.inputs) // MAX_CHECKPOINTS + 1)
        self._checkpoints: dict[int, Simulation] = {0: self._sim.snapshot()}
        self._index = 0

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def index(self) -> int:
        return self._index

    @property
    def duration_s(self) -> float:
        return self.times_s[-1] if self.times_s else 0.0

    def at(self, index: int) -> Simulation:
        """The state after the first `index` inputs (0: before any; clamped to the attempt)."""
        index = max(0, min(int(index), len(self.inputs)))
        if index < self._index:
            start = max(i for i in self._checkpoints if i <= index)
            self._sim, self._index = self._checkpoints[start].snapshot(), start
        while self._index < index:
            self._apply(self.inputs[self._index])
            self._index += 1
            if self._index % self._every == 0 and self._index not in self._checkpoints:
                self._checkpoints[self._index] = self._sim.snapshot()
        return self._sim

    def at_time(self, time_s: float) -> Simulation:
        """The state once every input up to attempt time `time_s` has been applied."""
        return self.at(bisect.bisect_right(self.times_s, time_s + 1e-9))

    def step(self) -> Simulation:
        """One input further."""
        return self.at(self._index + 1)

    def result(self) -> AttemptResult:
        """The replayed attempt's result (the state at the end)."""
        return self.at(len(self.inputs)).finish()

    def _apply(self, action: Action) -> None:
        try:
            action.apply(self._sim)
        except (TypeError, ValueError) as exc:
            raise RecordError(f"the record holds an input this version cannot apply ({exc})") from None


def replay(record: Mapping[str, Any], scenario_dir: Path = SCENARIO_DIR) -> AttemptResult:
    """The result of replaying a record (`result.to_dict()`) from scratch."""
    return Replay(record, scenario_dir).result()


@dataclass(frozen=True, slots=True)
class ReplayCheck:
    """A replay next to the record: `differences` names every stored result it does not reproduce."""

    result: AttemptResult
    differences: tuple[str, ...]

    @property
    def reproduced(self) -> bool:
        return not self.differences


def check_replay(record: Mapping[str, Any], scenario_dir: Path = SCENARIO_DIR) -> ReplayCheck:
    """Replay the record and compare everything it stores (score, band, subscores, metrics, errors,
    feedback, events, metadata...), not only a few headline fields."""
    stored = upgrade(record)
    result = replay(stored, scenario_dir)
    again = result.to_dict()
    keys = (set(again) | set(stored)) - PROVENANCE_KEYS
    return ReplayCheck(result, tuple(sorted(k for k in keys if again.get(k) != stored.get(k))))


def _seed(record: Mapping[str, Any]) -> int:
    seed = record.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise RecordError(f"the record's 'seed' is damaged ({seed!r})")
    return seed


def _times_after(inputs: list[Action]) -> list[float]:
    """Attempt time after each input, added up as the simulation does."""
    times, t = [], 0.0
    for action in inputs:
        if action.name == "step":
            t += float(dict(action.args)["dt_s"])
        times.append(t)
    return times
