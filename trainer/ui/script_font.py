"""A pygame font that draws any script: characters the main face lacks come from the bundled
fallback faces (trainer/fonts.py), each run shaped with its script and direction."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pygame

from trainer.fonts import FALLBACKS, FallbackFace, font_file, preferred_face

Colour = tuple[int, int, int] | tuple[int, int, int, int]
Run = tuple[FallbackFace | None, str]  # None: the main face
PROBE_SIZE_PX = 12


class ScriptFont(pygame.font.Font):
    """`render` and `size` as pygame's, for text in any mix of scripts (runs laid out in reading
    order of the characters; each right-to-left run is shaped right to left)."""

    def __init__(self, path: str, size_px: int, bold: bool = False) -> None:
        super().__init__(path, size_px)
        self.size_px = size_px
        self.synthetic_bold = bold

    def runs(self, text: str) -> list[Run]:
        """The text split into runs, each with the face that draws it. Spaces and punctuation
        between two letters of one right-to-left face stay in its run (shaped and ordered with it);
        elsewhere they take the main face."""
        if text.isascii():
            return [(None, text)]
        runs: list[Run] = []
        pending = ""
        for char in text:
            if unicodedata.category(char) == "Cf" and runs and not pending:
                _append(runs, runs[-1][0], char)  # a joiner shapes with the letters before it
                continue
            if not _is_strong(char):
                pending += char
                continue
            face = self._face_for(char)
            if pending and not (runs and runs[-1][0] == face and face is not None and face.rtl):
                _append(runs, self._neutral_face(pending), pending)
                pending = ""
            _append(runs, face, pending + char)
            pending = ""
        if pending:
            _append(runs, self._neutral_face(pending), pending)
        return runs

    def render(  # type: ignore[override]
        self,
        text: str,
        antialias: bool,
        color: Colour,
        bgcolor: Colour | None = None,
        wraplength: int = 0,
    ) -> pygame.Surface:
        runs = self.runs(str(text))
        if wraplength or (len(runs) == 1 and runs[0][0] is None):
            return super().render(text, antialias, color, bgcolor, wraplength)
        runs = [(face, s) for face, s in runs if pygame.font.Font.size(self.run_font(face), s)[0] > 0]
        images = [(self.run_font(face), self._render_run(face, s, antialias, color)) for face, s in runs]
        ascent = max(font.get_ascent() for font, _ in images)
        height = max(ascent - font.get_ascent() + image.get_height() for font, image in images)
        surface = pygame.Surface((sum(image.get_width() for _, image in images), height), pygame.SRCALPHA)
        if bgcolor is not None:
            surface.fill(bgcolor)
        x = 0
        for font, image in images:
            surface.blit(image, (x, ascent - font.get_ascent()))
            x += image.get_width()
        return surface

    def size(self, text: str) -> tuple[int, int]:  # type: ignore[override]
        sizes = [pygame.font.Font.size(self.run_font(face), s) for face, s in self.runs(str(text))]
        return sum(w for w, _ in sizes), max(h for _, h in sizes)

    def run_font(self, face: FallbackFace | None) -> pygame.font.Font:
        """The font that draws a run of `face` (None: this font itself)."""
        return self if face is None else fallback_font(face, self.size_px, self.synthetic_bold)

    def _render_run(
        self, face: FallbackFace | None, s: str, antialias: bool, color: Colour
    ) -> pygame.Surface:
        return pygame.font.Font.render(self.run_font(face), s, antialias, color)

    def _face_for(self, char: str) -> FallbackFace | None:
        """The script's own face if it has the glyph, else the main face where it has it, else any
        fallback that has it, else the main face (which draws its missing-glyph box)."""
        face = preferred_face(char)
        if face is not None and has_glyph(face, char):
            return face
        if self._has_glyphs(char):
            return None
        return next((f for f in FALLBACKS if has_glyph(f, char)), None)

    def _neutral_face(self, chars: str) -> FallbackFace | None:
        if self._has_glyphs(chars):
            return None
        return next((f for f in FALLBACKS if all(has_glyph(f, c) for c in chars)), None)

    def _has_glyphs(self, chars: str) -> bool:
        return all(m is not None for m in self.metrics(chars))


def _append(runs: list[Run], face: FallbackFace | None, chars: str) -> None:
    if runs and runs[-1][0] == face:
        runs[-1] = (face, runs[-1][1] + chars)
    else:
        runs.append((face, chars))


def _is_strong(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


@lru_cache(maxsize=128)
def fallback_font(face: FallbackFace, size_px: int, bold: bool) -> pygame.font.Font:
    """A fallback face at a size, set up to shape its script in its direction."""
    font = pygame.font.Font(str(font_file(face.file)), size_px)
    font.set_script(face.script)
    font.set_direction(pygame.DIRECTION_RTL if face.rtl else pygame.DIRECTION_LTR)
    font.bold = bold
    return font


@lru_cache(maxsize=8192)
def has_glyph(face: FallbackFace, char: str) -> bool:
    """Whether a fallback face holds a glyph for `char`."""
    return fallback_font(face, PROBE_SIZE_PX, False).metrics(char)[0] is not None
