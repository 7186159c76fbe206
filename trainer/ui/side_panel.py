"""The attempt's side panel as rows of data: headings, label-value lines, steppers, buttons, a bar and
wrapped text. Rows are laid out top to bottom in a scroll area, so a short window scrolls the panel
rather than spilling it; the rows themselves are what decides whether the panel must be drawn again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pygame

from trainer.ui import theme
from trainer.ui.scroll import ScrollArea
from trainer.ui.widgets import Button, fit, panel, paragraph, paragraph_height, text

Colour = tuple[int, int, int]
ZERO = pygame.Rect(0, 0, 0, 0)
SCROLL_BAR_PX = 8


@dataclass(frozen=True, slots=True)
class Row:
    """kind: 'heading', 'line' (label and value), 'stepper' (label, value, buttons −/+),
    'buttons' (side by side), 'keyed' (one button, then its label), 'bar' (a share from 0 to 1)
    or 'text' (wrapped)."""

    kind: str
    label: str = ""
    value: str = ""
    buttons: tuple[str, ...] = ()
    colour: Colour = theme.TEXT
    share: float = 0.0


def heading(label: str) -> Row:
    return Row("heading", label)


def line(label: str, value: str, colour: Colour = theme.TEXT) -> Row:
    return Row("line", label, value, colour=colour)


class SidePanel:
    """Places rows (and the buttons they hold) inside a panel rectangle, scrolling when needed."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.scroll = ScrollArea()
        self.rows: tuple[Row, ...] = ()
        self._tops: list[int] = []
        self._drawn_layout: tuple[object, ...] | None = None
        self._drawn_rows: list[tuple[Row, tuple[tuple[object, ...], ...]]] = []

    def layout(self, rect: pygame.Rect, fonts: theme.Fonts) -> None:
        self.rect = rect
        inset = round(10 * fonts.scale)
        self.scroll.layout(rect.inflate(-2 * inset, -2 * inset))

    def arrange(self, rows: tuple[Row, ...], buttons: Mapping[str, Button], fonts: theme.Fonts) -> None:
        """Lay out `rows` and put their buttons in place (out of view: no rect, not clickable)."""
        self.rows = rows
        self._tops, y = [], 0
        for row in rows:
            y += self._gap_before(row, fonts) if y else 0
            self._tops.append(y)
            y += self.height(row, fonts)
        self.scroll.set_content(y)
        for row, top in zip(rows, self._tops, strict=True):
            self._place_buttons(row, top, buttons, fonts)

    def forget(self) -> None:
        """Draw every row next time."""
        self._drawn_layout = None

    def _layout_key(self) -> tuple[object, ...]:
        shape = tuple((row.kind, row.label, len(row.value) if row.kind == "text" else 0) for row in self.rows)
        return (shape, tuple(self._tops), self.scroll.offset_px, tuple(self.rect))

    def height(self, row: Row, fonts: theme.Fonts) -> int:
        body = fonts.regular(15)
        if row.kind == "heading":
            return fonts.bold(16).get_linesize() + 2
        if row.kind in ("stepper", "buttons", "keyed"):
            return self.button_height(fonts) + 4
        if row.kind == "bar":
            return 12
        if row.kind == "text":
            return paragraph_height(body, row.value, self.content_width, 1.15)
        return body.get_linesize() + 3

    @property
    def content(self) -> pygame.Rect:
        """Where rows go: the scroll area less a strip at the right for its scroll bar."""
        area = self.scroll.rect
        return pygame.Rect(area.left, area.top, self.content_width, area.height)

    @property
    def content_width(self) -> int:
        return self.scroll.rect.width - SCROLL_BAR_PX

    @staticmethod
    def key_width(fonts: theme.Fonts) -> int:
        return fonts.regular(15).size("PAGE DOWN")[0] + round(16 * fonts.scale)

    def button_height(self, fonts: theme.Fonts) -> int:
        return max(fonts.regular(15).get_linesize() + 8, round(30 * fonts.scale))

    @staticmethod
    def _gap_before(row: Row, fonts: theme.Fonts) -> int:
        return round(10 * fonts.scale) if row.kind == "heading" else 2

    def _place_buttons(self, row: Row, top: int, buttons: Mapping[str, Button], fonts: theme.Fonts) -> None:
        if not row.buttons:
            return
        area = self.content
        h = self.button_height(fonts)
        y = self.scroll.top + top
        visible = self.scroll.shows(pygame.Rect(area.left, y, area.width, h))
        if row.kind == "stepper":
            w = h + 4
            rects = [pygame.Rect(area.right - 2 * w - 6, y, w, h), pygame.Rect(area.right - w, y, w, h)]
        elif row.kind == "keyed":
            rects = [pygame.Rect(area.left, y, self.key_width(fonts), h)]
        else:
            n, gap = len(row.buttons), 6
            w = (area.width - (n - 1) * gap) // n
            rects = [pygame.Rect(area.left + i * (w + gap), y, w, h) for i in range(n)]
        for name, rect in zip(row.buttons, rects, strict=True):
            buttons[name].rect = rect if visible else ZERO.copy()

    # ------------------------------------------------------------------ drawing
    def draw_changes(
        self, surface: pygame.Surface, buttons: Mapping[str, Button], fonts: theme.Fonts
    ) -> list[pygame.Rect]:
        """Draw the rows that changed since the last call (all of them when the rows moved);
        returns the rectangles drawn."""
        states = [(row, tuple(buttons[n].state() for n in row.buttons)) for row in self.rows]
        if self._layout_key() != self._drawn_layout:
            self._drawn_layout, self._drawn_rows = self._layout_key(), states
            self.draw(surface, buttons, fonts)
            return [self.rect.copy()]
        changed = []
        for i, (state, top) in enumerate(zip(states, self._tops, strict=True)):
            box = self._box(state[0], top, fonts)
            if state != self._drawn_rows[i] and self.scroll.shows(box):
                surface.fill(theme.PANEL, box)
                self._draw_row(surface, state[0], box, buttons, fonts)
                changed.append(box)
        self._drawn_rows = states
        return changed

    def draw(
        self,
        surface: pygame.Surface,
        buttons: Mapping[str, Button],
        fonts: theme.Fonts,
        with_buttons: bool = True,
    ) -> None:
        """The panel and its rows (`with_buttons=False` when the screen draws the buttons itself)."""
        panel(surface, self.rect, name="side panel")
        for row, top in zip(self.rows, self._tops, strict=True):
            box = self._box(row, top, fonts)
            if self.scroll.shows(box):
                self._draw_row(surface, row, box, buttons if with_buttons else {}, fonts)
        self.scroll.draw_bar(surface)

    def _box(self, row: Row, top: int, fonts: theme.Fonts) -> pygame.Rect:
        """Where a row is on screen now (it may be scrolled out of view)."""
        area = self.content
        return pygame.Rect(area.left, self.scroll.top + top, area.width, self.height(row, fonts))

    def _draw_row(
        self,
        surface: pygame.Surface,
        row: Row,
        box: pygame.Rect,
        buttons: Mapping[str, Button],
        fonts: theme.Fonts,
    ) -> None:
        body = fonts.regular(15)
        if row.kind == "heading":
            text(surface, fonts.bold(16), row.label, box.topleft, theme.ACCENT)
        elif row.kind == "line":
            value = text(surface, body, row.value, box.topright, row.colour, "topright")
            label = fit(body, row.label, value.left - box.left - 8)
            text(surface, body, label, box.topleft, theme.MUTED)
        elif row.kind == "stepper":
            mid = (
                box.right - 2 * (self.button_height(fonts) + 4) - 6,
                box.top + self.button_height(fonts) // 2,
            )
            value = text(surface, body, row.value, (mid[0] - 6, mid[1]), anchor="midright")
            label = fit(body, row.label, value.left - box.left - 8)
            text(surface, body, label, (box.left, mid[1]), theme.MUTED, "midleft")
        elif row.kind == "keyed":
            left = box.left + self.key_width(fonts) + 8
            # the whole label is in the controls help (F1)
            words = fit(body, row.label, box.right - left, elsewhere=True)
            text(surface, body, words, (left, box.centery), theme.MUTED, "midleft")
        elif row.kind == "bar":
            self._bar(surface, box, row.share)
        elif row.kind == "text":
            paragraph(surface, body, row.value, box, row.colour, spacing=1.15)
        for name in row.buttons:
            if name in buttons:
                buttons[name].draw(surface, body)

    @staticmethod
    def _bar(surface: pygame.Surface, box: pygame.Rect, share: float) -> None:
        bar = pygame.Rect(box.left, box.top + 2, box.width, 8)
        pygame.draw.rect(surface, theme.BUTTON, bar, border_radius=4)
        filled = bar.copy()
        filled.width = round(bar.width * min(1.0, max(0.0, share)))
        pygame.draw.rect(surface, theme.ACCENT, filled, border_radius=4)
