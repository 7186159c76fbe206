"""Scenario thumbnails for the menu: the correct view as the scanner shows it.

They are rendered on a background thread, so the menu opens at once and each card's picture appears
when ready; once rendered they are kept for the rest of the session. The thread stops after the
picture in hand when the menu closes, and is not a daemon: the game waits for it when it quits.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

import numpy as np
import pygame

import trainer
from trainer.autopilot import plan
from trainer.errors import TrainerError
from trainer.ui.app import release_memory
from trainer.ui.image_surface import grey_surface

log = logging.getLogger("trainer")

_frames: dict[str, np.ndarray] = {}
_failures: dict[str, str] = {}  # scenario id -> why its picture could not be made
_wanted: list[str] = []
_lock = threading.Lock()
_thread: threading.Thread | None = None


def render_frame(scenario_id: str) -> np.ndarray:
    """The expert's view of the scenario before the needle goes in (uint8, 480 x 640)."""
    sc = trainer.load_scenario(scenario_id)
    sim = trainer.Simulation(sc, seed=0)
    p = plan(sc)
    sim.move_probe(dx_mm=p.probe_x_mm - sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    sim.set_imaging(depth_mm=p.depth_mm)
    frame = sim.render()
    del sim
    release_memory()  # the renderer's caches are large and only needed for this one frame
    return frame


def request(scenario_ids: list[str]) -> None:
    """Render these thumbnails in the background, in this order (those not yet rendered)."""
    global _thread
    with _lock:
        _wanted[:] = [sid for sid in scenario_ids if not ready(sid)]
        if _wanted and (_thread is None or not _thread.is_alive()):
            _thread = threading.Thread(target=_render_wanted, name="thumbnails")
            _thread.start()


def stop() -> None:
    """Render nothing more for now (the thread ends after the picture in hand)."""
    with _lock:
        _wanted.clear()


def _render_wanted() -> None:
    while True:
        with _lock:
            if not _wanted:
                return
            sid = _wanted[0]
        try:
            frame = render_frame(sid)
        except Exception as exc:  # a scenario the expert cannot plan or show: its card says so
            log.warning(
                "no thumbnail for %s: %s", sid, exc, exc_info=not isinstance(exc, TrainerError | ValueError)
            )
            with _lock:
                _failures[sid] = str(exc) or type(exc).__name__
        else:
            with _lock:
                _frames[sid] = frame
        with _lock:
            if sid in _wanted:
                _wanted.remove(sid)


def ready(scenario_id: str) -> bool:
    """The picture is made, or could not be made."""
    return scenario_id in _frames or scenario_id in _failures


def failure(scenario_id: str) -> str | None:
    """Why the scenario's picture could not be made (the expert cannot plan it, say), if it could not."""
    return _failures.get(scenario_id)


def thumbnail(scenario_id: str, size: tuple[int, int]) -> pygame.Surface | None:
    """The thumbnail at `size`, or None while it is being rendered."""
    return _scaled(scenario_id, size) if scenario_id in _frames else None


@lru_cache(maxsize=64)
def _scaled(scenario_id: str, size: tuple[int, int]) -> pygame.Surface:
    return pygame.transform.smoothscale(grey_surface(_frames[scenario_id]).convert(), size)
