"""Ultrasound-guided thoracic spine injection trainer: the headless core.

The public API (stable names for tests, the CLI and outside scripts) is listed in `__all__`.
"""

from trainer.actions import Action, TimedAction, play
from trainer.attempt import AttemptInfo, Trainee
from trainer.autopilot import expert_attempt
from trainer.errors import RecordError, ScenarioError, TrainerError
from trainer.record import load_record
from trainer.replay import Replay, replay
from trainer.result import AttemptResult
from trainer.scenario import Scenario, list_scenarios, load_scenario
from trainer.simulation import Simulation
from trainer.versions import __version__

__all__ = [
    "Action",
    "AttemptInfo",
    "AttemptResult",
    "RecordError",
    "Replay",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "TimedAction",
    "Trainee",
    "TrainerError",
    "__version__",
    "expert_attempt",
    "list_scenarios",
    "load_record",
    "load_scenario",
    "play",
    "replay",
]
