"""The start screen: the procedures as cards, the difficulty ladder, and the way to everything else."""

from __future__ import annotations

from functools import partial

import pygame

import trainer
from trainer.records.lrs_sender import delivery_status
from trainer.scenario.model import Scenario
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.thumbnails import thumbnail
from trainer.ui.widgets import Button, panel, paragraph, text

DIFFICULTY_NOTES = {
    "guided": "Labels, outlines, the target and a suggested path over the image; live metrics.",
    "standard": "No overlays; press H for a hint when stuck.",
    "exam": "No overlays, hints or pause; a random anatomical variant and a time limit.",
}


class MenuScreen(Screen):
    title = "Choose a procedure"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        session = app.records.session
        ids = list(session.scenarios) if session is not None else trainer.list_scenarios()
        self.scenarios: list[Scenario] = [trainer.load_scenario(s) for s in ids]
        self.cards: list[tuple[Scenario, pygame.Rect]] = []
        self.notices = app.take_notices()
        self.lrs_line = delivery_status(app.records.store, app.records.lrs)  # '' without an LRS
        self.buttons = [
            Button("trainee", "Change trainee", self.change_trainee),
            *[
                Button(f"difficulty_{d}", d.capitalize(), partial(self.set_difficulty, d))
                for d in ("guided", "standard", "exam")
            ],
            Button("history", "History", self.open_history),
            Button("settings", "Settings", self.open_settings),
            Button("help", "Controls (F1)", self.open_help),
            Button("quit", "Quit", app.quit),
        ]
        for sc in self.scenarios:
            self.buttons.append(Button(f"start_{sc.id}", "Practise", partial(self.start, sc.id)))
            self.buttons.append(Button(f"expert_{sc.id}", "Watch expert", partial(self.watch, sc.id)))
        self.set_difficulty(app.settings.difficulty)

    # ------------------------------------------------------------------ actions
    def set_difficulty(self, difficulty: str) -> None:
        session = self.app.records.session
        if session is not None:  # the session fixes the difficulty for everyone
            difficulty = session.difficulty
            for d in ("guided", "standard", "exam"):
                self.button(f"difficulty_{d}").enabled = d == difficulty
        self.app.settings.difficulty = difficulty
        self.app.settings.mode = "exam" if difficulty == "exam" else "practice"
        for d in ("guided", "standard", "exam"):
            self.button(f"difficulty_{d}").selected = d == difficulty
        for sc in self.scenarios:
            self.button(f"start_{sc.id}").label = "Start exam" if difficulty == "exam" else "Practise"

    def start(self, scenario_id: str) -> None:
        from trainer.ui.screens.briefing import BriefingScreen

        self.app.save_settings()
        self.app.show(BriefingScreen(self.app, scenario_id))

    def watch(self, scenario_id: str) -> None:
        from trainer.ui.screens.procedure import ExpertScreen

        self.app.show(ExpertScreen(self.app, scenario_id, 0, back=MenuScreen(self.app)))

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
        if event.type == pygame.KEYDOWN and self.app.bindings.intent_for(event.key) == "help":
            self.open_help()
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for sc, rect in self.cards:
                if rect.collidepoint(event.pos):
                    self.start(sc.id)

    # ------------------------------------------------------------------ layout and drawing
    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        pad, row = self.pad, self.row_height()
        top = pad + round(96 * self.fonts.scale)
        bw = round(130 * self.fonts.scale)
        x = w - pad - 3 * (bw + 8)
        for i, d in enumerate(("guided", "standard", "exam")):
            self.button(f"difficulty_{d}").rect = pygame.Rect(x + i * (bw + 8), pad, bw, row)
        self.button("trainee").rect = pygame.Rect(x - 2 * bw - 24, pad, 2 * bw, row)
        bottom = h - pad - row
        for i, name in enumerate(("history", "settings", "help", "quit")):
            self.button(name).rect = pygame.Rect(pad + i * (bw + 12), bottom, bw, row)
        cols = 3
        rows = (len(self.scenarios) + cols - 1) // cols
        gap = round(16 * self.fonts.scale)
        card_w = (w - 2 * pad - (cols - 1) * gap) // cols
        card_h = (bottom - top - pad - (rows - 1) * gap) // rows
        self.cards = []
        for i, sc in enumerate(self.scenarios):
            r = pygame.Rect(
                pad + (i % cols) * (card_w + gap), top + (i // cols) * (card_h + gap), card_w, card_h
            )
            self.cards.append((sc, r))
            half = (r.width - 3 * gap) // 2
            self.button(f"start_{sc.id}").rect = pygame.Rect(r.left + gap, r.bottom - gap - row, half, row)
            self.button(f"expert_{sc.id}").rect = pygame.Rect(
                r.left + 2 * gap + half, r.bottom - gap - row, half, row
            )

    def draw_body(self, surface: pygame.Surface) -> None:
        small, body = self.fonts.regular(14), self.fonts.regular(15)
        who = f"Trainee: {self.app.settings.trainee_name}"
        session = self.app.records.session
        if session is not None:
            who += f" · skills-lab session '{session.name}' (variant {session.variant})"
        text(surface, body, who, (self.pad, self.pad + round(40 * self.fonts.scale)), theme.MUTED)
        if self.lrs_line:
            at = (self.pad, self.pad + round(40 * self.fonts.scale) + body.get_linesize())
            text(
                surface,
                small,
                self.lrs_line[:140],
                at,
                theme.WARN if "problem" in self.lrs_line else theme.MUTED,
            )
        note = DIFFICULTY_NOTES[self.app.settings.difficulty]
        diff = self.button("difficulty_guided").rect
        text(
            surface,
            small,
            note,
            (self.button("difficulty_exam").rect.right, diff.bottom + 6),
            theme.MUTED,
            "topright",
        )
        for sc, rect in self.cards:
            self._card(surface, sc, rect, small, body)
        if self.notices:
            quit_rect = self.button("quit").rect
            area = pygame.Rect(
                quit_rect.right + self.pad,
                quit_rect.top - 6,
                surface.get_width() - quit_rect.right - 2 * self.pad,
                quit_rect.height + 12,
            )
            paragraph(surface, small, " ".join(self.notices), area, theme.WARN, spacing=1.1)

    def _card(
        self,
        surface: pygame.Surface,
        sc: Scenario,
        rect: pygame.Rect,
        small: pygame.font.Font,
        body: pygame.font.Font,
    ) -> None:
        hover = rect.collidepoint(pygame.mouse.get_pos())
        panel(surface, rect, theme.BUTTON_HOVER if hover else theme.PANEL)
        gap = round(12 * self.fonts.scale)
        room = rect.height - 3 * gap - self.row_height()
        summary_h = 3 * round(small.get_linesize() * 1.15) + gap
        thumb_w = max(40, min(round(rect.width * 0.55), round((room - summary_h) * 4 / 3)))
        thumb = thumbnail(sc, (thumb_w, round(thumb_w * 3 / 4)))
        surface.blit(thumb, (rect.left + gap, rect.top + gap))
        column = pygame.Rect(
            rect.left + 2 * gap + thumb_w, rect.top + gap, rect.width - 3 * gap - thumb_w, room
        )
        y = paragraph(surface, self.fonts.bold(17), sc.title, column, spacing=1.05)
        text(surface, small, f"{sc.level} · {sc.difficulty}", (column.left, y + 2), theme.ACCENT)
        y += small.get_linesize() + 4
        best = self.app.best_score(sc.id)
        best_text = "Best: not attempted yet" if best is None else f"Best: {best:.0f} / 100"
        text(surface, small, best_text, (column.left, y + 2), theme.MUTED)
        below = rect.top + 2 * gap + thumb.get_height()  # the summary runs the card's full width
        paragraph(
            surface,
            small,
            sc.summary,
            pygame.Rect(rect.left + gap, below, rect.width - 2 * gap, rect.top + gap + room - below),
            theme.TEXT,
            spacing=1.15,
        )
