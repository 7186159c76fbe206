"""The complication card: shown over the attempt when a critical event happens (game time stands
still while it is read), saying what would happen to the patient and what to do."""

from __future__ import annotations

import pygame

from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.complications import Complication
from trainer.ui.screens.overlays import Overlay
from trainer.ui.text_column import Block, heading, para
from trainer.ui.widgets import Button


class ComplicationCard(Overlay):
    card_size = (820, 560)
    heading_colour = theme.DANGER

    def __init__(self, app: App, complication: Complication) -> None:
        super().__init__(app)
        self.complication = complication
        self.heading = f"Complication: {complication.title}"
        self.buttons = [Button("continue", "Continue (Enter)", app.pop)]

    def blocks(self) -> list[list[Block]]:
        c = self.complication
        return [
            [
                heading("What happens to the patient"),
                para(c.course),
                heading("What to do"),
                *[para(f"{n}. {action}") for n, action in enumerate(c.actions, 1)],
                para("The debrief repeats this card. Local protocols come first.", theme.MUTED),
            ]
        ]

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.app.pop()
