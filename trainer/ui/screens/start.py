"""Sign-in: who is training (remembered for next time)."""

from __future__ import annotations

from functools import partial

import pygame

from trainer.attempt import Trainee
from trainer.errors import TrainerError
from trainer.records.sessions import SkillsLabSession
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.widgets import Button, TextField, paragraph, text


def first_screen(app: App, start: tuple[str, str, int] | None = None) -> Screen:
    """The demo when asked for, the menu for a known trainee, else sign-in."""
    from trainer.ui.screens.menu import MenuScreen

    if start is not None:
        from trainer.ui.screens.expert import open_expert

        _, scenario_id, variant = start
        return open_expert(app, scenario_id, variant)
    if app.settings.trainee_name:
        return MenuScreen(app)
    return SignInScreen(app)


class SignInScreen(Screen):
    title = "Who is training?"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.name = TextField(app.settings.trainee_name)
        self.trainee_id = TextField(app.trainee.programme_id, max_length=24)  # the programme's own id
        self.picked = app.settings.trainee_id  # the known trainee last picked (an opaque id)
        self.focus = self.name
        self.message = ""
        self.sessions = app.records.sessions()
        known = app.records.trainees()
        self.buttons = [
            Button("continue", "Continue", self.submit),
            *[Button(f"known_{t.id}", t.name, partial(self.pick, t)) for t in known[:6]],
            Button("session_none", "On my own", partial(self.join, None)),
            *[Button(f"session_{s.id}", s.name, partial(self.join, s)) for s in self.sessions],
        ]
        self.join(app.records.session)

    def pick(self, trainee: Trainee) -> None:
        self.name.value, self.trainee_id.value, self.picked = trainee.name, trainee.programme_id, trainee.id

    def join(self, session: SkillsLabSession | None) -> None:
        """Train on one's own, or sign in to a skills-lab session installed on this laptop."""
        self.app.records.session = session
        chosen = f"session_{session.id}" if session is not None else "session_none"
        for b in self.buttons:
            if b.name.startswith("session_"):
                b.selected = b.name == chosen

    def layout(self, size: tuple[int, int]) -> None:
        w, h = size
        row = self.row_height()
        width = min(560, w - 2 * self.pad)
        left = (w - width) // 2
        self.name.rect = pygame.Rect(left, h // 2 - 2 * row, width, row)
        self.trainee_id.rect = pygame.Rect(left, h // 2, width, row)
        self.button("continue").rect = pygame.Rect(left, h // 2 + 2 * row, width, row)
        gap = 8
        known = [b for b in self.buttons if b.name.startswith("known_")]
        bw = (width - 2 * gap) // 3
        fits = 6 if h >= 900 else 3
        for i, b in enumerate(known):
            top = h // 2 + round(5.6 * row) + (i // 3) * (row + gap)
            b.rect = (
                pygame.Rect(left + (i % 3) * (bw + gap), top, bw, row)
                if i < fits
                else pygame.Rect(0, 0, 0, 0)
            )
        sessions = [b for b in self.buttons if b.name.startswith("session_")]
        for i, b in enumerate(sessions[:3]):
            b.rect = pygame.Rect(left + i * (bw + gap), h // 2 - round(4.2 * row), bw, row)
        if len(sessions) == 1:  # no session installed: nothing to choose
            sessions[0].rect = pygame.Rect(0, 0, 0, 0)

    def submit(self) -> None:
        name = self.name.value.strip()
        if not name:
            self.message = "Type your name or a trainee ID to keep your scores together."
            return
        from trainer.ui.screens.menu import MenuScreen

        try:
            trainee = self.app.records.sign_in(name, self.trainee_id.value, self.picked)
        except TrainerError as exc:
            self.message = str(exc)
            return
        self.app.settings.trainee_name, self.app.settings.trainee_id = trainee.name, trainee.id
        self.app.save_settings()
        self.app.show(MenuScreen(self.app))

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for field in (self.name, self.trainee_id):
                if field.rect.collidepoint(event.pos):
                    self.focus = field
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.submit()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_TAB:
            self.focus = self.trainee_id if self.focus is self.name else self.name
        else:
            self.focus.handle(event)

    def draw_body(self, surface: pygame.Surface) -> None:
        _w, _ = surface.get_size()
        small = self.fonts.regular(15)
        label = self.fonts.regular(17)
        text(surface, label, "Name", (self.name.rect.left, self.name.rect.top - 6), theme.MUTED, "bottomleft")
        text(
            surface,
            label,
            "Programme ID (optional: tells two trainees with one name apart)",
            (self.trainee_id.rect.left, self.trainee_id.rect.top - 6),
            theme.MUTED,
            "bottomleft",
        )
        self.name.draw(surface, label, "e.g. Alex Morgan", self.focus is self.name)
        self.trainee_id.draw(surface, label, "e.g. R2-0147", self.focus is self.trainee_id)
        note = self.message or (
            "Your attempts and best scores are kept under this name on this "
            "computer. Tab switches fields; Enter continues."
        )
        colour = theme.WARN if self.message else theme.MUTED
        cont = self.button("continue").rect
        paragraph(
            surface,
            small,
            note,
            pygame.Rect(cont.left, cont.bottom + 10, cont.width, 3 * small.get_linesize()),
            colour,
        )
        text(
            surface,
            self.fonts.regular(18),
            "Ultrasound-guided thoracic spine injections",
            (self.pad, self.pad + round(44 * self.fonts.scale)),
            theme.ACCENT,
        )
        known = [b for b in self.buttons if b.name.startswith("known_") and b.rect.width]
        if known:
            text(
                surface,
                label,
                "Trained here before:",
                (known[0].rect.left, known[0].rect.top - 6),
                theme.MUTED,
                "bottomleft",
            )
        sessions = [b for b in self.buttons if b.name.startswith("session_") and b.rect.width]
        if sessions:
            text(
                surface,
                label,
                "Skills-lab session (instructor-installed):",
                (sessions[0].rect.left, sessions[0].rect.top - 6),
                theme.MUTED,
                "bottomleft",
            )
