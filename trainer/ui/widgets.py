"""Small drawing helpers and widgets: text, buttons, a text field, calm toasts.

Everything drawn here is reported to the layout audit (`trainer.ui.audit`), which the layout tests
read to find text that spills out of its panel or lands on something else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pygame

from trainer.ui import audit, theme

Colour = tuple[int, int, int]


def text(
    surface: pygame.Surface,
    font: pygame.font.Font,
    s: str,
    pos: tuple[int, int],
    colour: Colour = theme.TEXT,
    anchor: str = "topleft",
) -> pygame.Rect:
    """Draw one line of text; `anchor` is a pygame.Rect attribute name such as 'center'."""
    img = rendered(font, s, colour)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    audit.place("text", rect, s)
    return rect


def fit(font: pygame.font.Font, s: str, width_px: int, elsewhere: bool = False) -> str:
    """`s`, or as much of it as fits in `width_px` followed by an ellipsis. Pass `elsewhere=True`
    only where the whole text can be read another way (a tooltip, another screen)."""
    if font.size(s)[0] <= width_px:
        return s
    if not elsewhere:
        audit.place("cut", pygame.Rect(0, 0, width_px, 1), s[:40])
    return _ellipsised(font, s, width_px)


@lru_cache(maxsize=2048)
def rendered(font: pygame.font.Font, s: str, colour: Colour) -> pygame.Surface:
    """Text as an image, kept: most labels are the same every frame, and rendering glyphs is costly."""
    return font.render(s, True, colour)


def wrap(font: pygame.font.Font, s: str, width_px: int) -> list[str]:
    """Split text into lines that fit `width_px` (a word longer than a line is broken)."""
    lines: list[str] = []
    for paragraph in s.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}".strip()
            if font.size(candidate)[0] <= width_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            *whole, line = _broken(font, word, width_px)
            lines += whole
        lines.append(line)
    return lines


def _broken(font: pygame.font.Font, word: str, width_px: int) -> list[str]:
    """A word in pieces that each fit `width_px` (at least one character a piece)."""
    pieces, piece = [], ""
    for char in word:
        if piece and font.size(piece + char)[0] > width_px:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def paragraph(
    surface: pygame.Surface,
    font: pygame.font.Font,
    s: str,
    rect: pygame.Rect,
    colour: Colour = theme.TEXT,
    spacing: float = 1.25,
    elsewhere: bool = False,
) -> int:
    """Draw wrapped text inside `rect`; returns the y below. Text that does not fit ends in an
    ellipsis: pass `elsewhere=True` only where the whole text can be read somewhere else."""
    y = rect.top
    step = line_step(font, spacing)
    lines = wrap(font, s, rect.width)
    fits = max(0, (rect.bottom - rect.top - font.get_height()) // step + 1)
    if len(lines) > fits and not elsewhere:
        audit.place("cut", rect, s[:40])
    if len(lines) > fits > 0:
        lines = [*lines[: fits - 1], _ellipsised(font, lines[fits - 1], rect.width)]
    for line in lines[:fits]:
        text(surface, font, line, (rect.left, y), colour)
        y += step
    return y


def line_step(font: pygame.font.Font, spacing: float = 1.25) -> int:
    """The distance between wrapped lines."""
    return round(font.get_linesize() * spacing)


def paragraph_height(font: pygame.font.Font, s: str, width_px: int, spacing: float = 1.25) -> int:
    """How tall `paragraph` draws `s` at `width_px` (for laying out and scrolling)."""
    return len(wrap(font, s, width_px)) * line_step(font, spacing)


def _ellipsised(font: pygame.font.Font, line: str, width_px: int) -> str:
    while line and font.size(line + "…")[0] > width_px:
        line = line[:-1]
    return line.rstrip() + "…"


def panel(surface: pygame.Surface, rect: pygame.Rect, colour: Colour = theme.PANEL, name: str = "") -> None:
    pygame.draw.rect(surface, colour, rect, border_radius=8)
    pygame.draw.rect(surface, theme.PANEL_EDGE, rect, width=1, border_radius=8)
    audit.place("panel", rect, name)


@dataclass
class Button:
    """A clickable labelled rectangle; `on_click` runs on release inside it."""

    name: str
    label: str
    on_click: Callable[[], None]
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    enabled: bool = True
    selected: bool = False
    _pressed: bool = False

    def handle(self, event: pygame.event.Event) -> bool:
        """Returns True when the event was consumed by this button."""
        if not self.enabled:
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self._pressed = True
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._pressed:
            self._pressed = False
            if self.rect.collidepoint(event.pos):
                self.on_click()
            return True
        return False

    @property
    def hovered(self) -> bool:
        return self.enabled and self.rect.collidepoint(pygame.mouse.get_pos())

    def state(self) -> tuple[object, ...]:
        """Everything that changes how the button looks (a region is drawn again when it changes)."""
        return (self.label, tuple(self.rect), self.enabled, self.selected, self._pressed, self.hovered)

    def draw(self, surface: pygame.Surface, font: pygame.font.Font) -> None:
        """The button; a label too long for it ends in an ellipsis and shows whole on hover."""
        if not self.rect.width:  # a button with no room is not shown
            return
        hover = self.hovered
        colour = theme.BUTTON_DOWN if self._pressed else theme.BUTTON_HOVER if hover else theme.BUTTON
        if self.selected:
            colour = theme.blend(colour, theme.ACCENT, 0.45)
        pygame.draw.rect(surface, colour, self.rect, border_radius=6)
        edge = theme.ACCENT if self.selected else theme.PANEL_EDGE
        pygame.draw.rect(surface, edge, self.rect, width=1, border_radius=6)
        label_colour = theme.TEXT if self.enabled else theme.MUTED
        img = rendered(font, fit(font, self.label, self.rect.width - 8, elsewhere=True), label_colour)
        surface.blit(img, img.get_rect(center=self.rect.center))
        audit.place("button", self.rect, self.label)

    def draw_tooltip(self, surface: pygame.Surface, font: pygame.font.Font) -> None:
        """The whole label beside the pointer, when it is cut short on the button."""
        if not self.hovered or font.size(self.label)[0] <= self.rect.width - 8:
            return
        img = rendered(font, self.label, theme.TEXT)
        box = img.get_rect(midbottom=(self.rect.centerx, self.rect.top - 4)).inflate(12, 6)
        box.clamp_ip(surface.get_rect())
        pygame.draw.rect(surface, theme.PANEL_EDGE, box, border_radius=4)
        surface.blit(img, img.get_rect(center=box.center))


@dataclass
class TextField:
    """A one-line text input that accepts printable characters only."""

    value: str = ""
    max_length: int = 40
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.TEXTINPUT:
            clean = "".join(ch for ch in event.text if ch.isprintable())
            self.value = (self.value + clean)[: self.max_length]
            return bool(clean)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_BACKSPACE:
            self.value = self.value[:-1]
            return True
        return False

    def draw(self, surface: pygame.Surface, font: pygame.font.Font, placeholder: str, focused: bool) -> None:
        """The field; only the focused one has a bright edge and a blinking caret."""
        pygame.draw.rect(surface, theme.BUTTON_DOWN, self.rect, border_radius=6)
        edge, width = (theme.ACCENT, 2) if focused else (theme.PANEL_EDGE, 1)
        pygame.draw.rect(surface, edge, self.rect, width=width, border_radius=6)
        pad = self.rect.height // 4
        room = self.rect.width - 2 * pad
        if self.value:  # the end of a long entry stays in view, where the caret is
            shown = self.value
            while font.size(shown)[0] > room - font.size("|")[0] and shown:
                shown = shown[1:]
            img = rendered(font, shown, theme.TEXT)
        else:
            img = rendered(font, fit(font, placeholder, room, elsewhere=True), theme.MUTED)
        at = img.get_rect(midleft=(self.rect.left + pad, self.rect.centery))
        surface.blit(img, at)
        if focused and caret_on():
            x = at.right + 1 if self.value else at.left
            pygame.draw.line(surface, theme.TEXT, (x, at.top + 2), (x, at.bottom - 2), 2)
        audit.place("field", self.rect, self.value or placeholder)


def caret_on() -> bool:
    """The caret blinks: on for half a second, off for half a second."""
    return (pygame.time.get_ticks() // 500) % 2 == 0


@dataclass
class Toast:
    message: str
    colour: Colour
    age_s: float = 0.0


class Toasts:
    """Brief, calm messages that fade out; at most a few at a time."""

    def __init__(self, life_s: float = 3.5, limit: int = 4) -> None:
        self.life_s = life_s
        self.limit = limit
        self.items: list[Toast] = []

    def show(self, message: str, colour: Colour = theme.TEXT) -> None:
        if self.items and self.items[-1].message == message:
            self.items[-1].age_s = 0.0
            return
        self.items = [*self.items, Toast(message, colour)][-self.limit :]

    def key(self) -> tuple[tuple[str, int], ...]:
        """What is shown now (messages and their fade), for deciding whether to draw again."""
        return tuple((t.message, round(t.age_s * 20)) for t in self.items)

    def update(self, dt_s: float) -> None:
        for t in self.items:
            t.age_s += dt_s
        self.items = [t for t in self.items if t.age_s < self.life_s]

    def draw(self, surface: pygame.Surface, font: pygame.font.Font, anchor: tuple[int, int]) -> None:
        x, y = anchor
        for t in reversed(self.items):
            fade = max(0.0, min(1.0, (self.life_s - t.age_s) / 0.8))
            img = font.render(t.message, True, theme.blend(theme.PANEL, t.colour, fade))
            box = img.get_rect(midbottom=(x, y)).inflate(24, 12)
            pygame.draw.rect(surface, theme.blend(theme.BACKGROUND, theme.PANEL, fade), box, border_radius=8)
            surface.blit(img, img.get_rect(center=box.center))
            y = box.top - 6
