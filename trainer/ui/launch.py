"""Starting the game: logging to the data folder, the window with its first screen, and the loop."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pygame

from trainer.records.paths import resolve_data_dir
from trainer.ui.app import App, log


def start_pygame() -> None:
    """Only what the game uses: the display and fonts (gamepads open themselves); no audio.

    The window is drawn by the processor (SDL's plain framebuffer), not through OpenGL: on a laptop
    without a working GPU driver, or under Xvfb, OpenGL is emulated in software and each frame's
    present then costs about 10 ms of a 16.7 ms frame. Set SDL_FRAMEBUFFER_ACCELERATION=1 to override."""
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    pygame.display.init()
    pygame.font.init()


def setup_logging(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(data_dir / "trainer.log", encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def open_game(
    data_dir: str | None = None,
    start: tuple[str, str, int] | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> App:
    """The window with its first screen. `start` = ("demo", scenario_id, variant) opens the expert
    demo directly."""
    folder = resolve_data_dir(data_dir)
    setup_logging(folder)
    start_pygame()
    app = App(folder, size)
    from trainer.ui.screens.start import first_screen

    app.show(first_screen(app, start))
    return app


def run_game(
    data_dir: str | None = None,
    start: tuple[str, str, int] | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> int:
    """Start the game and play until it is closed."""
    try:
        app = open_game(data_dir, start, size)
        try:
            return app.run()
        finally:
            app.close()
    finally:
        pygame.quit()
