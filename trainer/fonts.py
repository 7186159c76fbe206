"""The bundled fonts: DejaVu Sans for the interface, and open-licence Noto fallbacks so that a
trainee's name in any common script renders, in the game and in PDF reports.

Each fallback face is preferred for its script's code-point blocks and names the script and
direction text shaping needs (Arabic letters join right to left, Devanagari clusters reorder...).
trainer/data/LICENSES.md lists every face with its licence; scripts/build_fonts.py rebuilds them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from trainer.resources import data_path

MAIN_FAMILY = "DejaVu Sans"
MAIN_FILE = "DejaVuSans.ttf"
MAIN_BOLD_FILE = "DejaVuSans-Bold.ttf"
MONO_FILE = "DejaVuSansMono.ttf"
Block = tuple[int, int]  # first and last code point


@dataclass(frozen=True, slots=True)
class FallbackFace:
    """A bundled face for one script: its file, family name, ISO 15924 script tag and blocks."""

    file: str
    family: str
    script: str
    rtl: bool
    blocks: tuple[Block, ...]

    def prefers(self, code_point: int) -> bool:
        return any(first <= code_point <= last for first, last in self.blocks)


def _face(script_name: str, tag: str, *blocks: Block, rtl: bool = False) -> FallbackFace:
    return FallbackFace(f"NotoSans{script_name}-Regular.ttf", f"Noto Sans {script_name}", tag, rtl, blocks)


CJK_FILE = "NotoSansCJKsc-Regular-names.ttf"  # a subset: see scripts/build_fonts.py
FALLBACKS: tuple[FallbackFace, ...] = (
    _face("Arabic", "Arab", (0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), rtl=True),
    _face("Hebrew", "Hebr", (0x0590, 0x05FF), (0xFB1D, 0xFB4F), rtl=True),
    _face("Thaana", "Thaa", (0x0780, 0x07BF), rtl=True),
    _face("Armenian", "Armn", (0x0530, 0x058F)),
    _face("Georgian", "Geor", (0x10A0, 0x10FF), (0x1C90, 0x1CBF)),
    _face("Devanagari", "Deva", (0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    _face("Bengali", "Beng", (0x0980, 0x09FF)),
    _face("Gurmukhi", "Guru", (0x0A00, 0x0A7F)),
    _face("Gujarati", "Gujr", (0x0A80, 0x0AFF)),
    _face("Oriya", "Orya", (0x0B00, 0x0B7F)),
    _face("Tamil", "Taml", (0x0B80, 0x0BFF)),
    _face("Telugu", "Telu", (0x0C00, 0x0C7F)),
    _face("Kannada", "Knda", (0x0C80, 0x0CFF)),
    _face("Malayalam", "Mlym", (0x0D00, 0x0D7F)),
    _face("Sinhala", "Sinh", (0x0D80, 0x0DFF)),
    _face("Thai", "Thai", (0x0E00, 0x0E7F)),
    _face("Lao", "Laoo", (0x0E80, 0x0EFF)),
    _face("Myanmar", "Mymr", (0x1000, 0x109F)),
    _face("Ethiopic", "Ethi", (0x1200, 0x139F), (0x2D80, 0x2DDF)),
    _face("Khmer", "Khmr", (0x1780, 0x17FF)),
    FallbackFace(
        CJK_FILE,
        "Noto Sans CJK SC",
        "Hani",
        False,
        ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)),
    ),
)


def font_file(name: str) -> Path:
    """A bundled font file on disk (pygame and matplotlib open fonts by path)."""
    return data_path("fonts", name)


def preferred_face(char: str) -> FallbackFace | None:
    """The fallback face for a character's script, or None where the main face is the one to use."""
    code_point = ord(char)
    return next((face for face in FALLBACKS if face.prefers(code_point)), None)


@cache
def use_in_matplotlib() -> None:
    """Make matplotlib's text (plots, PDF reports) fall back through the bundled faces, shaped, with
    the fonts embedded in PDFs as TrueType/OpenType subsets."""
    import matplotlib
    from matplotlib import font_manager

    for face in FALLBACKS:
        font_manager.fontManager.addfont(str(font_file(face.file)))
    matplotlib.rcParams["font.family"] = [MAIN_FAMILY, *(face.family for face in FALLBACKS)]
    matplotlib.rcParams["pdf.fonttype"] = 42
    # The fallback faces are Regular only, by choice: bold text in them is drawn regular, not logged.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
