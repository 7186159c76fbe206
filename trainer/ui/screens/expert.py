"""The expert demo: the autopilot performs the scenario while captions explain each step."""

from __future__ import annotations

from functools import partial

import pygame

import trainer
from trainer.actions import TimedAction, apply_due
from trainer.autopilot import expert_attempt
from trainer.narration import narrate
from trainer.simulation import Simulation
from trainer.ui.app import App
from trainer.ui.screen import Screen
from trainer.ui.screens.attempt import AttemptScreen, Prepared, prepare
from trainer.ui.screens.loading import LoadingScreen
from trainer.ui.side_panel import Row, heading
from trainer.ui.widgets import Button

SPEEDS = (0.5, 1.0, 2.0, 4.0)


def demo_simulation(scenario_id: str, variant: int) -> Simulation:
    return Simulation(trainer.load_scenario(scenario_id, variant=variant), seed=0)


def open_expert(app: App, scenario_id: str, variant: int) -> Screen:
    """A loading screen that builds the demo in the background, then the demo itself."""
    return LoadingScreen(
        app,
        "Preparing the expert demo",
        partial(prepare, partial(demo_simulation, scenario_id, variant)),
        lambda prepared: ExpertScreen(app, scenario_id, variant, prepared),
    )


class ExpertScreen(AttemptScreen):
    """Plays the expert's timed actions at 0.5x to 4x real time."""

    top_buttons = ("menu", "speed", "try")

    def __init__(self, app: App, scenario_id: str, variant: int, prepared: Prepared | None = None) -> None:
        prepared = prepared or prepare(partial(demo_simulation, scenario_id, variant))
        super().__init__(app, prepared, guided=True)
        self.script: list[TimedAction] = expert_attempt(self.sc)
        self.next_action = 0
        self.speed = 1.0
        self._owed_steps = 0.0
        self.buttons = [
            Button("menu", "Back to menu", self.to_menu),
            Button("speed", "Speed ×1", self.cycle_speed),
            Button("try", "Try it yourself", self.try_it),
        ]

    def to_menu(self) -> None:
        from trainer.ui.screens.menu import MenuScreen

        self.app.show(MenuScreen(self.app))

    def try_it(self) -> None:
        from trainer.ui.screens.briefing import BriefingScreen

        self.app.show(BriefingScreen(self.app, self.sc.id))

    def cycle_speed(self) -> None:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        self.button("speed").label = f"Speed ×{self.speed:g}"

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.to_menu()

    def drive(self, dt_s: float) -> None:
        """`speed` simulation steps per real step (every other step at half speed)."""
        self._owed_steps += self.speed
        while self._owed_steps >= 1.0:
            self._owed_steps -= 1.0
            self.next_action = apply_due(self.sim, self.script, self.next_action)
            self.sim.step(dt_s)

    def guide_alpha(self) -> float:
        return 0.85

    def panel_rows(self) -> tuple[Row, ...]:
        done = self.next_action >= len(self.script)
        step = narrate(self.sc, self.script, self.next_action, done)
        return (heading("Watch an expert"), Row("text", value=step))
