"""The menu's procedure cards: a grid of three, two or one columns that scrolls when it does not fit.
A tall card has its picture, title, level and best score over the one-line purpose and its two
buttons; a short one stacks the buttons at its right and leaves the purpose to the briefing."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pygame

from trainer.scenario.model import Scenario
from trainer.ui import theme, thumbnails
from trainer.ui.scroll import ScrollArea
from trainer.ui.widgets import Button, fit, line_step, panel, paragraph, text

ZERO = pygame.Rect(0, 0, 0, 0)


class Cards:
    def __init__(self, scenarios: list[Scenario], best_score: Callable[[str], float | None]) -> None:
        self.scenarios = scenarios
        self.best_score = best_score
        self.area = ScrollArea()
        self.placed: list[tuple[Scenario, pygame.Rect]] = []

    def place(self, rect: pygame.Rect, buttons: Mapping[str, Button], fonts: theme.Fonts, row: int) -> None:
        """Lay the cards out in `rect` and put each card's buttons on it (none when scrolled away)."""
        self.area.layout(rect)
        gap = round(16 * fonts.scale)
        min_w, min_h = round(380 * fonts.scale), round(150 * fonts.scale)
        cols = next((c for c in (3, 2) if (rect.width - (c - 1) * gap) // c >= min_w), 1)
        rows = (len(self.scenarios) + cols - 1) // cols
        card_w = (rect.width - (cols - 1) * gap) // cols
        card_h = max(min_h, (rect.height - (rows - 1) * gap) // rows)
        self.area.set_content(rows * card_h + (rows - 1) * gap)
        self.placed = []
        for i, sc in enumerate(self.scenarios):
            y = self.area.top + (i // cols) * (card_h + gap)
            r = pygame.Rect(rect.left + (i % cols) * (card_w + gap), y, card_w, card_h)
            self.placed.append((sc, r))
            start, watch = buttons[f"start_{sc.id}"], buttons[f"expert_{sc.id}"]
            shown = self.area.shows(r)
            start.rect, watch.rect = self._buttons(r, fonts, row) if shown else (ZERO.copy(), ZERO.copy())

    @staticmethod
    def compact(card: pygame.Rect, fonts: theme.Fonts) -> bool:
        return card.height < round(230 * fonts.scale)

    def _buttons(self, r: pygame.Rect, fonts: theme.Fonts, row: int) -> tuple[pygame.Rect, pygame.Rect]:
        gap = round(12 * fonts.scale)
        if self.compact(r, fonts):
            bw = round(140 * fonts.scale)
            top = r.centery - row - gap // 4
            return (
                pygame.Rect(r.right - gap - bw, top, bw, row),
                pygame.Rect(r.right - gap - bw, top + row + gap // 2, bw, row),
            )
        half = (r.width - 3 * gap) // 2
        at = r.bottom - gap - row
        return pygame.Rect(r.left + gap, at, half, row), pygame.Rect(r.left + 2 * gap + half, at, half, row)

    def at(self, pos: tuple[int, int]) -> Scenario | None:
        """The card under the pointer, if one is in view there."""
        return next((sc for sc, r in self.placed if r.collidepoint(pos) and self.area.shows(r)), None)

    # ------------------------------------------------------------------ drawing
    def draw(
        self, surface: pygame.Surface, buttons: Mapping[str, Button], fonts: theme.Fonts, row: int
    ) -> None:
        for sc, rect in self.placed:
            if self.area.shows(rect):
                self._card(surface, sc, rect, buttons[f"start_{sc.id}"].rect, fonts, row)
        self.area.draw_bar(surface)

    def _card(
        self,
        surface: pygame.Surface,
        sc: Scenario,
        rect: pygame.Rect,
        start: pygame.Rect,
        fonts: theme.Fonts,
        row: int,
    ) -> None:
        hover = rect.collidepoint(pygame.mouse.get_pos())
        panel(surface, rect, theme.BUTTON_HOVER if hover else theme.PANEL, name=sc.id)
        small = fonts.regular(14)
        gap = round(12 * fonts.scale)
        compact = self.compact(rect, fonts)
        if compact:
            thumb_h, right = rect.height - 2 * gap, start.left - gap
        else:
            room = rect.height - 3 * gap - row - 2 * line_step(small, 1.15) - gap
            thumb_h, right = min(round(rect.width * 0.5 * 3 / 4), room), rect.right - gap
        thumb = pygame.Rect(
            rect.left + gap, rect.top + gap, max(40, round(thumb_h * 4 / 3)), max(30, thumb_h)
        )
        _picture(surface, sc, thumb)
        column = pygame.Rect(thumb.right + gap, rect.top + gap, right - thumb.right - gap, thumb.height)
        y = self._card_text(surface, sc, column, fonts)
        if not compact:
            below = max(thumb.bottom, y) + gap // 2
            box = pygame.Rect(rect.left + gap, below, rect.width - 2 * gap, start.top - gap // 2 - below)
            paragraph(
                surface, small, sc.summary, box, theme.TEXT, spacing=1.15, elsewhere=True
            )  # in the briefing

    def _card_text(
        self, surface: pygame.Surface, sc: Scenario, column: pygame.Rect, fonts: theme.Fonts
    ) -> int:
        """Title, level and best score in the column beside the picture; returns the y below."""
        head, small = fonts.bold(17), fonts.regular(14)
        lines = max(1, (column.height - 2 * line_step(small, 1.0)) // line_step(head, 1.05))
        title_box = pygame.Rect(column.left, column.top, column.width, lines * line_step(head, 1.05))
        y = paragraph(
            surface, head, sc.title, title_box, spacing=1.05, elsewhere=True
        )  # whole in the briefing
        level = fit(small, f"{sc.level} · {sc.difficulty}", column.width)
        text(surface, small, level, (column.left, y + 2), theme.ACCENT)
        y += line_step(small, 1.0) + 2
        best = self.best_score(sc.id)
        best_text = "Not tried yet" if best is None else f"Best: {best:.0f} / 100"
        text(surface, small, fit(small, best_text, column.width), (column.left, y + 2), theme.MUTED)
        return y + line_step(small, 1.0) + 2


def _picture(surface: pygame.Surface, sc: Scenario, rect: pygame.Rect) -> None:
    picture = thumbnails.thumbnail(sc.id, rect.size)
    if picture is None:  # still being rendered
        pygame.draw.rect(surface, theme.BACKGROUND, rect, border_radius=4)
    else:
        surface.blit(picture, rect)
