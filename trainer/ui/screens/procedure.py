"""The procedure: the trainee scans and needles, with the side panel of needle, imaging and hints."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

import pygame

import trainer
from trainer.events import EventKind
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.controls import Controls, EntryMarker
from trainer.ui.hints import hint
from trainer.ui.motion import FINE_DIVISOR
from trainer.ui.screen import Screen
from trainer.ui.screens.attempt import AttemptScreen, Prepared, prepare
from trainer.ui.screens.loading import LoadingScreen
from trainer.ui.side_panel import Row, heading, line
from trainer.ui.widgets import Button

STEPPERS: tuple[tuple[str, str, str, float, str], ...] = (
    # name, label, probe attribute, step, unit shown
    ("depth", "Depth", "depth_mm", 5.0, "cm"),
    ("gain", "Gain", "gain_db", 2.0, "dB"),
    ("focus", "Focus", "focus_mm", 2.0, "cm"),
    ("dynamic_range", "Dynamic range", "dynamic_range_db", 5.0, "dB"),
    ("tgc_near", "TGC near", "tgc_near_db", 2.0, "dB"),
    ("tgc_far", "TGC far", "tgc_far_db", 2.0, "dB"),
)
PRESETS = (("pen", "Pen", 0.7), ("gen", "Gen", 1.0), ("res", "Res", 1.3))
AUTO_FINISH_S = 1.5
HINT_SLIDE_MM = 3.0  # a hint is cleared once the probe slides this far from where it was given
LIVE_METRICS = (  # (metric, label, unit) shown in guided mode
    ("tip_to_target_mm", "Tip to target", "mm"),
    ("tip_visible_pct", "Tip seen while advancing", "%"),
    ("blind_advance_mm", "Blind advance", "mm"),
    ("closest_pleura_mm", "Closest to pleura", "mm"),
    ("redirections", "Redirections", ""),
    ("tissue_damage_mm2", "Tissue swept", "mm²"),
)


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
    app: App, scenario_id: str, variant: int, seed: int | None = None, difficulty: str | None = None
) -> Screen:
    """A loading screen that builds the attempt in the background, then the procedure itself."""
    chosen = difficulty or app.settings.difficulty
    make = trainee_simulation(app, scenario_id, variant, seed, chosen)
    return LoadingScreen(
        app,
        "Preparing the patient",
        partial(prepare, make),
        lambda prepared: ProcedureScreen(app, scenario_id, variant, seed, chosen, prepared),
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
    ) -> None:
        difficulty = difficulty or app.settings.difficulty
        if prepared is None:  # built here and now (tests, benchmarks, screenshots)
            prepared = prepare(trainee_simulation(app, scenario_id, variant, seed, difficulty))
        super().__init__(app, prepared, guided=difficulty == "guided")
        self.difficulty = difficulty
        self.exam = difficulty == "exam"
        self.recorder = app.records.start(self.sim)
        if self.recorder.warning:
            self.toasts.show(self.recorder.warning, theme.WARN)
        self.show_guides = self.guided
        self.hint_text = ""
        self.hint_asked = False
        self._hint_view: tuple[str, float, bool] | None = None
        self.out_since_s: float | None = None
        inject_ml_s = min(3.0, max(0.1, self.sc.goal.volume_ml / 8.0))
        self.controls = Controls(self.sim, app.bindings, app.gamepads, inject_ml_s, self.outside.x_mm)
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
        self.app.show(open_procedure(self.app, self.sc.id, self.sc.variant, None, self.difficulty))

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
        return self.sim.plane.name, self.sim.probe.x_mm, self.sim.needle.inserted

    def _clear_stale_hint(self) -> None:
        if self._hint_view is None:
            return
        plane, x_mm, inserted = self._hint_view
        now = self._view_now()
        if now[0] != plane or now[2] != inserted or abs(now[1] - x_mm) > HINT_SLIDE_MM:
            self.hint_text, self._hint_view = "", None

    # ------------------------------------------------------------------ input and time
    def on_event(self, event: pygame.event.Event) -> None:
        if self.side.scroll.handle(event):
            return
        intent = self.controls.handle(event)
        actions: dict[str, Callable[[], None]] = {
            "pause": self.pause,
            "help": self.open_help,
            "hint": self.show_hint,
            "finish": self.finish,
            "overlay": self.toggle_guides,
        }
        if intent in actions:
            actions[intent]()

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
        if self.exam and self.sim.time_s >= self.app.settings.exam_time_limit_s:
            self.finish()
            return
        self._auto_finish()

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
        return (*self._needle_rows(), *self._hint_rows(), *self._imaging_rows(), *self._live_rows())

    def _needle_rows(self) -> list[Row]:
        n, names = self.sim.needle, self.names
        rows = [heading("Needle")]
        if n.inserted:
            rows.append(line("Inserted", f"{n.depth_mm:.1f} of {n.length_mm:.0f} mm"))
            rows.append(line("Angle to skin", f"{n.skin_angle_deg:.1f}°"))
        else:
            m = self.controls.marker
            rows.append(line("Inserted", f"not yet (of {n.length_mm:.0f} mm)"))
            rows.append(line("Angle to skin", f"{m.skin_angle_deg:.0f}° planned"))
        tilt = n.tilt_deg
        side = names[3] if tilt > 0 else names[2]
        rows.append(line("Tilt", f"{abs(tilt):.1f}° {side}" if abs(tilt) >= 0.05 else "0° (in plane)"))
        if self.guided and n.inserted:
            rows.append(line("Tip in", (self.sim.tip_holder or "-").replace("_", " ")))
        fine = self.controls.fine_held
        key = self.app.bindings.key_name("fine")
        rows.append(
            line(f"Fine control ({key})", "ON" if fine else "off", theme.WARN if fine else theme.TEXT)
        )
        injected = self.sim.injectate.total_ml + sum(
            e.volume_ml for e in self.sim.events if e.kind == EventKind.INJECTION and e.critical
        )
        goal = self.sc.goal.volume_ml
        rows.append(line("Syringe", f"{injected:.1f} / {goal:g} mL"))
        rows.append(Row("bar", share=injected / goal))
        clock = f"{self.sim.time_s:5.1f} s"
        if self.exam:
            clock += f" of {self.app.settings.exam_time_limit_s:.0f}"
        rows.append(line("Time", clock))
        return rows

    def _hint_rows(self) -> list[Row]:
        if self.exam:
            return []
        rows = [heading("Hint")]
        if self.hint_text:
            rows.append(Row("text", value=self.hint_text, colour=theme.NEEDLE_PATH))
        return [*rows, Row("buttons", buttons=("hint",))]

    def _imaging_rows(self) -> list[Row]:
        p = self.sim.probe
        rows = [heading("Imaging")]
        for name, label, attr, _, unit in STEPPERS:
            value = getattr(p, attr)
            signed = attr.startswith(("gain", "tgc"))
            shown = (
                f"{value / 10:.1f} {unit}" if unit == "cm" else f"{value:{'+' if signed else ''}.0f} {unit}"
            )
            rows.append(Row("stepper", label, shown, buttons=(f"{name}_less", f"{name}_more")))
        for key, _, factor in PRESETS:
            chosen = abs(p.frequency_mhz - self.sc.probe.frequency_mhz * factor) < 1e-6
            self.button(f"preset_{key}").selected = chosen
        self.button("doppler").selected = p.doppler
        rows.append(Row("buttons", buttons=tuple(f"preset_{key}" for key, *_ in PRESETS)))
        rows.append(Row("buttons", buttons=("doppler",)))
        return rows

    def _live_rows(self) -> list[Row]:
        """Guided mode: the metrics the score will use, as they stand now."""
        if not self.guided:
            return []
        values = self.sim.assessment.values()
        rows = [heading("Live")]
        for name, label, unit in LIVE_METRICS:
            value = values.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows.append(line(label, f"{value:.0f} {unit}".strip()))
        return rows
