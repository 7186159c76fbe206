"""Rebuild the bundled fallback fonts (trainer/data/fonts/) from Debian's Noto packages.

    apt-get download fonts-noto-core fonts-noto-cjk
    for deb in fonts-noto-*.deb; do dpkg-deb -x "$deb" noto; done
    python scripts/build_fonts.py noto

The script faces (trainer/fonts.py, FALLBACKS) are copied as they are, Regular weight only: bold is
synthesised where the interface asks for it. Noto Sans CJK is a 19 MB collection; the trainer keeps
its Simplified Chinese face (Chinese names are the most common CJK names; the face holds kana and
Hangul too) cut down to the characters of GB 2312, JIS X 0208 and KS X 1001 (the national standards
that names are typed in: 10,182 ideographs, 2,350 Hangul syllables, kana) plus CJK punctuation and
full-width forms and printable ASCII, with its cubic (CFF) outlines turned into quadratic TrueType
ones: PDF reports embed TrueType fonts, and a CFF font there is a mismatch some viewers reject. About
7 MB.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

from trainer.fonts import CJK_FILE, FALLBACKS, font_file

NOTO_TTF = "usr/share/fonts/truetype/noto"
NOTO_CJK = "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FACE = "Noto Sans CJK SC"
NAME_CHARSETS = ("gb2312", "euc_jp", "euc_kr")  # GB 2312, JIS X 0208 (+0212), KS X 1001
CJK_EXTRA_BLOCKS = ((0x20, 0x7E), (0x3000, 0x30FF), (0x31F0, 0x31FF), (0xFF00, 0xFFEF))
MAX_CURVE_ERROR_UNITS = 1.0  # of 1000 per em: far below a pixel at any size the trainer draws


def double_byte_chars(codec: str) -> set[int]:
    """Every character a two-byte national encoding can hold."""
    chars: set[int] = set()
    for lead in range(0xA1, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                chars.update(map(ord, bytes((lead, trail)).decode(codec)))
            except UnicodeDecodeError:
                continue
    return chars


def cjk_subset(source: Path, target: Path) -> None:
    collection = TTCollection(str(source))
    face = next(f for f in collection.fonts if f["name"].getDebugName(4) == CJK_FACE)
    wanted = set().union(*map(double_byte_chars, NAME_CHARSETS))
    wanted.update(cp for first, last in CJK_EXTRA_BLOCKS for cp in range(first, last + 1))
    subsetter = subset.Subsetter(subset.Options(name_IDs=["*"], name_languages=["*"]))
    subsetter.populate(unicodes=wanted)
    subsetter.subset(face)
    to_truetype(face)
    face.recalcTimestamp = False  # the same bytes on every rebuild
    face.save(str(target))


def to_truetype(font: TTFont) -> None:
    """Replace a font's CFF outlines by quadratic TrueType ones (glyf)."""
    order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
    glyf = font["glyf"] = newTable("glyf")
    font["loca"] = newTable("loca")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_CURVE_ERROR_UNITS, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    for name, glyph in glyf.glyphs.items():
        font["hmtx"][name] = (font["hmtx"][name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion, maxp.maxZones = 0x00010000, 1
    for field in ("TwilightPoints", "Storage", "FunctionDefs", "InstructionDefs", "StackElements"):
        setattr(maxp, f"max{field}", 0)
    maxp.maxSizeOfInstructions = maxp.maxComponentElements = 0
    font["post"].formatType = 3.0  # no glyph names
    font.sfntVersion = "\x00\x01\x00\x00"


def main(noto_root: str) -> None:
    root = Path(noto_root)
    for face in FALLBACKS:
        if face.file != CJK_FILE:
            shutil.copyfile(root / NOTO_TTF / face.file, font_file(face.file))
    cjk_subset(root / NOTO_CJK, font_file(CJK_FILE))
    print(f"wrote {len(FALLBACKS)} fallback faces to {font_file(CJK_FILE).parent}")


if __name__ == "__main__":
    main(sys.argv[1])
