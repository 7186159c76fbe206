"""Ultrasound-guided thoracic spine injection trainer: the headless core.

The public API (stable names for tests, the CLI and outside scripts) is listed in `__all__`.
"""

from trainer.actions import Action, TimedAction, play
from trainer.autopilot import expert_attempt
from trainer.errors import ScenarioError, TrainerError
from trainer.replay import replay
from trainer.result import AttemptResult
from trainer.scenario import Scenario, list_scenarios, load_scenario
from trainer.simulation import Simulation

__all__ = [
    "Action",
    "AttemptResult",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "TimedAction",
    "TrainerError",
    "expert_attempt",
    "list_scenarios",
    "load_scenario",
    "play",
    "replay",
]
