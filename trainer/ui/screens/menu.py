"""The start screen: the procedures as cards, the difficulty ladder, and the way to everything else.

The layout flows with the window: the difficulty buttons share the title's line when there is room
and drop below it when not; the cards take three, two or one columns and scroll when they do not
all fit; notices wrap and scroll in their own strip.
"""

from __future__ import annotations

import logging
from functools import partial

import pygame

import trainer
from trainer.errors import TrainerError
from trainer.records.lrs_sender import delivery_status
from trainer.scenario.model import Scenario
from trainer.ui import theme, thumbnails
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.screens.menu_cards import Cards
from trainer.ui.scroll import ScrollArea
from trainer.ui.widgets import Button, fit, line_step, paragraph, paragraph_height, text, wrap

DIFFICULTY_NOTES = {
    "guided": "Labels, outlines, the target and a suggested path over the image; live metrics.",
    "standard": "No overlays; press H for a hint when stuck.",
    "exam": "No overlays, hints or pause; a random anatomical variant and a time limit.",
}
DIFFICULTIES = ("guided", "standard", "exam")
WARM_UP = "gel_phantom"  # where a new trainee starts
FOOTER = ("history", "settings", "help", "quit")
log = logging.getLogger("trainer")


def card_order(ids: list[str], new_trainee: bool) -> list[str]:
    """The procedures in menu order: a new trainee sees the gel phantom warm-up first."""
    if new_trainee and WARM_UP in ids:
        return [WARM_UP, *[i for i in ids if i != WARM_UP]]
    return ids


def loadable(ids: list[str]) -> tuple[list[Scenario], list[str]]:
    """The scenarios that load, and a notice for each reason others do not: one bad file never stops
    the menu, and a broken patient file is one notice for all the procedures on it (the reason is in
    the notice and the log)."""
    scenarios: list[Scenario] = []
    left_out: dict[str, list[str]] = {}  # reason -> scenario ids
    for sid in ids:
        try:
            scenarios.append(trainer.load_scenario(sid))
        except Exception as exc:
            log.warning(
                "scenario %s left out of the menu: %s", sid, exc, exc_info=not isinstance(exc, TrainerError)
            )
            left_out.setdefault(str(exc), []).append(sid)
    notices = [
        f"Scenario '{sids[0]}' left out: {reason}"
        if len(sids) == 1
        else f"Scenarios {', '.join(repr(s) for s in sids)} left out: {reason}"
        for reason, sids in left_out.items()
    ]
    return scenarios, notices


class MenuScreen(Screen):
    title = "Choose a procedure"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        session = app.records.session
        ids = list(session.scenarios) if session is not None else trainer.list_scenarios()
        new_trainee = not app.records.attempts(app.settings.trainee_id)
        self.scenarios, left_out = loadable(card_order(ids, new_trainee and session is None))
        thumbnails.request([sc.id for sc in self.scenarios])
        self.cards = Cards(self.scenarios, app.best_score)
        self.card_area_rect = pygame.Rect(0, 0, 0, 0)
        self.notice_area = ScrollArea()
        self.notices = app.take_notices() + left_out
        self.unplayable: set[str] = set()
        self.notices += [
            line for line in [delivery_status(app.records.store, app.records.lrs)] if line
        ]  # LRS
        self.header_bottom = 0
        self.note_box = pygame.Rect(0, 0, 0, 0)
        self._pictures_shown = -1
        self.buttons = [
            Button("trainee", "Change trainee", self.change_trainee),
            *[
                Button(f"difficulty_{d}", d.capitalize(), partial(self.set_difficulty, d))
                for d in DIFFICULTIES
            ],
            Button("history", "History", self.open_history),
            Button("settings", "Settings", self.open_settings),
            Button("help", f"Controls ({app.bindings.key_name('help')})", self.open_help),
            Button("quit", "Quit", app.quit),
        ]
        for sc in self.scenarios:
            self.buttons.append(Button(f"start_{sc.id}", "Practise", partial(self.start, sc.id)))
            self.buttons.append(Button(f"expert_{sc.id}", "Watch expert", partial(self.watch, sc.id)))
        self.set_difficulty(app.settings.difficulty)

    def complete(self) -> bool:
        """Every card has its picture."""
        return self._pictures() == len(self.scenarios)

    def _pictures(self) -> int:
        return sum(thumbnails.ready(sc.id) for sc in self.scenarios)

    def animating(self) -> bool:
        """Drawn again when a picture has arrived since the last drawing."""
        return self._pictures() != self._pictures_shown

    def update(self, dt_s: float) -> None:
        """A scenario the expert cannot plan cannot be played: its buttons are turned off and a
        notice says why (found when its picture is made)."""
        for sc in self.scenarios:
            reason = thumbnails.failure(sc.id)
            if reason is None or sc.id in self.unplayable:
                continue
            self.unplayable.add(sc.id)
            self.button(f"start_{sc.id}").enabled = self.button(f"expert_{sc.id}").enabled = False
            self.notices.append(f"'{sc.title}' cannot be played: {reason}")
            self.layout(self.app.window.get_size())

    def close(self) -> None:
        thumbnails.stop()

    # ------------------------------------------------------------------ actions
    def set_difficulty(self, difficulty: str) -> None:
        session = self.app.records.session
        if session is not None:  # the session fixes the difficulty for everyone
            difficulty = session.difficulty
            for d in DIFFICULTIES:
                self.button(f"difficulty_{d}").enabled = d == difficulty
        self.app.settings.difficulty = difficulty
        self.app.settings.mode = "exam" if difficulty == "exam" else "practice"
        for d in DIFFICULTIES:
            self.button(f"difficulty_{d}").selected = d == difficulty
        for sc in self.scenarios:
            self.button(f"start_{sc.id}").label = "Start exam" if difficulty == "exam" else "Practise"

    def start(self, scenario_id: str) -> None:
        from trainer.ui.screens.briefing import BriefingScreen

        self.app.save_settings()
        self.app.show(BriefingScreen(self.app, scenario_id))

    def watch(self, scenario_id: str) -> None:
        from trainer.ui.screens.expert import open_expert

        self.app.show(open_expert(self.app, scenario_id, 0))

    def change_trainee(self) -> None:
        from trainer.ui.screens.start import SignInScreen

        self.app.show(SignInScreen(self.app))

    def open_history(self) -> None:
        from trainer.ui.screens.history import HistoryScreen

        self.app.show(HistoryScreen(self.app))

    def open_settings(self) -> None:
        from trainer.ui.screens.settings_screen import SettingsScreen

        self.app.show(SettingsScreen(self.app))

    def open_help(self) -> None:
        from trainer.ui.screens.overlays import HelpOverlay

        self.app.push(HelpOverlay(self.app))

    def on_event(self, event: pygame.event.Event) -> None:
        if self.cards.area.handle(event) or self.notice_area.handle(event):
            self.place_cards()
        elif event.type == pygame.KEYDOWN and self.app.bindings.intent_for(event.key) == "help":
            self.open_help()
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            card = self.cards.at(event.pos)
            if card is not None and card.id not in self.unplayable:
                self.start(card.id)

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        self._place_header(w)
        bottom = h - pad - row
        for i, name in enumerate(FOOTER):
            bw = self._width(self.button(name).label)
            x = pad if i == 0 else self.button(FOOTER[i - 1]).rect.right + round(12 * self.fonts.scale)
            self.button(name).rect = pygame.Rect(x, bottom, bw, row)
        notes_h = self._notices_height(w - 2 * pad)
        self.notice_area.layout(pygame.Rect(pad, bottom - pad // 2 - notes_h, w - 2 * pad, notes_h))
        self.notice_area.set_content(
            paragraph_height(self.fonts.regular(14), " ".join(self.notices), w - 2 * pad)
        )
        top = self.header_bottom + pad
        cards_bottom = self.notice_area.rect.top - pad // 2 if self.notices else bottom - pad
        self.card_area_rect = pygame.Rect(pad, top, w - 2 * pad, cards_bottom - top)
        self.place_cards()

    def _width(self, label: str) -> int:
        """A button as wide as its label needs (and no narrower than a standard button)."""
        return max(round(120 * self.fonts.scale), self.fonts.regular(16).size(label)[0] + 2 * self.pad)

    def _place_header(self, w: int) -> None:
        """Title and trainee on the left; trainee and difficulty buttons on the same line when
        there is room for them, else on a line of their own below; the difficulty note under them."""
        pad, row, gap = self.pad, self.row_height(), round(8 * self.fonts.scale)
        title_w = self.fonts.bold(28).size(self.title)[0]
        names = ("trainee", *[f"difficulty_{d}" for d in DIFFICULTIES])
        widths = [self._width(self.button(n).label) for n in names]
        group_w = sum(widths) + gap * (len(names) - 1)
        title_bottom = pad + self.fonts.bold(28).get_linesize() + self.fonts.regular(15).get_linesize() + 4
        beside = title_w + 2 * pad + group_w <= w - 2 * pad
        y = pad if beside else title_bottom + gap
        x = w - pad - group_w if beside else pad
        for name, bw in zip(names, widths, strict=True):
            self.button(name).rect = pygame.Rect(x, y, bw, row)
            x += bw + gap
        small = self.fonts.regular(14)
        note_w = max(group_w, w - 2 * pad - title_w - 2 * pad) if beside else w - 2 * pad
        note_h = max(paragraph_height(small, n, note_w) for n in DIFFICULTY_NOTES.values())
        self.note_box = pygame.Rect(w - pad - note_w, y + row + 6, note_w, note_h)
        self.header_bottom = max(title_bottom, self.note_box.bottom)

    def _notices_height(self, width: int) -> int:
        if not self.notices:
            return 0
        font = self.fonts.regular(14)
        return min(paragraph_height(font, " ".join(self.notices), width), 3 * line_step(font))

    def place_cards(self) -> None:
        self.cards.place(
            self.card_area_rect, {b.name: b for b in self.buttons}, self.fonts, self.row_height()
        )

    # ------------------------------------------------------------------ drawing
    def draw_body(self, surface: pygame.Surface) -> None:
        self._pictures_shown = self._pictures()
        small, body = self.fonts.regular(14), self.fonts.regular(15)
        who = f"Trainee: {self.app.settings.trainee_name}"
        session = self.app.records.session
        if session is not None:
            who += f" · skills-lab session '{session.name}' (variant {session.variant})"
        title_h = self.fonts.bold(28).get_linesize()
        beside = self.button("trainee").rect.top == self.pad
        room = (self.button("trainee").rect.left if beside else surface.get_width()) - 2 * self.pad
        # the whole name is on the sign-in screen (Change trainee)
        text(surface, body, fit(body, who, room, elsewhere=True), (self.pad, self.pad + title_h), theme.MUTED)
        note = DIFFICULTY_NOTES[self.app.settings.difficulty]
        box = self.note_box.copy()
        box.width = min(box.width, max(small.size(n)[0] for n in wrap(small, note, box.width)))
        box.right = self.note_box.right
        paragraph(surface, small, note, box, theme.MUTED)
        self.cards.draw(surface, {b.name: b for b in self.buttons}, self.fonts, self.row_height())
        if self.notices:
            area = self.notice_area
            box = pygame.Rect(area.rect.left, area.top, area.rect.width, area.content_px)
            clip = surface.get_clip()
            surface.set_clip(area.rect)
            paragraph(surface, small, " ".join(self.notices), box, theme.WARN, elsewhere=True)
            surface.set_clip(clip)
            area.draw_bar(surface)
