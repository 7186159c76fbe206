"""The procedure: the trainee scans and needles, with the side panel of needle, imaging and hints."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

import pygame

import trainer
from trainer.assessment.findings import event_findings
from trainer.events import EventKind
from trainer.level_start import place_args
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.complications import complications
from trainer.ui.controls import Controls, EntryMarker
from trainer.ui.hints import hint
from trainer.ui.motion import FINE_DIVISOR
from trainer.ui.screen import Screen
from trainer.ui.screens import procedure_panel
from trainer.ui.screens.attempt import AttemptScreen, Prepared, prepare
from trainer.ui.screens.loading import LoadingScreen
from trainer.ui.screens.procedure_panel import PRESETS, STEPPERS
from trainer.ui.side_panel import Row
from trainer.ui.syringe import Syringe
from trainer.ui.widgets import Button

AUTO_FINISH_S = 1.5
# Some exam attempts test orientation: the image is shown mirrored and the trainee should report it
# (Sites 2007: not matching the patient's side with the image side). Chosen from the attempt's seed.
ORIENTATION_TEST_SHARE = 0.25
HINT_SLIDE_MM = 3.0  # a hint is cleared once the probe slides this far from where it was given


def trainee_simulation(
    app: App, scenario_id: str, variant: int, seed: int | None, difficulty: str
) -> Callable[[], Simulation]:
    """How to build the trainee's attempt (who and how are read now; building may happen later, on
    another thread); a skills-lab session sets its own anatomy and seed."""
    session, trainee = app.records.session, app.trainee
    chosen_seed = random.SystemRandom().randint(0, 2**31 - 1) if seed is None else seed

    if session is not None and scenario_id in session.scenarios:
        return lambda: session.simulation(scenario_id, session.sign_in(trainee.id))
    mode = "exam" if difficulty == "exam" else "practice"
    return lambda: Simulation(
        trainer.load_scenario(scenario_id, variant=variant),
        seed=chosen_seed,
        mode=mode,
        difficulty=difficulty,
        trainee=trainee,
    )


def open_procedure(
    app: App,
    scenario_id: str,
    variant: int,
    seed: int | None = None,
    difficulty: str | None = None,
    count_from: str | None = None,
) -> Screen:
    """A loading screen that builds the attempt in the background, then the procedure itself."""
    chosen = difficulty or app.settings.difficulty
    make = trainee_simulation(app, scenario_id, variant, seed, chosen)
    return LoadingScreen(
        app,
        "Preparing the patient",
        partial(prepare, make, count_from=count_from),
        lambda prepared: ProcedureScreen(app, scenario_id, variant, seed, chosen, prepared, count_from),
    )


class ProcedureScreen(AttemptScreen):
    """A trainee's attempt: two-handed controls, imaging panel, syringe, timer, hints by difficulty."""

    top_buttons = ("pause", "restart", "quit", "finish")

    def __init__(
        self,
        app: App,
        scenario_id: str,
        variant: int,
        seed: int | None = None,
        difficulty: str | None = None,
        prepared: Prepared | None = None,
        count_from: str | None = None,
    ) -> None:
        difficulty = difficulty or app.settings.difficulty
        if prepared is None:  # built here and now (tests, benchmarks, screenshots)
            prepared = prepare(
                trainee_simulation(app, scenario_id, variant, seed, difficulty), count_from=count_from
            )
        super().__init__(app, prepared, guided=difficulty == "guided")
        self.difficulty = difficulty
        self.count_from = count_from
        self.exam = difficulty == "exam"
        self.recorder = app.records.start(self.sim)
        if count_from is not None and self.sim.scenario.anatomy is not None:  # a level-finding start
            self.sim.place_probe(**place_args(self.sim.scenario, count_from))  # type: ignore[arg-type]
        self.recorder.notify(lambda message: self.toasts.show(message, theme.WARN))  # journal problems, once
        if self.exam and random.Random(self.sim.seed).random() < ORIENTATION_TEST_SHARE:
            self.sim.mirror_image(True)
        self.show_guides = self.guided
        self.hint_text = ""
        self.events_checked = 0
        self.complications_shown: set[str] = set()
        self.hint_asked = False
        self._hint_view: tuple[str, float, bool] | None = None
        self.out_since_s: float | None = None
        inject_ml_s = min(3.0, max(0.1, self.sc.goal.volume_ml / 8.0))
        syringe = Syringe.for_volume(self.sc.goal.volume_ml)
        self.controls = Controls(
            self.sim, app.bindings, app.gamepads, inject_ml_s, self.outside.x_mm, syringe
        )
        self.buttons = [
            Button("pause", "Pause", self.pause, enabled=not self.exam),
            Button("restart", "Restart", self.restart, enabled=not self.exam),
            Button("quit", "Quit", self.leave),
            Button("finish", "Finish (F10)", self.finish),
            *self._stepper_buttons(),
            *[Button(f"preset_{key}", label, partial(self.preset, factor)) for key, label, factor in PRESETS],
            Button("doppler", "Colour Doppler", self.toggle_doppler),
            Button("hint", f"Hint ({app.bindings.key_name('hint')})", self.show_hint, enabled=not self.exam),
        ]

    def _stepper_buttons(self) -> list[Button]:
        out = []
        for name, _, attr, step, _ in STEPPERS:
            out.append(Button(f"{name}_less", "−", partial(self.controls.nudge_imaging, **{attr: -step})))
            out.append(Button(f"{name}_more", "+", partial(self.controls.nudge_imaging, **{attr: step})))
        return out

    # ------------------------------------------------------------------ actions
    def pause(self) -> None:
        from trainer.ui.screens.overlays import PauseOverlay

        if not self.exam:
            self.controls.release_all()
            self.app.push(PauseOverlay(self.app, self.restart, self.leave))

    def restart(self) -> None:
        self.recorder.discard()
        self.app.show(
            open_procedure(self.app, self.sc.id, self.sc.variant, None, self.difficulty, self.count_from)
        )

    def leave(self) -> None:
        """Quit to the menu: a practice attempt is dropped, an exam attempt is recorded as it stands."""
        from trainer.ui.screens.menu import MenuScreen

        if self.exam:
            self.app.records.save(self.recorder)
        else:
            self.recorder.discard()
        self.app.show(MenuScreen(self.app))

    def on_quit(self) -> None:
        """The game closes mid-attempt: the journal stays and the attempt is recovered next time."""

    def finish(self) -> None:
        from trainer.ui.screens.results import ResultsScreen

        record = self.recorder.record()  # assessed once, stored and shown
        outcome = self.app.records.save(self.recorder, record)
        self.warmer.close()
        renderer = self.worker.close()  # the replay reuses the attempt's renderer and its caches
        self.app.show(ResultsScreen(self.app, record, outcome, renderer=renderer))

    def preset(self, factor: float) -> None:
        self.sim.set_imaging(frequency_mhz=self.sc.probe.frequency_mhz * factor)

    def toggle_doppler(self) -> None:
        self.sim.set_imaging(doppler=not self.sim.probe.doppler)

    def show_hint(self) -> None:
        """A hint for this view, naming its keys; it clears when the view changes."""
        if not self.exam:
            self.hint_text = hint(self.sim, self.plan, self.app.bindings.key_name)
            self.hint_asked = True
            self._hint_view = self._view_now()

    def _view_now(self) -> tuple[str, float, bool]:
        return self.sim.plane.key, self.sim.probe.x_mm, self.sim.needle.inserted

    def _clear_stale_hint(self) -> None:
        if self._hint_view is None:
            return
        plane, x_mm, inserted = self._hint_view
        now = self._view_now()
        if now[0] != plane or now[2] != inserted or abs(now[1] - x_mm) > HINT_SLIDE_MM:
            self.hint_text, self._hint_view = "", None

    # ------------------------------------------------------------------ input and time
    def on_event(self, event: pygame.event.Event) -> None:
        if self.side.scroll.handle(event) or self.back.drag(event, self.sim):
            return
        if self.colour_box.handle(event, self.image.rect, self.sim.probe.doppler):
            return
        intent = self.controls.handle(event)
        actions: dict[str, Callable[[], None]] = {
            "pause": self.pause,
            "help": self.open_help,
            "hint": self.show_hint,
            "finish": self.finish,
            "overlay": self.toggle_guides,
            "report_mirrored": self.report_mirrored,
        }
        if intent in actions:
            actions[intent]()

    def report_mirrored(self) -> None:
        """The trainee says the image is shown mirrored (the assessment judges whether it was)."""
        self.sim.report_orientation(True)
        self.toasts.show("You reported the image as mirrored.", theme.TEXT)

    def open_help(self) -> None:
        from trainer.ui.screens.overlays import HelpOverlay

        self.controls.release_all()
        self.app.push(HelpOverlay(self.app))

    def toggle_guides(self) -> None:
        self.show_guides = self.guided and not self.show_guides

    def drive(self, dt_s: float) -> None:
        self.controls.update(dt_s)
        self.sim.step(dt_s)
        self._clear_stale_hint()
        self._show_complications()
        if self.exam and self.sim.time_s >= self.app.settings.exam_time_limit_s:
            self.finish()
            return
        self._auto_finish()

    def _show_complications(self) -> None:
        """A critical event opens its complication card over the attempt (each card once)."""
        from trainer.ui.screens.complication_card import ComplicationCard

        new = [e for e in self.sim.events[self.events_checked :] if e.critical]
        self.events_checked = len(self.sim.events)
        codes = [f.code for f in event_findings(new, self.sc) if f.critical]
        for c in complications(codes):
            if c.title not in self.complications_shown:
                self.complications_shown.add(c.title)
                self.controls.release_all()
                self.app.push(ComplicationCard(self.app, c))

    def _auto_finish(self) -> None:
        """Withdrawing the needle after an injection ends the attempt."""
        injected = any(e.kind == EventKind.INJECTION for e in self.sim.events)
        if not injected or self.sim.needle.inserted:
            self.out_since_s = None
            return
        if self.out_since_s is None:
            self.out_since_s = self.sim.time_s
        elif self.sim.time_s - self.out_since_s >= AUTO_FINISH_S:
            self.finish()

    def detail(self) -> str:
        return self.difficulty

    def guide_alpha(self) -> float:
        if not self.show_guides:
            return 0.0
        return self.app.guide_alpha(self.sc.id)

    def entry_marker(self) -> EntryMarker | None:
        return None if self.sim.needle.inserted else self.controls.marker

    def suggested_entry(self) -> tuple[float, float] | None:
        """Guided mode always, standard mode once a hint was asked for, never in an exam."""
        if self.exam or not (self.guided or self.hint_asked):
            return None
        return self.plan.entry_x_mm, self.plan.angle_deg

    def badge(self) -> str:
        return f"FINE CONTROL ÷{FINE_DIVISOR:g}" if self.controls.fine_held else ""

    # ------------------------------------------------------------------ the side panel
    def panel_rows(self) -> tuple[Row, ...]:
        return procedure_panel.rows(self)
