"""Inputs as data: every call that changes a simulation is an Action, so attempts can be replayed."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from trainer.simulation import Simulation

# The Simulation methods an Action may name, with the keyword arguments each accepts.
ACTION_ARGS: dict[str, frozenset[str]] = {
    "move_probe": frozenset({"dx_mm", "dy_mm"}),
    "rotate_probe": frozenset({"delta_deg"}),
    "tilt_probe": frozenset({"delta_deg"}),
    "rock_probe": frozenset({"delta_deg"}),
    "place_probe": frozenset({"level", "lateral_mm", "side", "rotation_deg", "tilt_deg"}),
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
TEXT_ARGS = frozenset(
    {"level", "side"}
)  # place_probe's names ("T5", "right"); every other argument is a number


C = TypeVar("C", bound=type)


def finite_inputs(cls: C) -> C:
    """Class decorator for the simulation: each input method named in ACTION_ARGS refuses a number
    that is not finite (nan, inf) with a ValueError naming the argument, before anything changes."""
    for name in ACTION_ARGS:
        setattr(cls, name, _finite_only(getattr(cls, name)))
    return cls


def _finite_only(method: Callable[..., Any]) -> Callable[..., Any]:
    names = list(inspect.signature(method).parameters)

    @functools.wraps(method)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for key, value in (*zip(names, args, strict=False), *kwargs.items()):
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{method.__name__}: {key} must be a finite number, not {value!r}")
        return method(*args, **kwargs)

    return checked


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
