"""Scenario thumbnails for the menu: the correct view as the scanner shows it, rendered once."""

from __future__ import annotations

from functools import lru_cache

import pygame

import trainer
from trainer.autopilot import plan
from trainer.scenario.model import Scenario
from trainer.ui.app import release_memory
from trainer.ui.image_surface import grey_surface


@lru_cache(maxsize=16)
def _frame(scenario_id: str) -> pygame.Surface:
    """The expert's view of the scenario before the needle goes in."""
    sc = trainer.load_scenario(scenario_id)
    sim = trainer.Simulation(sc, seed=0)
    p = plan(sc)
    sim.move_probe(dx_mm=p.probe_x_mm - sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    sim.set_imaging(depth_mm=p.depth_mm)
    image = grey_surface(sim.render()).convert()
    del sim
    release_memory()  # the renderer's caches are large and only needed for this one frame
    return image


@lru_cache(maxsize=64)
def _scaled(scenario_id: str, size: tuple[int, int]) -> pygame.Surface:
    return pygame.transform.smoothscale(_frame(scenario_id), size)


def thumbnail(sc: Scenario, size: tuple[int, int]) -> pygame.Surface:
    return _scaled(sc.id, size)
