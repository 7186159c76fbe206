"""Any trainee's name renders in the game: every letter is a real glyph, never a missing-glyph box."""

from __future__ import annotations

import unicodedata

import numpy as np
import pygame
import pytest
from names import NAMES

from trainer.fonts import MAIN_FILE, font_file
from trainer.ui import theme

UNASSIGNED = "\u0378"  # no font has it: every font draws its missing-glyph (.notdef) box
WHITE = (255, 255, 255)


@pytest.fixture(scope="module", autouse=True)
def fonts_ready():
    pygame.font.init()
    yield


def pixels(font: pygame.font.Font, text: str) -> np.ndarray:
    return pygame.surfarray.array_alpha(font.render(text, True, WHITE))


def is_notdef(font: pygame.font.Font, char: str) -> bool:
    image, box = pixels(font, char), pixels(font, UNASSIGNED)
    return image.shape == box.shape and bool(np.array_equal(image, box))


def test_the_notdef_comparison_finds_a_missing_glyph():
    plain = pygame.font.Font(str(font_file(MAIN_FILE)), 24)  # the main face alone has no CJK
    assert is_notdef(plain, "王") and not is_notdef(plain, "W")


@pytest.mark.parametrize("script", list(NAMES))
@pytest.mark.parametrize("style", ["regular", "bold", "mono"])
def test_every_letter_of_a_name_is_a_real_glyph(script, style):
    name, family = NAMES[script]
    font = getattr(theme.Fonts(1.0), style)(24)
    runs = font.runs(name)
    assert "".join(chars for _, chars in runs) == name  # nothing dropped or reordered
    letters = [(face, c) for face, chars in runs for c in chars if unicodedata.category(c)[0] == "L"]
    assert letters
    for face, char in letters:
        assert not is_notdef(font.run_font(face), char), f"{script}: {char!r} is a missing-glyph box"
        assert not is_notdef(font, char) or face is not None
    assert family is None or {face.family for face, _ in runs if face} == {family}
    image = font.render(name, True, theme.TEXT)
    assert image.get_width() >= font.size(name)[0] - 1 and image.get_height() >= font.get_height() - 1


def test_right_to_left_names_read_from_the_right():
    font = theme.Fonts(1.0).regular(32)
    first, second = "ד", "כ"  # dalet then kaf: dalet is drawn on the right
    whole = pixels(font, first + second)
    logical = np.concatenate([pixels(font, first), pixels(font, second)])
    reading = np.concatenate([pixels(font, second), pixels(font, first)])
    width = min(len(whole), len(logical))
    assert (
        np.abs(whole[:width] - reading[:width].astype(int)).mean()
        < np.abs(whole[:width] - logical[:width].astype(int)).mean()
    )


def blank_columns_inside(alpha: np.ndarray) -> int:
    inked = (alpha > 40).any(axis=1)
    first, last = np.flatnonzero(inked)[[0, -1]]
    return int((~inked[first : last + 1]).sum())


def test_arabic_letters_join_into_one_stroke():
    font = theme.Fonts(1.0).regular(32)
    standing_alone = np.concatenate([pixels(font, c) for c in reversed("محمد")])
    assert blank_columns_inside(standing_alone) > 0  # four letters with gaps between them
    assert blank_columns_inside(pixels(font, "محمد")) == 0  # shaped: one joined word


def test_plain_text_still_takes_the_main_face_only():
    font = theme.Fonts(1.0).regular(20)
    assert font.runs("Ann Example 42") == [(None, "Ann Example 42")]
    assert font.runs("José, Ωμέγα") == [(None, "José, Ωμέγα")]
    assert [face.family if face else None for face, _ in font.runs("Dr 王伟 (ESP)")] == [
        None,
        "Noto Sans CJK SC",
        None,
    ]
