"""Errors the trainer reports to users as one clear sentence (never a traceback)."""

from __future__ import annotations


class TrainerError(Exception):
    """Base class for errors shown to the user as their message alone."""


class ScenarioError(TrainerError):
    """A scenario file that cannot be used; names the file, the field and the problem."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        super().__init__(f"{source}: {field}: {problem}")


class RecordError(TrainerError):
    """An attempt record that cannot be read or replayed; says what is wrong with it."""
