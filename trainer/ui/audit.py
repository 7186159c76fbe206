"""A record of where text, buttons, fields and panels were drawn, for checking layouts.

Drawing helpers report what they place; nothing is kept unless a check is running (`recording()`).
`problems(...)` then lists what a trainee would see as broken: something outside the window, text
or a widget spilling out of its panel, two things on top of each other, or text cut short with no
way to read the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pygame

WIDGETS = ("text", "button", "field")


@dataclass(frozen=True, slots=True)
class Placed:
    kind: str  # "text", "button", "field", "panel", or "cut" (text ended early with no way to the rest)
    rect: tuple[int, int, int, int]
    label: str


_placed: list[Placed] | None = None


def place(kind: str, rect: pygame.Rect, label: str = "") -> None:
    """Report something drawn (a no-op unless recording)."""
    if _placed is not None:
        _placed.append(Placed(kind, (rect.x, rect.y, rect.width, rect.height), label))


def forget() -> None:
    """Drop what was recorded so far (an overlay now covers it)."""
    if _placed is not None:
        _placed.clear()


@contextmanager
def recording() -> Iterator[list[Placed]]:
    global _placed
    _placed = []
    try:
        yield _placed
    finally:
        _placed = None


def problems(placed: list[Placed], window: tuple[int, int]) -> list[str]:
    """Everything wrong with one drawn screen, in words."""
    screen = pygame.Rect(0, 0, *window)
    items = [p for p in placed if p.kind in WIDGETS]
    panels = [p for p in placed if p.kind == "panel"]
    found = [
        f"{p.kind} '{p.label}' cut short with no way to read the rest" for p in placed if p.kind == "cut"
    ]
    found += [
        f"{p.kind} '{p.label}' {p.rect} outside the window" for p in placed if not screen.contains(p.rect)
    ]
    found += [_spill(p, panels) for p in [*items, *panels] if _spill(p, panels)]
    for i, a in enumerate(items):
        found += [
            f"{a.kind} '{a.label}' {a.rect} overlaps {b.kind} '{b.label}' {b.rect}"
            for b in items[i + 1 :]
            if pygame.Rect(a.rect).colliderect(b.rect)
        ]
    return found


def _spill(item: Placed, panels: list[Placed]) -> str:
    """An item that reaches into a panel without lying inside it (panels may nest)."""
    rect = pygame.Rect(item.rect)
    for p in panels:
        outer = pygame.Rect(p.rect)
        if p is item or outer == rect or not outer.colliderect(rect) or outer.contains(rect):
            continue
        if item.kind == "panel" and rect.contains(outer):
            continue
        return f"{item.kind} '{item.label}' {item.rect} spills out of the panel at {p.rect}"
    return ""
