"""Scenario thumbnails for the menu: the correct view as the scanner shows it, made once and cached."""

from __future__ import annotations

from functools import lru_cache

import pygame

import trainer
from trainer.autopilot import plan
from trainer.scenario.model import Scenario
from trainer.ui.image_surface import grey_surface


@lru_cache(maxsize=32)
def _thumbnail(scenario_id: str, size: tuple[int, int]) -> pygame.Surface:
    sc = trainer.load_scenario(scenario_id)
    sim = trainer.Simulation(sc, seed=0)
    p = plan(sc)
    sim.move_probe(dx_mm=p.probe_x_mm - sim.probe.x_mm, dy_mm=-sim.probe.y_mm)
    sim.set_imaging(depth_mm=p.depth_mm)
    frame = sim.render()
    return pygame.transform.smoothscale(grey_surface(frame).convert(), size)


def thumbnail(sc: Scenario, size: tuple[int, int]) -> pygame.Surface:
    return _thumbnail(sc.id, size)
