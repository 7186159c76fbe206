"""Scenarios: data files validated into immutable planes of anatomy."""

from trainer.scenario.loader import list_scenarios, load_scenario
from trainer.scenario.model import Plane, Scenario, Structure

__all__ = ["Plane", "Scenario", "Structure", "list_scenarios", "load_scenario"]
