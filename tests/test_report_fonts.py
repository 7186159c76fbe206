"""Any trainee's name in the PDF reports: drawn with real glyphs (matplotlib warns of none missing),
shaped, and with the fonts embedded in the file."""

from __future__ import annotations

import re
import warnings

from fontTools.ttLib import TTFont
from names import NAMES

import trainer
from trainer.fonts import FALLBACKS, MAIN_FILE, font_file
from trainer.records.reports import export_cohort, export_trainee_report
from trainer.records.store import RecordStore

FAMILY_IN_PDF = {face.family: face.family.replace(" ", "") for face in FALLBACKS}
FAMILY_IN_PDF["Noto Sans CJK SC"] = "NotoSansCJKsc"


def attempt_by(trainee_id: str, name: str) -> dict:
    sim = trainer.Simulation(
        trainer.load_scenario("gel_phantom"), seed=0, trainee={"id": trainee_id, "name": name}
    )
    return sim.finish().to_dict()


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts a PDF embeds (the subset tag 'ABCDEF+' removed)."""
    return {m.decode() for m in re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", pdf)}


def test_names_in_every_script_are_drawn_and_embedded_in_the_pdf_reports(tmp_path):
    store = RecordStore(tmp_path / "data")
    try:
        for n, (name, _) in enumerate(NAMES.values()):
            store.save_attempt(attempt_by(f"t-{n}", name))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            chinese = export_trainee_report(store, f"t-{list(NAMES).index('Chinese')}", tmp_path)
            cohort = export_cohort(store, tmp_path, "pdf")
    finally:
        store.close()
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert any(f.startswith("NotoSansCJKsc") for f in embedded_fonts(chinese.read_bytes()))
    in_cohort = embedded_fonts(cohort.read_bytes())
    assert any(f.startswith("DejaVuSans") for f in in_cohort)
    main_face = set(TTFont(font_file(MAIN_FILE)).getBestCmap())
    beyond_main = {family for name, family in NAMES.values() if family and set(map(ord, name)) - main_face}
    assert len(beyond_main) >= 15  # most scripts need a fallback face, and the PDF embeds each
    for family in beyond_main:
        assert any(f.startswith(FAMILY_IN_PDF[family]) for f in in_cohort), family


def test_every_bundled_face_has_truetype_outlines_as_pdf_embedding_needs():
    for face in FALLBACKS:
        font = TTFont(font_file(face.file), lazy=True)
        assert "glyf" in font and "CFF " not in font, face.file
