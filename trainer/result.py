"""The outcome of an attempt and its JSON record (inputs included, so it can be replayed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.actions import Action
from trainer.events import Event, EventKind

RECORD_FORMAT = 1


@dataclass(frozen=True)
class AttemptResult:
    """What `Simulation.finish()` returns: events, outcome, and the inputs that produced them."""

    scenario_id: str
    scenario_version: int
    variant: int
    seed: int
    duration_s: float
    events: tuple[Event, ...]
    target_reached: bool
    passed: bool
    inputs: tuple[Action, ...]
    score: float | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    feedback: tuple[str, ...] = ()

    @property
    def critical_events(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.critical)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": RECORD_FORMAT,
            "scenario": {"id": self.scenario_id, "version": self.scenario_version,
                         "variant": self.variant},
            "seed": self.seed,
            "duration_s": round(self.duration_s, 4),
            "score": self.score,
            "passed": self.passed,
            "target_reached": self.target_reached,
            "metrics": self.metrics,
            "events": [e.to_dict() for e in self.events],
            "feedback": list(self.feedback),
            "inputs": encode_inputs(self.inputs),
        }


def target_reached(events: list[Event], tip_in_target: bool) -> bool:
    """Injected with the tip in the target zone; without an injection, the tip ends there."""
    injections = [e for e in events if e.kind == EventKind.INJECTION]
    if not injections:
        return tip_in_target
    inside = False
    for e in events:
        if e.kind in (EventKind.TARGET_ENTRY, EventKind.TARGET_EXIT):
            inside = e.kind == EventKind.TARGET_ENTRY
        elif e.kind == EventKind.INJECTION and inside:
            return True
    return False


def encode_inputs(inputs: tuple[Action, ...] | list[Action]) -> list[list[Any]]:
    """Inputs as JSON lists, runs of identical actions folded into [name, args, count]."""
    out: list[list[Any]] = []
    for action in inputs:
        item = action.to_list()
        if out and out[-1][:2] == item:
            if len(out[-1]) == 2:
                out[-1].append(1)
            out[-1][2] += 1
        else:
            out.append(item)
    return out


def decode_inputs(items: Any) -> list[Action]:
    if not isinstance(items, list):
        raise ValueError("'inputs' must be a list")
    actions: list[Action] = []
    for item in items:
        count = 1
        if isinstance(item, list) and len(item) == 3:
            item, count = item[:2], item[2]
            if not isinstance(count, int) or count < 1:
                raise ValueError(f"an input's repeat count must be a positive integer, not {count!r}")
        actions.extend([Action.from_list(item)] * count)
    return actions
