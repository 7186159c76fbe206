"""Errors the trainer reports to users as one clear sentence (never a traceback)."""

from __future__ import annotations


class TrainerError(Exception):
    """Base class for errors shown to the user as their message alone."""


class ScenarioError(TrainerError):
    """A scenario file that cannot be used; names the file, the field and the problem (a field or a
    problem that quotes a very long value from the file is shortened to stay readable)."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = _shortened(field, 120)
        self.problem = _shortened(problem, 300)
        super().__init__(f"{source}: {self.field}: {self.problem}")


def _shortened(text: str, most_chars: int) -> str:
    return text if len(text) <= most_chars else text[: most_chars - 1] + "…"


class RecordError(TrainerError):
    """An attempt record that cannot be read or replayed; says what is wrong with it."""
