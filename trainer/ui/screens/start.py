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
from trainer.ui.widgets import Button, TextField, paragraph, paragraph_height, text


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


NOTE = (
    "Your attempts and best scores are kept under this name on this computer. Tab switches fields; "
    "Enter continues."
)
ID_LABEL = "Programme ID (optional: tells two trainees with one name apart)"
SESSIONS_LABEL = "Skills-lab session (instructor-installed):"


class SignInScreen(Screen):
    title = "Who is training?"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.name = TextField(app.settings.trainee_name)
        self.trainee_id = TextField(app.trainee.programme_id, max_length=24)  # the programme's own id
        self.picked = app.settings.trainee_id  # the known trainee last picked (an opaque id)
        self.focus = self.name
        self.message = ""
        self.boxes: dict[str, pygame.Rect] = {}
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
        """One column, top to bottom: the sessions (when any are installed), the two fields with
        their labels, Continue, the note, and the trainees who trained here before (as many rows as
        fit, each name whole in its tooltip and in the field once picked)."""
        w, h = size
        row, gap = self.row_height(), round(8 * self.fonts.scale)
        width = min(round(560 * self.fonts.scale), w - 2 * self.pad)
        left = (w - width) // 2
        top = self.pad + self.fonts.bold(28).get_linesize() + self.fonts.regular(18).get_linesize() + self.pad
        y = max(top, h // 2 - 4 * row)
        self.boxes = {}
        sessions = [b for b in self.buttons if b.name.startswith("session_")]
        bw = (width - 2 * gap) // 3
        for b in sessions:
            b.rect = pygame.Rect(0, 0, 0, 0)
        if len(sessions) > 1:  # none installed: nothing to choose
            y = self._label_box("sessions", SESSIONS_LABEL, left, y, width)
            for i, b in enumerate(sessions[:3]):
                b.rect = pygame.Rect(left + i * (bw + gap), y, bw, row)
            y += row + 2 * gap
        y = self._label_box("name", "Name", left, y, width)
        self.name.rect = pygame.Rect(left, y, width, row)
        y = self._label_box("id", ID_LABEL, left, y + row + 2 * gap, width)
        self.trainee_id.rect = pygame.Rect(left, y, width, row)
        self.button("continue").rect = pygame.Rect(left, y + row + 3 * gap, width, row)
        y = self.button("continue").rect.bottom + gap
        note_h = paragraph_height(self.fonts.regular(15), self.note(), width)
        self.boxes["note"] = pygame.Rect(left, y, width, note_h)
        self._place_known(left, y + note_h + 2 * gap, width, h)

    def _label_box(self, name: str, words: str, left: int, y: int, width: int) -> int:
        """A label wrapped over the widget below it; returns where the widget goes."""
        height = paragraph_height(self.fonts.regular(17), words, width)
        self.boxes[name] = pygame.Rect(left, y, width, height)
        return y + height + 4

    def _place_known(self, left: int, y: int, width: int, h: int) -> None:
        row, gap = self.row_height(), round(8 * self.fonts.scale)
        known = [b for b in self.buttons if b.name.startswith("known_")]
        for b in known:
            b.rect = pygame.Rect(0, 0, 0, 0)
        if not known:
            return
        y = self._label_box("known", "Trained here before:", left, y, width)
        bw = (width - 2 * gap) // 3
        fits = 3 * max(0, (h - self.pad - y + gap) // (row + gap))
        for i, b in enumerate(known[:fits]):
            b.rect = pygame.Rect(left + (i % 3) * (bw + gap), y + (i // 3) * (row + gap), bw, row)
        if len(known) > fits:
            self.boxes.pop("known")  # no room for any: the names are typed instead

    def note(self) -> str:
        return self.message or NOTE

    def say(self, message: str) -> None:
        """Show a message where the note is (the layout makes room for all of it)."""
        self.message = message
        self.layout(self.app.window.get_size())

    def submit(self) -> None:
        name = self.name.value.strip()
        if not name:
            self.say("Type your name or a trainee ID to keep your scores together.")
            return
        from trainer.ui.screens.menu import MenuScreen

        try:
            trainee = self.app.records.sign_in(name, self.trainee_id.value, self.picked)
        except TrainerError as exc:
            self.say(str(exc))
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
        label, small = self.fonts.regular(17), self.fonts.regular(15)
        subtitle = "Ultrasound-guided thoracic spine injections"
        at = (self.pad, self.pad + self.fonts.bold(28).get_linesize())
        text(surface, self.fonts.regular(18), subtitle, at, theme.ACCENT)
        for name, words in (
            ("sessions", SESSIONS_LABEL),
            ("name", "Name"),
            ("id", ID_LABEL),
            ("known", "Trained here before:"),
        ):
            if name in self.boxes:
                paragraph(surface, label, words, self.boxes[name], theme.MUTED)
        self.name.draw(surface, label, "e.g. Alex Morgan", self.focus is self.name)
        self.trainee_id.draw(surface, label, "e.g. R2-0147", self.focus is self.trainee_id)
        paragraph(
            surface, small, self.note(), self.boxes["note"], theme.WARN if self.message else theme.MUTED
        )
