"""The procedure: the trainee scans and needles (ProcedureScreen), or watches the expert (ExpertScreen)."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

import pygame

from trainer.actions import TimedAction, apply_due
from trainer.autopilot import expert_attempt
from trainer.events import EventKind
from trainer.hints import hint
from trainer.narration import narrate
from trainer.simulation import Simulation
from trainer.ui import theme
from trainer.ui.app import App
from trainer.ui.controls import Controls, EntryMarker
from trainer.ui.screens.attempt import AttemptScreen
from trainer.ui.widgets import Button, paragraph, text

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
LIVE_METRICS = (  # (metric, label, unit) shown in guided mode
    ("tip_to_target_mm", "Tip to target", "mm"),
    ("tip_visible_pct", "Tip seen while advancing", "%"),
    ("blind_advance_mm", "Blind advance", "mm"),
    ("closest_pleura_mm", "Closest to pleura", "mm"),
    ("redirections", "Redirections", ""),
    ("tissue_damage_mm2", "Tissue swept", "mm²"),
)


class ProcedureScreen(AttemptScreen):
    """A trainee's attempt: two-handed controls, imaging panel, syringe, timer, hints by difficulty."""

    def __init__(
        self, app: App, scenario_id: str, variant: int, seed: int | None = None, difficulty: str | None = None
    ) -> None:
        self.requested = difficulty
        difficulty = difficulty or app.settings.difficulty
        chosen_seed = random.SystemRandom().randint(0, 2**31 - 1) if seed is None else seed
        super().__init__(app, scenario_id, variant, chosen_seed, guided=difficulty == "guided")
        self.difficulty = difficulty
        self.exam = difficulty == "exam"
        self.recorder = app.records.start(self.sim)
        if self.recorder.warning:
            self.toasts.show(self.recorder.warning, theme.WARN)
        self.show_guides = self.guided
        self.hint_text = ""
        self.out_since_s: float | None = None
        self.controls = Controls(
            self.sim,
            app.bindings,
            app.gamepads,
            min(3.0, max(0.1, self.sc.goal.volume_ml / 8.0)),
            self.outside.x_mm,
        )
        self.buttons = [
            Button("pause", "Pause", self.pause, enabled=not self.exam),
            Button("restart", "Restart", self.restart, enabled=not self.exam),
            Button("quit", "Quit", self.leave),
            Button("finish", "Finish (F10)", self.finish),
            *self._stepper_buttons(),
            *[Button(f"preset_{key}", label, partial(self.preset, factor)) for key, label, factor in PRESETS],
            Button("doppler", "Colour Doppler", self.toggle_doppler),
            Button("hint", "Hint (H)", self.show_hint, enabled=not self.exam),
        ]

    def make_simulation(self, seed: int) -> Simulation:
        """The trainee's attempt, with who and how recorded; a session sets its own anatomy and seed."""
        session = self.app.records.session
        if session is not None and self.sc.id in session.scenarios:
            return session.simulation(self.sc.id, session.sign_in(self.app.trainee.id))
        difficulty = self.app.settings.difficulty if self.requested is None else self.requested
        return Simulation(
            self.sc,
            seed=seed,
            mode="exam" if difficulty == "exam" else "practice",
            difficulty=difficulty,
            trainee=self.app.trainee,
        )

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
        self.app.show(ProcedureScreen(self.app, self.sc.id, self.sc.variant, None, self.difficulty))

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
        self.app.show(ResultsScreen(self.app, record, outcome, renderer=self.sim.renderer))

    def preset(self, factor: float) -> None:
        self.sim.set_imaging(frequency_mhz=self.sc.probe.frequency_mhz * factor)

    def toggle_doppler(self) -> None:
        self.sim.set_imaging(doppler=not self.sim.probe.doppler)

    def show_hint(self) -> None:
        if not self.exam:
            self.hint_text = hint(self.sim)

    # ------------------------------------------------------------------ input and time
    def on_event(self, event: pygame.event.Event) -> None:
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
        if self.exam and self.sim.time_s >= self.app.settings.exam_time_limit_s:
            self.finish()
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

    # ------------------------------------------------------------------ layout and drawing
    def place_buttons(self, pad: int, top: int) -> None:
        row = round(36 * self.fonts.scale)
        bw = round(120 * self.fonts.scale)
        x = self.panel.left
        for i, name in enumerate(("pause", "restart", "quit")):
            self.button(name).rect = pygame.Rect(x - (3 - i) * (bw + 8) - 8, pad, bw, row)
        self.button("finish").rect = pygame.Rect(x, pad, self.panel.width, row)
        inner = self.panel.inflate(-round(28 * self.fonts.scale), 0)
        y = self.panel.top + round(40 * self.fonts.scale)
        small = round(34 * self.fonts.scale)
        for name, *_ in STEPPERS:
            self.button(f"{name}_less").rect = pygame.Rect(
                inner.right - 2 * small - 6 - round(70 * self.fonts.scale), y, small, small - 4
            )
            self.button(f"{name}_more").rect = pygame.Rect(inner.right - small, y, small, small - 4)
            y += small
        third = (inner.width - 2 * 6) // 3
        for i, (key, *_) in enumerate(PRESETS):
            self.button(f"preset_{key}").rect = pygame.Rect(
                inner.left + i * (third + 6), y + 4, third, small - 4
            )
        y += small + 4
        self.button("doppler").rect = pygame.Rect(inner.left, y + 4, inner.width, small - 4)
        self.button("hint").rect = pygame.Rect(
            inner.left, self.panel.bottom - small - 10, inner.width, small - 4
        )
        self._panel_text_top = y + small + 10

    def draw_panel(self, surface: pygame.Surface) -> None:
        p = self.sim.probe
        self.panel_heading(surface, self.panel.top + 10, "Imaging")
        body = self.fonts.regular(15)
        for name, label, attr, _, unit in STEPPERS:
            value = getattr(p, attr)
            shown = (
                f"{value / 10:.1f} {unit}"
                if unit == "cm"
                else f"{value:+.0f} {unit}"
                if "db" in attr
                else f"{value:.0f}"
            )
            rect = self.button(f"{name}_less").rect
            text(surface, body, label, (self.panel.left + 14, rect.top + 4), theme.MUTED)
            text(
                surface,
                body,
                shown,
                (self.button(f"{name}_more").rect.left - 6, rect.centery),
                anchor="midright",
            )
        for key, _, factor in PRESETS:
            self.button(f"preset_{key}").selected = (
                abs(p.frequency_mhz - self.sc.probe.frequency_mhz * factor) < 1e-6
            )
        self.button("doppler").selected = p.doppler
        y = self._panel_text_top
        y = self.panel_heading(surface, y, "Needle")
        n = self.sim.needle
        if n.inserted:
            y = self.panel_line(surface, y, "Inserted", f"{n.depth_mm:.0f} of {n.length_mm:.0f} mm")
            if self.guided:
                y = self.panel_line(surface, y, "Angle to skin", f"{n.skin_angle_deg:.0f}°")
                y = self.panel_line(surface, y, "Tip in", (self.sim.tip_holder or "-").replace("_", " "))
        else:
            y = self.panel_line(surface, y, "Entry", "click the skin strip")
        injected = self.sim.injectate.total_ml + sum(
            e.volume_ml for e in self.sim.events if e.kind == EventKind.INJECTION and e.critical
        )
        y = self.panel_line(surface, y, "Syringe", f"{injected:.1f} / {self.sc.goal.volume_ml:g} mL")
        bar = pygame.Rect(self.panel.left + 14, y, self.panel.width - 28, 8)
        pygame.draw.rect(surface, theme.BUTTON, bar, border_radius=4)
        fill = bar.copy()
        fill.width = round(bar.width * min(1.0, injected / self.sc.goal.volume_ml))
        pygame.draw.rect(surface, theme.ACCENT, fill, border_radius=4)
        y += 16
        clock = f"{self.sim.time_s:5.1f} s"
        if self.exam:
            clock += f" of {self.app.settings.exam_time_limit_s:.0f}"
        y = self.panel_line(surface, y, "Time", clock)
        if self.guided:
            y = self._live_metrics(surface, y + 6)
        if self.hint_text:
            box = pygame.Rect(
                self.panel.left + 14, y + 6, self.panel.width - 28, self.button("hint").rect.top - y - 12
            )
            paragraph(surface, self.fonts.regular(14), self.hint_text, box, theme.NEEDLE_PATH)

    def _live_metrics(self, surface: pygame.Surface, y: int) -> int:
        """Guided mode: the metrics the score will use, as they stand now."""
        values = self.sim.assessment.values()
        y = self.panel_heading(surface, y, "Live")
        for name, label, unit in LIVE_METRICS:
            value = values.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                y = self.panel_line(surface, y, label, f"{value:.0f} {unit}".strip())
        return y


class ExpertScreen(AttemptScreen):
    """The autopilot performs the scenario while captions explain each step."""

    def __init__(self, app: App, scenario_id: str, variant: int, back: object) -> None:
        super().__init__(app, scenario_id, variant, seed=0, guided=True)
        self.back = back
        self.script: list[TimedAction] = expert_attempt(self.sc)
        self.next_action = 0
        self.speed = 1
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
        self.speed = {1: 2, 2: 4, 4: 1}[self.speed]
        self.button("speed").label = f"Speed ×{self.speed}"

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.to_menu()

    def drive(self, dt_s: float) -> None:
        for _ in range(self.speed):
            self.next_action = apply_due(self.sim, self.script, self.next_action)
            self.sim.step(dt_s)

    def guide_alpha(self) -> float:
        return 0.85

    def place_buttons(self, pad: int, top: int) -> None:
        row = round(36 * self.fonts.scale)
        bw = round(150 * self.fonts.scale)
        for i, name in enumerate(("menu", "speed", "try")):
            self.button(name).rect = pygame.Rect(self.panel.left - (3 - i) * (bw + 8) - 8, pad, bw, row)

    def draw_panel(self, surface: pygame.Surface) -> None:
        y = self.panel_heading(surface, self.panel.top + 10, "Watch an expert")
        done = self.next_action >= len(self.script)
        step = narrate(self.sc, self.script, self.next_action, done)
        box = pygame.Rect(self.panel.left + 14, y + 4, self.panel.width - 28, self.panel.height - 80)
        paragraph(surface, self.fonts.regular(16), step, box)
