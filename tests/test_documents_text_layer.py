"""The PDFs' text layer: what a reader copies, searches or hears out of our PDFs is exactly what
was typed, in poppler, PDFium (Chrome, Edge) and pdf.js (Firefox), for a corpus of Thai that is
hard to get back out of a PDF (tests/data/thai_corpus.py), in regular and in bold."""

import unicodedata

import pytest

from reports import document as doc
from reports.renderers import render, thai_fonts
from tests import pdf_engines
from tests.data.thai_corpus import CORPUS


def corpus_document(bold: bool) -> doc.Document:
    document = doc.Document("คลังคำทดสอบ", "หน่วยทดสอบ", "ตุลาคม 2566")
    # The heading keeps the first entry off the period line: PDFium joins lines whose stacked marks
    # reach into the line above (a space instead of a line break, not a change of the text).
    document.add(doc.Heading("คำและวลีทดสอบ"))
    return document.add(*[doc.Paragraph(text, bold=bold) for text in CORPUS])


@pytest.fixture(scope="module")
def corpus_pdfs():
    pdfs = {weight: render(corpus_document(weight == "bold"), "pdf") for weight in ("regular", "bold")}
    pdfjs = dict(zip(pdfs, pdf_engines.pdfjs_pages_many(list(pdfs.values()))))
    return {weight: {"poppler": pdf_engines.poppler_pages(content), "pdfium": pdf_engines.pdfium_pages(content),
                     "pdfjs": pdfjs[weight]} for weight, content in pdfs.items()}


def test_the_corpus_is_big_and_varied():
    assert len(set(CORPUS)) >= 100
    joined = "".join(CORPUS)
    for needed in ("ำ", "้ำ", "ู่", "๒", "ฺ", "ํ", "ๅ", "์", "็"):
        assert needed in joined, needed


@pytest.mark.parametrize("weight", ["regular", "bold"])
@pytest.mark.parametrize("engine", pdf_engines.ENGINES)
def test_every_corpus_line_copies_out_exactly(corpus_pdfs, engine, weight):
    extracted = set(pdf_engines.lines(corpus_pdfs[weight][engine]))
    wrong = [text for text in CORPUS if unicodedata.normalize("NFC", text) not in extracted]
    assert not wrong, f"{engine} {weight}: {len(wrong)} of {len(CORPUS)} differ, e.g. {wrong[:10]}"


def test_every_glyph_of_the_thai_font_stands_for_some_text():
    """A glyph mapped to nothing is what PDFium and pdf.js replace by its glyph code (สถานีตĻำรวจ)."""
    for path in thai_fonts.patched_fonts().values():
        texts = thai_fonts.glyph_texts(path)
        thai_glyphs = [name for name in _glyph_names(path) if name.startswith("uni0E")]
        assert all(texts.get(gid) for gid, name in enumerate(_glyph_names(path)) if name in thai_glyphs)
        assert {"\u0e49\u0e33", "\u0e33", "\u0e4d"} <= set(texts.values())  # ้ำ, ำ and a bare NIKHAHIT


def _glyph_names(path):
    from fontTools.ttLib import TTFont

    return TTFont(str(path)).getGlyphOrder()
