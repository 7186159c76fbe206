"""The game window and its loop: a stack of screens, a fixed 60 Hz step, and errors caught and shown."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import traceback
from collections.abc import Callable
from pathlib import Path

import pygame

from trainer.attempt import Trainee
from trainer.records.paths import resolve_data_dir
from trainer.ui import theme
from trainer.ui.bindings import Bindings
from trainer.ui.gamepad import Gamepads
from trainer.ui.portfolio import Portfolio
from trainer.ui.screen import Screen
from trainer.ui.settings import Settings

FRAME_S = 1.0 / 60.0
MIN_WINDOW = (1024, 640)
log = logging.getLogger("trainer")

Driver = Callable[["App", int], None]


class App:
    """Owns the window, settings, fonts and the screen stack (top screen gets input)."""

    def __init__(self, data_dir: Path, size: tuple[int, int] = (1600, 1000)) -> None:
        self.data_dir = data_dir
        self.settings_path = data_dir / "settings.json"
        self.settings, settings_problem = Settings.load(self.settings_path)
        self.bindings = Bindings(self.settings.bindings)
        self.fonts = theme.Fonts(self.settings.ui_scale)
        self.window = pygame.display.set_mode(_fit(size), pygame.RESIZABLE)
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

    # ------------------------------------------------------------------ screens
    @property
    def screen(self) -> Screen:
        return self.stack[-1]

    def show(self, screen: Screen) -> None:
        """Replace the whole stack with `screen`, and free the screens it replaces now: an attempt's
        renderer holds large arrays in reference cycles that would otherwise wait for a late GC."""
        self.stack = [screen]
        release_memory()
        screen.layout(self.window.get_size())

    def push(self, overlay: Screen) -> None:
        self.stack.append(overlay)
        overlay.layout(self.window.get_size())

    def pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

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

    def set_ui_scale(self, scale: float) -> None:
        self.settings.ui_scale = scale
        self.fonts = theme.Fonts(scale)
        for s in self.stack:
            s.layout(self.window.get_size())

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
    def run(self, driver: Driver | None = None, max_frames: int | None = None) -> int:
        clock = pygame.time.Clock()
        while self.running and (max_frames is None or self.frame < max_frames):
            if driver is not None:
                driver(self, self.frame)
            self.tick()
            clock.tick(60 if driver is None else 0)
            self.fps = clock.get_fps()
            self.frame += 1
        return 0

    def tick(self) -> None:
        """One frame: input, one fixed step, draw. Errors are caught, logged and shown."""
        try:
            for event in pygame.event.get():
                self._dispatch(event)
            self.screen.update(FRAME_S)
            self.screen.draw(self.window)
            if self.settings.show_fps:
                label = self.fonts.mono(14).render(f"{self.fps:4.0f} fps", True, theme.MUTED)
                self.window.blit(label, label.get_rect(bottomright=self.window.get_rect().bottomright))
            pygame.display.flip()
        except Exception as exc:  # any failure is shown in the game; the loop goes on
            self.report_error(exc)

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
        for s in self.stack:
            s.layout(self.window.get_size())

    def quit(self) -> None:
        for s in reversed(self.stack):
            close = getattr(s, "on_quit", None)
            if close is not None:
                close()
        self.running = False
        self.records.close()

    def report_error(self, exc: Exception) -> None:
        from trainer.ui.screens.overlays import ErrorOverlay

        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc)))
        if isinstance(self.screen, ErrorOverlay):
            self.stack.pop()  # the error screen itself failed: fall back to the screen below
        self.push(ErrorOverlay(self, exc))


def start_pygame() -> None:
    """Only what the game uses: the display and fonts (gamepads open themselves); no audio."""
    pygame.display.init()
    pygame.font.init()


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


def setup_logging(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(data_dir / "trainer.log", encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def run_game(
    data_dir: str | None = None,
    start: tuple[str, str, int] | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> int:
    """Start the game. `start` = ("demo", scenario_id, variant) opens the expert demo directly."""
    folder = resolve_data_dir(data_dir)
    setup_logging(folder)
    start_pygame()
    try:
        app = App(folder, size)
        from trainer.ui.screens.start import first_screen

        app.show(first_screen(app, start))
        return app.run()
    finally:
        pygame.quit()
