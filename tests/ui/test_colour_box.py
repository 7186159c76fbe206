"""The colour Doppler box: Ctrl-drag moves and sizes it on the image, Alt + wheel sets the velocity
scale, and the image formed carries them (with the probe's speed, for the flash)."""

import pygame
import pytest
from harness import Harness

from trainer.imaging.doppler import ColourBox
from trainer.ui.screens.procedure import ProcedureScreen


def _drag(h: Harness, start: tuple[int, int], end: tuple[int, int], button: int) -> None:
    h.post(pygame.MOUSEBUTTONDOWN, pos=start, button=button)
    h.post(pygame.MOUSEMOTION, pos=end, rel=(end[0] - start[0], end[1] - start[1]), buttons=(0, 0, 0))
    h.post(pygame.MOUSEBUTTONUP, pos=end, button=button)
    h.frames(2)


def test_ctrl_drag_moves_and_sizes_the_colour_box_and_alt_wheel_sets_its_scale(tmp_path):
    h = Harness(tmp_path)
    h.app.settings.trainee_name, h.app.settings.trainee_id = "Sam", "sam"
    screen = h.show(ProcedureScreen(h.app, "gel_phantom", 0, seed=0))
    screen.sim.set_imaging(doppler=True)
    h.frames(2)
    image = screen.image.rect
    pygame.key.set_mods(pygame.KMOD_LCTRL)
    try:
        _drag(h, image.center, (image.centerx - image.width // 10, image.centery), 1)
        moved = screen.colour_box.box
        assert moved.left == pytest.approx(ColourBox().left - 0.1, abs=0.01)
        assert moved.right - moved.left == pytest.approx(ColourBox().right - ColourBox().left)
        _drag(h, image.center, (image.centerx + image.width // 10, image.centery), 3)
        assert screen.colour_box.box.right - screen.colour_box.box.left == pytest.approx(0.6, abs=0.01)
        pygame.key.set_mods(pygame.KMOD_LALT)
        h.post(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0, precise_y=1.0)
        h.frames(3)
    finally:
        pygame.key.set_mods(pygame.KMOD_NONE)
    assert screen.colour_box.box.scale_cm_s == pytest.approx(25.0)
    assert not screen.sim.needle.inserted  # the drags worked the box, not the needle
    h.frames(3)
    assert screen._formed is not None and screen._formed.job.box == screen.colour_box.box
