"""Every document kind as a clerk opens it in LibreOffice (7.4, what units use): our Word and Excel
files converted with `soffice --headless --convert-to pdf` keep the PDF's page count (Word within
1.3×), use the Thai font, hold every cell value, print Excel sheets a page wide with their header on
every page and Buddhist-era dates. Every kind is also rasterised to PNG (ours, Word via LibreOffice,
Excel via LibreOffice) into DOCUMENTS_OUTPUT (default test-output/documents/) for a person to look at.
"""

import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from measures import documents
from reports import document as doc
from reports.kinds import DOCUMENT_KINDS
from reports.renderers import layout, render
from tests import pdf_engines
from tests.conftest import require
from tests.documents_support import MONTH, TALL_CAPTION, difficult_unit, letters
from tests.pdfa import pdf_a2_failures

# Database tests (run before the transactional ones, which flush the demo measures).
pytestmark = pytest.mark.django_db
OUTPUT = Path(os.environ.get("DOCUMENTS_OUTPUT", settings.BASE_DIR / "test-output" / "documents"))
MEASURE_UNITS = ("sn-buengkum", "imm-buengkan")
KINDS = list(DOCUMENT_KINDS) + [f"{what}-{slug}" for slug in MEASURE_UNITS for what in ("measures", "measures-report")]


def soffice_to_pdf(sources: list[Path], outdir: Path) -> None:
    """One LibreOffice run for many files, with a profile of its own (runs in parallel never share one)."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)],
                       check=True, capture_output=True, timeout=600)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_texts(path: Path) -> list[str]:
    """Each page's text as PDFium reads it: in the order LibreOffice drew it, a cell at a time (poppler
    sorts by position and interleaves the lines of neighbouring cells)."""
    return pdf_engines.pdfium_pages(path.read_bytes())


def both_texts(path: Path) -> tuple[str, str]:
    """The letters of the whole file as PDFium and as poppler read it: LibreOffice's text layer
    loses a line here and there in one of them (not the same), never in both."""
    content = path.read_bytes()
    return (letters("".join(pdf_engines.pdfium_pages(content))), letters("".join(pdf_engines.poppler_pages(content))))


@pytest.fixture(scope="module")
def converted(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every kind rendered in all three formats from one unit's month (and both demo units'
    measures), the Word and the Excel files converted by LibreOffice, two runs in all."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice) is installed: scripts/ensure-system.sh")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is installed")
    work = tmp_path_factory.mktemp("libreoffice")
    built = {}
    with django_db_blocker.unblock(), translation.override("th"), override_settings(MEDIA_ROOT=work / "media"):
        with transaction.atomic():
            unit = difficult_unit(activities=25, photos=4)
            built = {key: kind.build(unit, MONTH) for key, kind in DOCUMENT_KINDS.items()}
            for slug in MEASURE_UNITS:
                plan = documents.plan_queryset().get(unit__slug=slug, fiscal_year=2567)
                built[f"measures-{slug}"] = documents.measures_document(plan)
                built[f"measures-report-{slug}"] = documents.progress_document(plan)
            transaction.set_rollback(True)
        for name, document in built.items():
            for fmt in ("pdf", "docx", "xlsx"):
                (work / f"{name}.{fmt}").write_bytes(render(document, fmt))
    for fmt in ("docx", "xlsx"):
        (work / fmt).mkdir()
        soffice_to_pdf(sorted(work.glob(f"*.{fmt}")), work / fmt)
    return {"work": work, "documents": built}


@pytest.mark.parametrize("kind", [f"measures-{slug}" for slug in MEASURE_UNITS])  # the reports have no groups
def test_word_names_the_group_on_every_page_it_goes_on_to_in_libreoffice(converted, kind):
    """The O24 calendar's stages, the OIT measures' areas, the instruments: a page of LibreOffice's
    rendering of the Word file that holds a row of a group also holds the group's row (repeated
    under the column header). A row is found by the start of its longest cell, where no other cell
    of the document holds the same."""
    document = converted["documents"][kind]
    tables = [b for b in document.blocks if isinstance(b, doc.Table)]
    cells = [letters(str(v)) for t in tables for row in t.rows if not isinstance(row, doc.GroupRow) for v in row]
    pages = [letters(text) for text in page_texts(converted["work"] / "docx" / f"{kind}.pdf")]
    checked = 0
    for table in tables:
        group = None
        for row in table.rows:
            if isinstance(row, doc.GroupRow):
                group = letters(row.text)
                continue
            marker = max((letters(str(v)) for v in row), key=len)[:16]
            if group is None or len(marker) < 16 or sum(marker in c for c in cells) > 1:
                continue
            for number, page in enumerate(pages, start=1):
                if marker in page:
                    checked += 1
                    assert group in page, f"{kind} page {number}: a row of {group!r} without it"
    assert checked >= 5, checked


@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_never_breaks_a_latin_word_of_the_word_file(converted, kind):
    """OIT, IIT, URL, ITAP beside Thai words: LibreOffice breaks Latin letters marked as Thai with
    its Thai dictionary ("ตามแบบวัด OI" / "T"), so the runs say the Latin letters are English."""
    words = {w for text in cell_texts(converted["documents"][kind]) for w in re.findall(r"[A-Za-z]{2,}", text)}
    lines = pdf_engines.lines(page_texts(converted["work"] / "docx" / f"{kind}.pdf"))
    splits = [(a, b) for a, b in zip(lines, lines[1:])
              if (x := re.search(r"[A-Za-z]+$", a)) and (y := re.match(r"[A-Za-z]+", b))
              and x.group() + y.group() in words and x.group() not in words]
    assert splits == []


@pytest.mark.parametrize("kind", KINDS)
def test_our_pdf_passes_pdfbox_preflight(converted, kind):
    """Every kind, the measures documents with their cover emblem and briefing photos included."""
    assert pdf_a2_failures((converted["work"] / f"{kind}.pdf").read_bytes()) == []


@pytest.mark.parametrize("kind", KINDS)
def test_word_keeps_the_pdfs_page_count_in_libreoffice(converted, kind):
    ours, office = pdf_pages(converted["work"] / f"{kind}.pdf"), pdf_pages(converted["work"] / "docx" / f"{kind}.pdf")
    assert ours / 1.3 <= office <= ours * 1.3, f"{kind}: our PDF {ours} pages, LibreOffice {office}"


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_libreoffice_draws_them_with_the_thai_font(converted, kind, fmt):
    """TH Sarabun New, or where it is missing its metric-compatible stand-in Laksaman, regular and
    bold; another font only where the text has a character the Thai font lacks (a ▪ bullet)."""
    path = converted["work"] / fmt / f"{kind}.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts if line.strip()}
    thai = {n for n in names if n.startswith(("THSarabunNew", "Laksaman"))}
    assert len(thai) == 2, (kind, names)
    assert names == thai or _lacks_glyphs(converted["documents"][kind]), (kind, names)


def _lacks_glyphs(document: doc.Document) -> bool:
    from fontTools.ttLib import TTFont

    from reports.renderers import thai_fonts

    cmap = TTFont(str(thai_fonts.source_font()), lazy=True).getBestCmap()
    return any(ord(ch) not in cmap for text in cell_texts(document) for ch in text if not ch.isspace())


@functools.cache
def dictionary() -> frozenset:
    """PyThaiNLP's dictionary of Thai words."""
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def cell_texts(document: doc.Document) -> list[str]:
    texts = []
    for table in document.tables:
        for row in table.rows + ([table.total] if table.total else []):
            values = [row.text] if isinstance(row, doc.GroupRow) else [
                doc.format_value(v, c.kind) for v, c in zip(row, table.columns)]
            texts += [v for v in values if v]
    return texts


# The measures documents are published as PDF and Word only (measures.production.DOCUMENT_FORMATS):
# their Excel rendering is not a file anyone gets, and LibreOffice Calc clips some of their longest
# unbroken Thai runs.
PRODUCED = [(kind, fmt) for kind in KINDS for fmt in ("docx", "xlsx") if fmt == "docx" or not kind.startswith("measures")]


@pytest.mark.parametrize("kind, fmt", PRODUCED)
def test_every_cell_value_is_in_the_libreoffice_text(converted, kind, fmt):
    """Every line of every cell, compared as letters (see letters())."""
    texts = both_texts(converted["work"] / fmt / f"{kind}.pdf")
    lines = [line for value in cell_texts(converted["documents"][kind]) for line in value.splitlines() if letters(line)]
    def found(piece):
        return any(letters(piece) in text for text in texts)

    # A long paragraph may lose a wrapped line in one reading and be interleaved in the other: then
    # each of its space-separated pieces must be there; a tall row split across pages has the
    # repeated header between its two parts, maybe inside a piece: then each of its words.
    def word_found(word):  # or the two dictionary words of a compound, a line (and page) break between
        return found(word) or any(found(word[:k]) and found(word[k:]) for k in range(2, len(word) - 1)
                                  if word[:k] in dictionary() and word[k:] in dictionary())

    def words_found(line):
        return all(word_found(word) for word in layout.words(line) if letters(word))

    missing = [line for line in lines if not found(line) and not all(found(piece) for piece in line.split())
               and not words_found(line)]
    assert not missing, f"{kind} {fmt}: {missing[:10]}"


@pytest.mark.parametrize("kind", KINDS)
def test_excel_prints_each_sheet_a_page_wide_with_its_header_on_every_page(converted, kind):
    """Every page from the first table's header on carries a whole header row: the columns are
    never split across pages and the header repeats. At most 1.3× the PDF's pages (the sheet prints
    scaled, excel.print_scale: a spreadsheet line is 1.7 em against the PDF's 1.25), and a page
    more for each table after the first, which starts a sheet of its own. (Before: the สขร.๑
    printed on 2 pages with its columns split, the statistics on 3.)"""
    document = converted["documents"][kind]
    pages = [letters(page) for page in page_texts(converted["work"] / "xlsx" / f"{kind}.pdf")]
    headers = [[letters(c.title) for c in t.columns] for t in document.tables]
    for number, page in enumerate(pages, start=1):
        whole = any(all(title in page for title in header) for header in headers)
        first = letters(document.title) in page  # a sheet's first page: the title, and maybe only its text
        assert whole or first or not headers, f"{kind}: page {number} has no whole header row"
    ours = pdf_pages(converted["work"] / f"{kind}.pdf")
    assert len(pages) <= 1.3 * ours + max(len(document.tables) - 1, 0), f"{kind}: {len(pages)} pages, our PDF {ours}"


def test_excel_dates_show_in_the_buddhist_era_in_libreoffice(converted):
    text = letters("".join(page_texts(converted["work"] / "xlsx" / "investigation_fund.pdf")))
    assert letters("5 ต.ค. 2566") in text and "2023" not in text


def test_the_tall_screenshot_and_its_caption_share_a_page_in_libreoffice(converted):
    path = converted["work"] / "docx" / "monthly_report.pdf"
    [page] = [n for n, text in enumerate(page_texts(path), start=1) if letters(TALL_CAPTION) in letters(text)]
    images = subprocess.run(["pdfimages", "-list", "-f", str(page), "-l", str(page), str(path)],
                            capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert any(int(line.split()[4]) > 4 * int(line.split()[3]) for line in images), "the tall image is on its caption's page"


def test_every_kind_is_rasterised_for_a_person_to_look_at(converted):
    from PIL import Image, ImageStat

    OUTPUT.mkdir(parents=True, exist_ok=True)
    work = converted["work"]
    for kind in KINDS:
        for label, path in (("pdf", work / f"{kind}.pdf"), ("docx", work / "docx" / f"{kind}.pdf"),
                            ("xlsx", work / "xlsx" / f"{kind}.pdf")):
            stem = OUTPUT / f"{kind}-{label}"
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(path), str(stem)], check=True)
            pngs = sorted(OUTPUT.glob(f"{stem.name}-*.png"))
            assert pngs, stem
            with Image.open(pngs[0]) as image:
                assert ImageStat.Stat(image.convert("L")).extrema[0][0] < 100, f"{pngs[0]} is blank"
