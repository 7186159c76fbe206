"""A column of headings, wrapped paragraphs and two-part rows (a key and what it does) that scrolls
when it is longer than its rectangle: long text is never cut, only scrolled to.

Blocks are wrapped into lines once per layout; drawing shows the lines wholly inside the rectangle.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from trainer.ui import theme
from trainer.ui.scroll import ScrollArea
from trainer.ui.widgets import line_step, text, wrap

Colour = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Block:
    """kind: 'heading', 'text' (a paragraph, `bullet` to mark an item), 'pair' (`left` in a
    column of `left_px`, `right` wrapped beside it; `mono` sets the left part in monospace) or
    'row' (a table row: `left` wrapped, `right` and `third` aligned right, `third` in a last
    column of `left_px`)."""

    kind: str
    left: str
    right: str = ""
    colour: Colour = theme.TEXT
    bullet: bool = False
    left_px: int = 0
    mono: bool = False
    third: str = ""


def heading(words: str) -> Block:
    return Block("heading", words, colour=theme.ACCENT)


def para(words: str, colour: Colour = theme.TEXT, bullet: bool = False) -> Block:
    return Block("text", words, colour=colour, bullet=bullet)


def pair(left: str, right: str, left_px: int, mono: bool = False, colour: Colour = theme.MUTED) -> Block:
    return Block("pair", left, right, colour=colour, left_px=left_px, mono=mono)


def row(label: str, value: str, last: str, last_px: int) -> Block:
    return Block("row", label, value, colour=theme.MUTED, left_px=last_px, third=last)


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line: y from the column's top, and what to draw where."""

    y: int
    height: int
    parts: tuple[tuple[int, str, Colour, str, str], ...]  # (x from the left, words, colour, style, anchor)


class TextColumn:
    def __init__(self) -> None:
        self.scroll = ScrollArea()
        self.lines: list[Line] = []

    def layout(self, rect: pygame.Rect, blocks: list[Block], fonts: theme.Fonts, size: int = 15) -> None:
        """Wrap `blocks` for `rect` (a scroll bar takes a few pixels when they overflow)."""
        self.scroll.layout(rect)
        self.lines = self._lines(blocks, fonts, rect.width, size)
        self.scroll.set_content(self.lines[-1].y + self.lines[-1].height if self.lines else 0)
        if self.scroll.overflows:
            self.lines = self._lines(blocks, fonts, rect.width - 8, size)
            self.scroll.set_content(self.lines[-1].y + self.lines[-1].height)

    def _lines(self, blocks: list[Block], fonts: theme.Fonts, width: int, size: int) -> list[Line]:
        out: list[Line] = []
        y = 0
        for i, block in enumerate(blocks):
            if block.kind == "heading" and i:
                y += round(8 * fonts.scale)
            for line in self._block_lines(block, fonts, width, size, y):
                out.append(line)
                y = line.y + line.height
        return out

    def _block_lines(self, block: Block, fonts: theme.Fonts, width: int, size: int, y: int) -> list[Line]:
        regular = fonts.regular(size)
        step = line_step(regular, 1.15)
        if block.kind == "heading":
            wrapped = wrap(fonts.bold(size + 1), block.left, width)
            return [
                Line(y + i * step, step, ((0, w, block.colour, "bold", "topleft"),))
                for i, w in enumerate(wrapped)
            ]
        if block.kind == "text":
            return self._paragraph_lines(block, regular, width, y, step)
        if block.kind == "row":
            return self._row_lines(block, regular, width, y, step)
        left_font = fonts.mono(size - 1) if block.mono else regular
        left = wrap(left_font, block.left, block.left_px - 8)
        right = wrap(regular, block.right, width - block.left_px)
        style = "mono" if block.mono else "regular"
        out = []
        for i in range(max(len(left), len(right))):
            parts = []
            if i < len(left):
                parts.append((0, left[i], theme.TEXT, style, "topleft"))
            if i < len(right):
                parts.append((block.left_px, right[i], block.colour, "regular", "topleft"))
            out.append(Line(y + i * step, step, tuple(parts)))
        return out

    @staticmethod
    def _paragraph_lines(block: Block, font: pygame.font.Font, width: int, y: int, step: int) -> list[Line]:
        indent = font.size("• ")[0] if block.bullet else 0
        out = []
        for i, words in enumerate(wrap(font, block.left, width - indent)):
            bullet = ((0, "• ", block.colour, "regular", "topleft"),) if block.bullet and not i else ()
            out.append(
                Line(y + i * step, step, (*bullet, (indent, words, block.colour, "regular", "topleft")))
            )
        return out

    @staticmethod
    def _row_lines(block: Block, font: pygame.font.Font, width: int, y: int, step: int) -> list[Line]:
        value_right = width - block.left_px
        label_w = value_right - font.size(block.right)[0] - 12
        lines = wrap(font, block.left, label_w)
        first = (
            (0, lines[0], block.colour, "regular", "topleft"),
            (value_right, block.right, theme.TEXT, "regular", "topright"),
            (width, block.third, theme.MUTED, "regular", "topright"),
        )
        rest = [
            Line(y + i * step, step, ((0, w, block.colour, "regular", "topleft"),))
            for i, w in enumerate(lines[1:], 1)
        ]
        return [Line(y, step, first), *rest]

    def handle(self, event: pygame.event.Event) -> bool:
        return self.scroll.handle(event)

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts, size: int = 15) -> None:
        area = self.scroll.rect
        styles = {"regular": fonts.regular(size), "bold": fonts.bold(size + 1), "mono": fonts.mono(size - 1)}
        for line in self.lines:
            top = self.scroll.top + line.y
            for x, words, colour, style, anchor in line.parts:
                font = styles[style]
                if words and area.top <= top and top + font.get_height() <= area.bottom:
                    text(surface, font, words, (area.left + x, top), colour, anchor)
        self.scroll.draw_bar(surface)
