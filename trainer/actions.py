"""Inputs as data: every call that changes a simulation is an Action, so attempts can be replayed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.simulation import Simulation

# The Simulation methods an Action may name, with the keyword arguments each accepts.
ACTION_ARGS: dict[str, frozenset[str]] = {
    "move_probe": frozenset({"dx_mm", "dy_mm"}),
    "set_imaging": frozenset(
        {
            "depth_mm",
            "gain_db",
            "focus_mm",
            "dynamic_range_db",
            "tgc_near_db",
            "tgc_far_db",
            "frequency_mhz",
            "doppler",
        }
    ),
    "insert": frozenset({"entry_x_mm", "angle_deg"}),
    "advance": frozenset({"mm"}),
    "steer": frozenset({"delta_deg"}),
    "tilt_needle": frozenset({"delta_deg"}),
    "inject": frozenset({"ml"}),
    "step": frozenset({"dt_s"}),
    "mirror_image": frozenset({"mirrored"}),
    "report_orientation": frozenset({"mirrored"}),
}


@dataclass(frozen=True, slots=True)
class Action:
    """One call on a Simulation: its method name and keyword arguments."""

    name: str
    args: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, name: str, **kwargs: Any) -> Action:
        if name not in ACTION_ARGS:
            raise ValueError(f"unknown action '{name}'")
        unknown = set(kwargs) - ACTION_ARGS[name]
        if unknown:
            raise ValueError(f"action '{name}' takes no {', '.join(sorted(unknown))}")
        return cls(name, tuple(sorted(kwargs.items())))

    def apply(self, sim: Simulation) -> None:
        getattr(sim, self.name)(**dict(self.args))

    def to_list(self) -> list[Any]:
        return [self.name, dict(self.args)]

    @classmethod
    def from_list(cls, item: Any) -> Action:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], dict)):
            raise ValueError(f"an input must be [name, {{arguments}}], not {item!r}")
        return cls.of(str(item[0]), **item[1])


@dataclass(frozen=True, slots=True)
class TimedAction:
    """An action to apply once the simulation clock reaches `time_s`."""

    time_s: float
    action: Action


def apply_due(sim: Simulation, actions: Sequence[TimedAction], start: int) -> int:
    """Apply, from index `start`, the actions whose time has come; returns the next index.

    For callers that step the clock themselves (the expert demo, frame timing)."""
    i = start
    while i < len(actions) and actions[i].time_s <= sim.time_s + 1e-9:
        actions[i].action.apply(sim)
        i += 1
    return i


def play(sim: Simulation, actions: Iterable[TimedAction], dt_s: float = 1.0 / 60.0) -> None:
    """Run timed actions on `sim`, stepping the clock in fixed steps between them."""
    for timed in actions:
        while sim.time_s + 1e-9 < timed.time_s:
            sim.step(dt_s)
        timed.action.apply(sim)
