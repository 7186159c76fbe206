"""Starting the game: logging (trainer/logs.py), the window with its first screen, and the loop."""

from __future__ import annotations

import os

import pygame

from trainer.logs import setup_logging
from trainer.records.paths import resolve_data_dir
from trainer.ui.app import App


def start_pygame() -> None:
    """Only what the game uses: the display and fonts (gamepads open themselves); no audio.

    The window is drawn by the processor (SDL's plain framebuffer), not through OpenGL: on a laptop
    without a working GPU driver, or under Xvfb, OpenGL is emulated in software and each frame's
    present then costs about 10 ms of a 16.7 ms frame. Set SDL_FRAMEBUFFER_ACCELERATION=1 to override."""
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    pygame.display.init()
    pygame.font.init()


def open_game(
    data_dir: str | None = None,
    start: tuple[str, str, int] | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> App:
    """The window with its first screen. `start` = ("demo", scenario_id, variant) opens the expert
    demo directly."""
    folder = resolve_data_dir(data_dir)
    setup_logging()  # the platform's log folder, rotated (trainer/logs.py)
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
