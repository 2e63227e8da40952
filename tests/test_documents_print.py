"""Documents a clerk can print, edit and archive (issue 20): columns sized to their words and lines
broken only between PyThaiNLP's words, in the PDF and in LibreOffice's rendering of the Word file;
tall rows that split across pages under a repeated header, no page left mostly empty; Excel totals
as SUM formulas with their results, autofilters, frozen headers, sheets named for what they hold;
Word header tab stops from the real page width."""

import io
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from reports import builders
from reports import document as doc
from reports.renderers import layout, render
from reports.renderers import pdf as pdf_renderer
from tests import pdf_engines
from tests.conftest import require
from tests.documents_support import MONTH, difficult_unit, letters, long_text
from tests.pdfa import pdf_a2_failures, preflight
from tests.test_reports_support import unmark, workbook

MM = 72 / 25.4


def long_rows_document(rows: int = 12, landscape: bool = True) -> doc.Document:
    """A สขร.1-like table: long Thai item and reason (499 characters, what the form allows), amounts."""
    columns = [doc.Column("ที่", doc.INTEGER, 0.4, total=False), doc.Column("งานที่จัดซื้อหรือจัดจ้าง", width=2.2),
               doc.Column("วงเงิน (บาท)", doc.MONEY, 1.2), doc.Column("วิธีซื้อหรือจ้าง", width=1),
               doc.Column("ผู้ได้รับการคัดเลือก", width=1.5), doc.Column("เหตุผลที่คัดเลือกโดยสังเขป", width=1.4),
               doc.Column("วันที่ของสัญญา", doc.DATE, 1.1)]
    data = [[i, long_text(499, f"{i}. "), Decimal("12400.00"), "วิธีเฉพาะเจาะจง", "บริษัท ศรีพัฒนานนท์ จำกัด",
             long_text(499 if i % 3 == 0 else 120), MONTH] for i in range(1, rows + 1)]
    document = doc.Document("แบบสรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน", "สถานีตำรวจนครบาลบึงกุ่ม", "ตุลาคม 2566",
                            landscape=landscape)
    return document.add(doc.Table(columns, data, total_label="รวม"))


def dictionary_words(document: doc.Document) -> tuple[set[str], set[tuple[str, str]]]:
    """The words of the document's cells as PyThaiNLP cuts them (2 letters or more), and the pairs of
    words that follow each other (where a line may break)."""
    words, pairs = set(), set()
    for table in document.tables:
        for row in table.data_rows:
            for value, column in zip(row, table.columns):
                for line in doc.format_value(value, column.kind).splitlines():
                    pieces = [w for w in layout.words(line) if not w.isspace()]
                    words.update(w for w in pieces if len(w) > 1 and not any(ch.isdigit() for ch in w))  # numbers: whole, checked apart
                    pairs.update(zip(pieces, pieces[1:]))
    return words, pairs


def split_words(lines: list[str], found: tuple[set[str], set[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(end of a line, start of the next) where a line break cuts a word in two: the two sides make
    up a word, and no two words that follow each other end and start there. A compound whose two
    halves are words of PyThaiNLP's dictionary (เฉพาะ|เจาะจง) is not cut: LibreOffice's own Thai
    dictionary (ICU) may break it there, as it may between any two words, never inside one."""
    from pythainlp.corpus import thai_words

    dictionary = thai_words()
    words, pairs = found
    cut = []
    for before, after in zip(lines, lines[1:]):
        inside = any(before.endswith(w[:k]) and after.startswith(w[k:])
                     and not (w[:k] in dictionary and w[k:] in dictionary) for w in words for k in range(1, len(w)))
        if inside and not any(before.endswith(a) and after.startswith(b) for a, b in pairs):
            cut.append((before[-12:], after[:12]))
    return cut


def page_lines(pages: list[str]) -> list[str]:
    return [line.strip() for page in pages for line in page.splitlines() if line.strip()]


def soffice_pdf(content: bytes, suffix: str, work: Path) -> bytes:
    require(shutil.which("soffice") is not None, "LibreOffice (soffice) is installed: scripts/ensure-system.sh")
    source = work / f"document.{suffix}"
    source.write_bytes(content)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(work), str(source)], check=True, capture_output=True,
                       timeout=300)
    return (work / "document.pdf").read_bytes()


# --- 1. columns from the content, breaks between words ---------------------------------------------

def test_long_text_columns_get_the_width_and_numbers_theirs():
    document = long_rows_document()
    table = document.tables[0]
    widths = layout.column_widths(table, 262 * MM, 12)
    assert abs(sum(widths) - 262 * MM) < 0.5
    item, money, reason, date = widths[1], widths[2], widths[5], widths[6]
    assert item > 2 * money and reason > 2 * money, widths  # the text columns hold the page's width
    assert money >= layout.text_width("12,400.00", 12, bold=True) + layout.PADDING_PT
    assert date >= layout.text_width(doc.format_value(MONTH, doc.DATE), 12, bold=True) + layout.PADDING_PT


def test_short_tables_keep_their_relative_widths_once_everything_fits():
    table = doc.Table([doc.Column("ก", width=1), doc.Column("ข", width=3)], [["สั้น", "สั้น"]])
    left, right = layout.column_widths(table, 400, 12)
    assert right > 2 * left and abs(left + right - 400) < 0.01


def test_pdf_lines_break_only_between_words_in_every_engine():
    document = long_rows_document(6)
    pdf = render(document, "pdf")
    words = dictionary_words(document)
    for engine, pages in (("poppler", pdf_engines.poppler_pages(pdf)), ("pdfium", pdf_engines.pdfium_pages(pdf))):
        lines = page_lines(pages)
        assert not split_words(lines, words), (engine, split_words(lines, words)[:5])
    text = " ".join(page_lines(pdf_engines.pdfium_pages(pdf)))
    assert "12,400.00" in text and "74,400.00" in text and "\u200b" not in text


def test_a_cell_is_plain_text_with_spans_only_for_words_pango_would_break():
    """Zero-width spaces between words; a nowrap span only round a word that Pango (libthai) would
    break inside: a span per word made WeasyPrint lay out O7 three times slower."""
    assert pdf_renderer.cell_html("ไปกรุงเทพมหานครและดื่มน้ำ 12,500.00 บาท\nบรรทัดสอง") == (
        'ไป\u200b<span class="w">กรุงเทพมหานคร</span>\u200bและ\u200bดื่ม\u200bน้ำ 12,500.00 บาท<br>บรรทัด\u200bสอง')
    html = pdf_renderer.html(long_rows_document(6))
    assert html.count('<span class="w">') < html.count("\u200b") / 3


def test_word_marks_word_boundaries_and_never_inside_numbers():
    document = long_rows_document(2)
    word = docx.Document(io.BytesIO(render(document, "docx")))
    cells = [c.text for r in word.tables[0].rows[1:] for c in r.cells]
    assert any("คุณสมบัติ\u200bที่" in c for c in cells)
    assert all("\u200b" not in c for c in cells if any(ch.isdigit() for ch in c) and "บาท" not in c and "." not in c[:4])
    assert "12,400.00" in cells  # numbers are written as they are
    assert unmark(cells[1]) == document.tables[0].rows[0][1]


def test_libreoffice_breaks_the_word_file_between_the_same_words(tmp_path):
    document = long_rows_document(6)
    office = soffice_pdf(render(document, "docx"), "docx", tmp_path)
    lines = page_lines(pdf_engines.pdfium_pages(office))
    cut = split_words(lines, dictionary_words(document))
    assert not cut, cut[:5]
    assert "12,400.00" in " ".join(lines)


# --- 2. rows that split, the header on every page ----------------------------------------------------

def page_fill(pdf: bytes) -> list[float]:
    """How much of each page's text area (inside the margins) is used, top to lowest text."""
    import pypdfium2

    fills = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        width, height = page.get_size()
        textpage = page.get_textpage()
        bottoms = [textpage.get_charbox(i)[1] for i in range(textpage.count_chars())]
        body = [b for b in bottoms if 18 * MM - 1 < b < height - 22 * MM]
        fills.append((height - 22 * MM - min(body)) / (height - 40 * MM) if body else 0.0)
    document.close()
    return fills


@pytest.mark.parametrize("landscape", [True, False])
def test_long_rows_split_with_the_header_on_every_page_and_no_page_left_half_empty(landscape):
    document = long_rows_document(12, landscape)
    pdf = render(document, "pdf")
    pages = ["".join(page.split()) for page in pdf_engines.pdfium_pages(pdf)]  # header words wrap in their cells
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "งานที่จัดซื้อหรือจัดจ้าง" in text and "เหตุผลที่คัดเลือกโดยสังเขป" in text, f"page {number} has no header"
    fills = page_fill(pdf)
    assert all(fill >= 0.5 for fill in fills[:-1]), fills


def test_word_lets_tall_rows_split_and_repeats_the_header(tmp_path):
    from docx.oxml.ns import qn

    document = long_rows_document(12)
    content = render(document, "docx")
    table = docx.Document(io.BytesIO(content)).tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    kept = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows[1:-1]]
    assert kept.count(False) >= 4  # the 499-character rows may split
    office = soffice_pdf(content, "docx", tmp_path)
    pages = ["".join(unmark(page).split()) for page in pdf_engines.pdfium_pages(office)]
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "งานที่จัดซื้อหรือจัดจ้าง" in text, f"LibreOffice page {number} has no header"
    fills = page_fill(office)
    assert all(fill >= 0.5 for fill in fills[:-1]), fills


# --- 3. Excel that can be edited -------------------------------------------------------------------

def test_excel_totals_are_sum_formulas_with_their_results_and_tables_have_autofilters():
    document = long_rows_document(5)
    content = render(document, "xlsx")
    formulas, values = workbook(content, formulas=True).worksheets[0], workbook(content).worksheets[0]
    total_row = formulas.max_row
    header = int(formulas.freeze_panes[1:]) - 1
    assert formulas.cell(total_row, 3).value == f"=SUM(C{header + 1}:C{total_row - 1})"
    assert Decimal(str(values.cell(total_row, 3).value)) == Decimal("62000.00")  # the cached result
    assert formulas.auto_filter.ref == f"A{header}:G{total_row - 1}"
    assert formulas.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert all(formulas.row_dimensions[r].height <= 409 for r in range(1, total_row + 1))


def test_libreoffice_recalculates_the_total_after_an_amount_changes(tmp_path):
    require(shutil.which("soffice") is not None, "LibreOffice (soffice) is installed: scripts/ensure-system.sh")
    book = workbook(render(long_rows_document(3), "xlsx"), formulas=True)
    sheet = book.worksheets[0]
    header = int(sheet.freeze_panes[1:]) - 1
    sheet.cell(header + 1, 3).value = 100000  # a clerk corrects the first amount
    source = tmp_path / "edited.xlsx"
    book.save(source)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", "csv", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True,
                       timeout=300)
    last = (tmp_path / "edited.csv").read_text().strip().splitlines()[-1]
    assert "124800" in last.replace(",", "").replace('"', ""), last  # 100,000 + 2 × 12,400


@pytest.mark.parametrize("landscape", [True, False])
def test_excel_prints_long_rows_whole_in_at_most_a_third_more_pages_than_the_pdf(landscape, tmp_path):
    """The issue's สขร.1 of 499-character items and reasons, printed from LibreOffice: at most 1.3×
    the PDF's pages (before: 6 against 4 for six rows; a spreadsheet line is 1.7 em, the PDF's 1.25,
    so the sheet prints scaled), and no text cut off (a spreadsheet row is at most 409 pt tall and
    cannot split: a taller cell goes on in the row under it; before, the portrait rows were cut)."""
    from reports.renderers import excel

    document = long_rows_document(12, landscape)
    for number, row in enumerate(document.tables[0].rows, start=1):
        row[1], row[5] = (f"{value[:480]} ท้าย{number:02d}จบ" for value in (row[1], row[5]))
    content = render(document, "xlsx")
    sheet = workbook(content).worksheets[0]
    assert all((sheet.row_dimensions[r].height or 0) < excel.MAX_ROW_PT for r in range(1, sheet.max_row + 1))
    ours = len(pdf_engines.pdfium_pages(render(document, "pdf")))
    pages = pdf_engines.pdfium_pages(soffice_pdf(content, "xlsx", tmp_path))
    assert len(pages) <= 1.3 * ours, (len(pages), ours)
    text = letters("".join(pages))
    assert all(text.count(letters(f"ท้าย{number:02d}จบ")) == 2 for number in range(1, 13))


def test_excel_text_taller_than_a_row_goes_on_in_the_rows_under_it():
    """A report's problems or suggestions (free text) across the sheet: every row under 409 pt, the
    whole text there, in order, cut only where a line breaks."""
    from reports.renderers import excel

    text = long_text(4000, "ปัญหาและอุปสรรค ")
    document = long_rows_document(1).add(doc.Paragraph(text))
    sheet = workbook(render(document, "xlsx")).worksheets[0]
    cells = [sheet.cell(r, 1) for r in range(1, sheet.max_row + 1)]
    rows = [c.row for c in cells if isinstance(c.value, str) and len(c.value) > 40 and c.value in text]
    assert len(rows) > 1 and all(sheet.row_dimensions[r].height < excel.MAX_ROW_PT for r in rows)
    assert letters("".join(sheet.cell(r, 1).value for r in rows)) == letters(text)


@pytest.mark.django_db
def test_o7_sheets_are_named_by_line_of_work(media_root):
    from units.models import LineOfWork

    unit = difficult_unit()
    document = builders.operations(unit, MONTH)
    book = workbook(render(document, "xlsx"))
    lines = [line.name_th for line in LineOfWork.objects.filter(unit_type=unit.unit_type)]
    named = [s.title for s in book.worksheets]
    assert len(named) >= 3 and not any("(2)" in title for title in named), named
    assert sum(any(line[:20] in title for line in lines) for title in named) >= 2, (named, lines)
    for sheet in book.worksheets:
        if sheet.freeze_panes:
            header = int(sheet.freeze_panes[1:]) - 1
            assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith(f"A{header}:")


# --- 4. Word headers on the page they sit on -----------------------------------------------------------

@pytest.mark.parametrize("landscape", [True, False])
def test_word_header_tab_stops_follow_the_pages_width(landscape):
    from docx.enum.text import WD_TAB_ALIGNMENT

    word = docx.Document(io.BytesIO(render(long_rows_document(1, landscape), "docx")))
    section = word.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    stops = {stop.position: stop.alignment for stop in header.paragraph_format.tab_stops}
    assert stops[usable] == WD_TAB_ALIGNMENT.RIGHT and stops[usable // 2] == WD_TAB_ALIGNMENT.CENTER
    for stop in header.style.paragraph_format.tab_stops:  # Letter portrait's, from the default template
        assert stop.position in (usable, usable // 2) or stops.get(stop.position) == WD_TAB_ALIGNMENT.CLEAR
    assert "\t" in header.text and header.text.endswith("ตุลาคม 2566")


# --- 7. tagged PDF/A, checked ------------------------------------------------------------------------

def qpdf_check(pdf: bytes, work: Path) -> str:
    """qpdf's structural check of the whole file (cross-reference table, objects, streams, page tree);
    PDFBox Preflight (tests/pdfa.py) judges the PDF/A rules, and the tagging is checked below."""
    require(shutil.which("qpdf") is not None, "qpdf is installed: scripts/ensure-system.sh test")
    path = work / "checked.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def assert_tagged_pdf_a(pdf: bytes, title: str) -> None:
    import re

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "th" and root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] and reader.metadata.title.startswith(title)
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*2", xmp) and re.search(r"pdfaid:conformance[^A-Z]*U", xmp)
    kids = root["/StructTreeRoot"]["/K"]
    kinds = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict) and "/S" in node:
            kinds.add(str(node["/S"]))
        children = node.get("/K", []) if isinstance(node, dict) else []
        for child in children if isinstance(children, list) else [children]:
            if depth < 12 and hasattr(child, "get_object") and isinstance(child.get_object(), dict):
                walk(child, depth + 1)

    for kid in kids if isinstance(kids, list) else [kids]:
        walk(kid)
    assert {"/Table", "/TH", "/TD"} <= kinds and ({"/H1", "/H2"} & kinds), kinds


def test_pdfs_are_tagged_pdf_a_and_pass_qpdf_and_preflight(tmp_path):
    document = long_rows_document(3)
    document.add(doc.Heading("ลงนาม"), doc.Signatures([doc.Signer("ผู้รายงาน")]))
    document.cover = doc.Cover(["ปก", "ประจำปีงบประมาณ พ.ศ. 2567"], emblem=_png(alpha=True))
    document.add(doc.Image(_png(), "ภาพประกอบ", width_cm=6))
    pdf = render(document, "pdf")
    assert "No syntax or stream encoding errors" in qpdf_check(pdf, tmp_path)
    assert pdf_a2_failures(pdf) == []
    assert_tagged_pdf_a(pdf, document.title)


def _png(alpha: bool = False) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA" if alpha else "RGB", (120, 90), (180, 20, 20, 128) if alpha else (20, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_preflight_rejects_what_pdf_a_forbids():
    """The validator has teeth: WeasyPrint's plain PDF (no XMP metadata, no output intent) and our own
    file with an image set to interpolate, which PDF/A-1 and -2 both forbid, are refused."""
    from reports.renderers.pdf import html, weasyprint_html

    document = long_rows_document(1)
    plain = weasyprint_html()(string=html(document)).write_pdf()
    assert {"7.1", "2.4.3"} <= {code for code, _ in pdf_a2_failures(plain)}, preflight(plain)
    interpolated = render(document.add(doc.Image(_png(), "ภาพ", width_cm=4)), "pdf").replace(
        b"/Interpolate false", b"/Interpolate true ")
    assert [code for code, _ in pdf_a2_failures(interpolated)] == ["2.3.2"]


@pytest.mark.django_db
def test_every_report_kind_is_tagged_pdf_a_and_passes_qpdf_and_preflight(media_root, tmp_path):
    """The month's six kinds and the appeal; O24/O25 and their photos in test_documents_libreoffice,
    the signs in test_measures_signs."""
    from reports.kinds import DOCUMENT_KINDS

    unit = difficult_unit()
    documents = {kind.key: kind.build(unit, MONTH) for kind in DOCUMENT_KINDS.values()}
    for key, document in documents.items():
        pdf = render(document, "pdf")
        assert "No syntax or stream encoding errors" in qpdf_check(pdf, tmp_path), key
        assert pdf_a2_failures(pdf) == [], key
        assert_tagged_pdf_a(pdf, document.title)


@pytest.mark.django_db
def test_the_skr1_beside_amounts_of_millions_breaks_no_word(media_root):
    """Eleven columns beside 12,500,000.00: the table's text gets smaller (not under 10 pt) until its
    numbers and longest words fit side by side, so no word is broken."""
    from reports.renderers import pdf as pdf_renderer
    from tests.documents_support import long_purchases

    unit = difficult_unit()
    long_purchases(unit, 4)
    document = builders.procurement_summary(unit, MONTH)
    size = layout.fitting_size(document.tables[0], pdf_renderer.PAGE_MM[True][0] * MM, pdf_renderer.TABLE_PT[True])
    assert layout.SMALLEST_PT <= size < pdf_renderer.TABLE_PT[True]
    content = render(document, "pdf")
    lines = page_lines(pdf_engines.pdfium_pages(content))
    assert not split_words(lines, dictionary_words(document)), split_words(lines, dictionary_words(document))[:5]
    assert all(amount in " ".join(lines) for amount in ("12,500,000.00", "12,350,000.00"))


# Words ending in a mark before the next word (อยู่|ใน), in plain text and in nowrap spans (น้ำเต้าหู้|ใน,
# which Pango would break inside).
CELL_TEXT = ("รายงานเดือนมีนาคม ๒๕๖๗ อยู่ในไฟล์เดิมหน้า ๓ ที่ส่ง อนุมัติโดย ผู้บังคับบัญชา "
             "ดื่มน้ำเต้าหู้ในตอนเช้า ช่วงอายุที่ห้วงทุกข์ในใจ พร้อมญาติไปกรุงเทพมหานคร")


def _cell_pdf() -> bytes:
    document = doc.Document("ทดสอบข้อความในตาราง", "หน่วยทดสอบ", "ตุลาคม 2566")
    document.add(doc.Table([doc.Column("หัวข้อ", width=1.3), doc.Column("รายละเอียด", width=3.7)], [["คำชี้แจง", CELL_TEXT]]))
    return render(document, "pdf")


def test_table_cells_copy_out_exactly_in_the_browsers_engines():
    """PDFium (Chrome, Edge) and pdf.js (Firefox) give back a cell's Thai as typed, with the words the
    cell may break between."""
    pdf = _cell_pdf()
    for engine in (pdf_engines.pdfium_pages, pdf_engines.pdfjs_pages):
        assert "".join(CELL_TEXT.split()) in "".join("".join(engine(pdf)).split()), engine.__name__


def test_table_cells_copy_out_exactly_in_poppler():
    """poppler (pdftotext, evince) too: with a cell's words in one run of text (zero-width spaces
    between them, not a <wbr> element and a span per word) its word-final marks stay in place."""
    pdf = _cell_pdf()
    assert "".join(CELL_TEXT.split()) in "".join("".join(pdf_engines.poppler_pages(pdf)).split())
