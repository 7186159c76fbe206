"""The game window and its loop: a stack of screens, game time that follows the wall clock in fixed
steps, drawing only when something changed, and errors caught and shown."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pygame

from trainer.attempt import Trainee
from trainer.ui import theme
from trainer.ui.bindings import Bindings
from trainer.ui.clock import STEP_S, FixedStepClock, FramePacer
from trainer.ui.gamepad import Gamepads
from trainer.ui.portfolio import Portfolio
from trainer.ui.screen import Screen
from trainer.ui.settings import Settings, scale_for

MIN_WINDOW = (1024, 640)
FRAME_BUDGET_S = 1.0 / 60.0
IMAGE_DEADLINE_S = 0.5 * FRAME_BUDGET_S  # how long a frame waits for the worker's image
INPUT_EVENTS = frozenset(
    {
        pygame.KEYDOWN,
        pygame.KEYUP,
        pygame.TEXTINPUT,
        pygame.TEXTEDITING,
        pygame.MOUSEBUTTONDOWN,
        pygame.MOUSEBUTTONUP,
        pygame.MOUSEWHEEL,
        pygame.CONTROLLERBUTTONDOWN,
        pygame.CONTROLLERBUTTONUP,
    }
)
log = logging.getLogger("trainer")

FrameHook = Callable[["App"], None]


class App:
    """Owns the window, settings, fonts and the screen stack (top screen gets input)."""

    def __init__(self, data_dir: Path, size: tuple[int, int] = (1600, 1000)) -> None:
        self.data_dir = data_dir
        self.settings_path = data_dir / "settings.json"
        self.settings, settings_problem = Settings.load(self.settings_path)
        self.bindings = Bindings(self.settings.bindings)
        self.window = pygame.display.set_mode(_fit(size), pygame.RESIZABLE)
        self.fonts = theme.Fonts(scale_for(self.window.get_size(), self.settings))
        pygame.display.set_caption("Thoracic US-guided injection trainer")
        pygame.key.start_text_input()
        self.gamepads = Gamepads()
        self.records = Portfolio(data_dir)
        self.settings.trainee_id = self.trainee.id  # an id an older version derived from the name
        self.stack: list[Screen] = []
        self.running = True
        self.notice = settings_problem
        self.frame = 0
        self.fps = 0.0
        self.clock = FixedStepClock()
        self.frame_deadline: float | None = None  # perf_counter time; None: wait for every image
        self.last_frame_s = 0.0  # how long the last frame took to make (input, steps, drawing)
        self.redraw = True
        self.repaint = True  # the whole window, not only what changed
        self._switched = False
        self._last_tick = time.perf_counter()

    # ------------------------------------------------------------------ screens
    @property
    def screen(self) -> Screen:
        return self.stack[-1]

    def show(self, screen: Screen) -> None:
        """Replace the whole stack with `screen`, and free the screens it replaces now: an attempt's
        renderer holds large arrays in reference cycles that would otherwise wait for a late GC."""
        for old in self.stack:
            old.close()
        self.stack = [screen]
        release_memory()
        screen.layout(self.window.get_size())
        self._switched_screen()

    def push(self, overlay: Screen) -> None:
        self.stack.append(overlay)
        overlay.layout(self.window.get_size())
        self._switched_screen()

    def pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop().close()
            self._switched_screen()

    def _switched_screen(self) -> None:
        """A new screen starts from now: no time owed from before, no input meant for the old one."""
        self._switched = True
        self.clock.reset()
        self._last_tick = time.perf_counter()
        self.redraw = self.repaint = True

    def take_notices(self) -> list[str]:
        """Messages the trainee should see once: a settings file that could not be read, a damaged
        database set aside, an attempt recovered after a crash."""
        found = [self.notice] if self.notice else []
        self.notice = ""
        found += self.records.pop_notices()
        for n in found:
            log.warning(n)
        return found

    def save_settings(self) -> None:
        self.settings.bindings = self.bindings.overrides()
        problem = self.settings.save(self.settings_path)
        if problem:
            self.notice = problem
            log.warning(problem)

    def set_ui_scale(self, scale: float | None) -> None:
        """Choose a scale, or None for the automatic one (chosen from the window size)."""
        self.settings.ui_scale_auto = scale is None
        if scale is not None:
            self.settings.ui_scale = scale
        self._relayout()

    def _relayout(self) -> None:
        """Fonts at the scale for this window, and every screen laid out again."""
        self.fonts = theme.Fonts(scale_for(self.window.get_size(), self.settings))
        for s in self.stack:
            s.layout(self.window.get_size())
        self.redraw = self.repaint = True

    @property
    def trainee(self) -> Trainee:
        return self.records.trainee(self.settings.trainee_id, self.settings.trainee_name)

    def best_score(self, scenario_id: str) -> float | None:
        """The trainee's best score on a scenario, if any."""
        return self.records.best_score(self.settings.trainee_id, scenario_id)

    def guide_alpha(self, scenario_id: str) -> float:
        """Guided overlays fade as the trainee passes more guided attempts."""
        return self.records.guide_alpha(self.settings.trainee_id, scenario_id)

    # ------------------------------------------------------------------ loop
    def run(self, hook: FrameHook | None = None, max_frames: int | None = None) -> int:
        """Frames at up to 60 a second until the game quits; `hook(app)` runs before each frame."""
        pacer = FramePacer()
        self._last_tick = time.perf_counter()
        while self.running and (max_frames is None or self.frame < max_frames):
            pacer.wait()
            now = time.perf_counter()
            self.frame_deadline = now + IMAGE_DEADLINE_S
            wall_dt_s, self._last_tick = now - self._last_tick, now
            if hook is not None:
                hook(self)
            self.tick(wall_dt_s)
            self.last_frame_s = time.perf_counter() - now
            self.frame += 1
        return 0

    def tick(self, wall_dt_s: float = STEP_S) -> None:
        """One frame: input, as many fixed steps as the wall time owes, then draw if anything
        changed. Errors are caught, logged and shown."""
        try:
            self._handle_events()
            self._step(self.clock.advance(wall_dt_s))
            if self.redraw or self.screen.animating():
                self._draw()
            if wall_dt_s > 0:
                self.fps = 0.9 * self.fps + 0.1 / wall_dt_s
        except Exception as exc:  # any failure is shown in the game; the loop goes on
            self.report_error(exc)

    def _handle_events(self) -> None:
        """Dispatch this frame's events; once the screen changes, the rest of the input is dropped
        (a second Enter must not reach the procedure the first one opened)."""
        self._switched = False
        for event in pygame.event.get():
            if self._switched and event.type in INPUT_EVENTS:
                continue
            self.redraw = True
            self._dispatch(event)
        if self._switched:  # input typed while the new screen was being built is not for it
            pygame.event.clear(list(INPUT_EVENTS))

    def _step(self, steps: int) -> None:
        for _ in range(steps):
            screen = self.screen
            screen.update(STEP_S)
            if self.screen is not screen:
                break

    def _draw(self) -> None:
        """Everything after a layout change; otherwise what the screen says changed."""
        self.redraw = False
        if self.repaint:
            self.repaint = False
            self.screen.draw(self.window)
            changed = [self.window.get_rect()]
        else:
            changed = self.screen.draw_changes(self.window)
        if self.settings.show_fps:
            changed.append(self._draw_fps())
        if changed:
            pygame.display.update(changed)

    def _draw_fps(self) -> pygame.Rect:
        label = self.fonts.mono(14).render(f"{self.fps:4.0f} fps", True, theme.MUTED)
        box = label.get_rect(bottomright=self.window.get_rect().bottomright).inflate(8, 4)
        box.clamp_ip(self.window.get_rect())
        self.window.fill(theme.BACKGROUND, box)
        self.window.blit(label, label.get_rect(center=box.center))
        return box

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
        elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self._resize()
        elif self.gamepads.handle(event):
            return
        self.screen.handle(event)

    def _resize(self) -> None:
        w, h = self.window.get_size()
        if w < MIN_WINDOW[0] or h < MIN_WINDOW[1]:
            self.window = pygame.display.set_mode(
                (max(w, MIN_WINDOW[0]), max(h, MIN_WINDOW[1])), pygame.RESIZABLE
            )
        self._relayout()

    def resize(self, size: tuple[int, int]) -> None:
        """Make the window this size (the layout tests walk through sizes this way)."""
        self.window = pygame.display.set_mode(size, pygame.RESIZABLE)
        self._relayout()

    def quit(self) -> None:
        for s in reversed(self.stack):
            close = getattr(s, "on_quit", None)
            if close is not None:
                close()
        self.running = False

    def close(self) -> None:
        """Stop every screen's threads and close the records (the window stays to pygame.quit)."""
        for s in self.stack:
            s.close()
        self.records.close()

    def report_error(self, exc: Exception) -> None:
        from trainer.ui.screens.overlays import ErrorOverlay

        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc)))
        if isinstance(self.screen, ErrorOverlay):
            self.stack.pop()  # the error screen itself failed: fall back to the screen below
        self.push(ErrorOverlay(self, exc))


def release_memory() -> None:
    """Free unreachable screens now and hand freed heap back to the system (glibc keeps it otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the collection alone matters
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _fit(size: tuple[int, int]) -> tuple[int, int]:
    """The requested window size, shrunk to the desktop if it is smaller."""
    desktops = pygame.display.get_desktop_sizes() if pygame.display.get_init() else []
    if desktops and pygame.display.get_driver() != "dummy":
        dw, dh = desktops[0]
        return max(MIN_WINDOW[0], min(size[0], dw - 40)), max(MIN_WINDOW[1], min(size[1], dh - 80))
    return size
