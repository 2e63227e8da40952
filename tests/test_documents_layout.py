"""Layout of the generated documents, built by the real builders from entered data: amounts of
millions stay whole inside their cells, Thai breaks between words, a 1080 × 8000 screenshot fits
the page with its caption, headings never sit in a narrow cell, the items reported to the head end
with signatures, emoji print, PDFs are PDF/A; the Word tables LibreOffice and Word lay out alike;
Excel sheets that print; file names a file system takes."""

import io
import re
import unicodedata
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from measures import documents, indicators
from measures import kinds as measure_kinds
from oit_items.rulebook.models import Item
from reports import builders
from reports import document as doc
from reports.models import Bid, Purchase
from reports.renderers import render
from tests import pdf_engines
from tests.documents_support import (
    BIG_PURCHASE,
    EMOJI_TEXT,
    LONG_WORDS,
    MILLION,
    MONTH,
    TALL_CAPTION,
    difficult_unit,
    images_on_pages,
    text_boxes,
    vertical_rules,
)
from tests.test_reports_support import unmark, workbook


@pytest.fixture
def unit(db, media_root):
    return difficult_unit()


def assert_inside_its_cell(pdf: bytes, amount: str):
    occurrences = text_boxes(pdf, amount)
    assert occurrences, f"{amount} is not in the PDF as one piece"
    for page, (left, bottom, right, top) in occurrences:
        crossing = [x for x, low, high in vertical_rules(pdf, page) if left + 0.5 < x < right - 0.5 and low < top and high > bottom]
        assert not crossing, f"a cell border crosses {amount} at x={crossing}"


def test_a_12_500_000_purchase_stays_inside_its_cells_in_the_skr1(unit):
    pdf = render(builders.procurement_summary(unit, MONTH), "pdf")
    for amount in ("12,500,000.00", "12,350,000.00", "12,537,500.00"):  # budget, agreed price, budget total
        assert_inside_its_cell(pdf, amount)


def test_amounts_of_a_million_stay_inside_their_cells_in_the_budget_report(unit):
    pdf = render(builders.budget(unit, MONTH), "pdf")
    for amount in (doc.format_money(MILLION), "2,830,000.25"):  # a line and the bold total
        assert_inside_its_cell(pdf, amount)


def test_thai_breaks_between_words_in_narrow_columns(unit):
    """ผู้ประกอบการ in the narrow supplier column and ผู้ชนะ (of ผู้ชนะการเสนอราคา) in the
    reason column each sit on one line (PDFium finds them whole, one line high): lines break
    between words. (Beside an
    amount of millions the columns are too narrow for every word: then the longest words break,
    never a number.)"""
    Purchase.objects.filter(budget=BIG_PURCHASE).update(budget=Decimal("125000.00"), reference_price=None,
                                                        agreed_price=Decimal("123500.00"))
    Bid.objects.filter(price=Decimal("12350000.00")).update(price=Decimal("123500.00"))
    pdf = render(builders.procurement_summary(unit, MONTH), "pdf")
    for word in LONG_WORDS:
        found = text_boxes(pdf, word)
        assert found, f"{word} is broken across lines"
        assert all(top - bottom < 22 for _, (left, bottom, right, top) in found), (word, found)


def test_a_tall_screenshot_fits_the_page_box_with_its_caption_under_it(unit):
    document = builders.operations(unit, MONTH)
    pdf = render(document, "pdf")
    tall = [(page, box, size) for page, box, size in images_on_pages(pdf) if (box[3] - box[1]) > 2 * (box[2] - box[0])]
    assert len(tall) == 1
    page, (left, bottom, right, top), (width, height) = tall[0]
    mm = 72 / 25.4
    assert bottom >= 18 * mm - 1 and top <= height - 22 * mm + 1 and left >= 20 * mm - 1 and right <= width - 15 * mm + 1
    captions = text_boxes(pdf, TALL_CAPTION)
    assert [p for p, _ in captions] == [page] and captions[0][1][3] <= bottom + 1  # under the picture, same page


def test_a_tall_screenshot_fits_the_page_in_word_too(unit):
    word = docx.Document(io.BytesIO(render(builders.operations(unit, MONTH), "docx")))
    section = word.sections[0]
    usable = section.page_height - section.top_margin - section.bottom_margin
    extents = [int(e.get("cy")) for e in word.element.body.iter(qn("wp:extent"))]
    assert extents and max(extents) < usable
    cell = next(c for t in word.tables for r in t.rows for c in r.cells if TALL_CAPTION in unmark(c.text))
    assert list(cell._tc.iter(qn("wp:extent"))), "the caption is in the picture's cell (rows never split)"


def test_phase_headings_of_the_o24_calendar_run_across_the_table(db):
    plan = documents.plan_queryset().get(unit__slug="sn-buengkum", fiscal_year=2567)
    stages = {indicators.STAGE[stage].th for stage in plan.phases.values_list("stage", flat=True)}
    assert len(stages) >= 2
    lines = pdf_engines.lines(pdf_engines.poppler_pages(render(documents.measures_document(plan), "pdf")))
    for stage in stages:
        assert any(" ".join(stage.split()) in line for line in lines), f"{stage} is squeezed into a narrow cell"


@pytest.mark.parametrize("kind", ["operations", "budget", "investigation_fund"])
def test_items_reported_to_the_head_end_with_signatures_and_the_heads_acknowledgement(unit, kind):
    document = getattr(builders, kind)(unit, MONTH)
    assert isinstance(document.blocks[-1], doc.Signatures)
    head = unit.head.display_name
    pdf_text = "\n".join(pdf_engines.poppler_pages(render(document, "pdf")))
    word = docx.Document(io.BytesIO(render(document, "docx")))
    word_text = unmark("\n".join(p.text for t in word.tables for r in t.rows for c in r.cells for p in c.paragraphs))
    sheet_text = "\n".join(str(c.value) for s in workbook(render(document, "xlsx")) for r in s.iter_rows() for c in r if c.value)
    for text in (pdf_text, word_text, sheet_text):
        assert "(ลงชื่อ)" in text and "ผู้รายงาน" in text and head in text and "ทราบ / สั่งการ" in text


def test_emoji_print_with_an_emoji_font_and_copy_out(unit):
    pdf = render(builders.operations(unit, MONTH), "pdf")
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(pdf)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("Noto-Emoji" in name for name in fonts), fonts
    assert unicodedata.normalize("NFC", EMOJI_TEXT) in " ".join(pdf_engines.lines(pdf_engines.pdfium_pages(pdf)))


def test_pdfs_are_pdf_a_2u_for_archiving(unit):
    reader = PdfReader(io.BytesIO(render(builders.budget(unit, MONTH), "pdf")))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*2", xmp) and re.search(r"pdfaid:conformance[^A-Z]*U", xmp)
    [intent] = root["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent.get_object()
    assert "/ID" in reader.trailer and not reader.is_encrypted
    producer = str(reader.metadata.get("/Producer", ""))
    assert producer and producer in xmp  # the document information agrees with the XMP
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            assert "/ToUnicode" in font


# --- Word ------------------------------------------------------------------------------------------

def word_of(document) -> docx.Document:
    return docx.Document(io.BytesIO(render(document, "docx")))


def test_word_tables_have_fixed_layout_and_grid_widths_that_agree_with_their_cells(unit):
    word = word_of(builders.procurement_summary(unit, MONTH))
    table = max(word.tables, key=lambda t: len(t.columns))._tbl
    assert table.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(c.get(qn("w:w"))) for c in table.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(grid)) > 3, "columns have their own widths"
    for tr in table.findall(qn("w:tr")):
        cells = [(int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))), tc.grid_span) for tc in tr.findall(qn("w:tc"))]
        column = 0
        for width, span in cells:
            assert abs(width - sum(grid[column:column + span])) <= 1
            column += span
    assert int(table.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)


def test_word_sets_thai_bold_and_size_on_the_complex_script_properties(unit):
    word = word_of(builders.budget(unit, MONTH))
    bold_runs = [r for p in word.paragraphs + [p for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs]
                 for r in p.runs if r._r.rPr is not None and r._r.rPr.find(qn("w:b")) is not None]
    assert bold_runs
    for run in bold_runs:
        rpr = run._r.rPr
        assert rpr.find(qn("w:bCs")) is not None
        sizes = [rpr.find(qn(tag)) for tag in ("w:sz", "w:szCs")]
        assert [s is None for s in sizes] == [sizes[0] is None] * 2
        assert sizes[0] is None or sizes[0].get(qn("w:val")) == sizes[1].get(qn("w:val"))
        assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == "TH Sarabun New"
    for level in (1, 2):
        style = word.styles[f"Heading {level}"].element.rPr
        assert style.find(qn("w:bCs")) is not None and style.find(qn("w:szCs")) is not None
    assert word.paragraphs[0].style.name == "Heading 1"
    assert {p.style.name for p in word.paragraphs if p.text == "ผลการเบิกจ่ายรายเดือนเทียบกับแผน"} == {"Heading 2"}


def test_word_repeats_header_rows_and_keeps_rows_whole(unit):
    word = word_of(builders.operations(unit, MONTH))
    for table in word.tables[:-2]:  # the activity tables (then photos and signatures)
        first = table.rows[0]._tr.trPr
        assert first.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)


def test_word_writes_a_total_row_under_a_summed_first_column():
    """The Word renderer used to crash (TypeError: 'int' object is not iterable) on this table."""
    table = doc.Table([doc.Column("จำนวน", doc.INTEGER), doc.Column("รายการ"), doc.Column("เงิน", doc.MONEY)],
                      [[3, "ก", Decimal("1.50")], [4, "ข", Decimal("2.25")]], total_label="รวม")
    word = word_of(doc.Document("ทดสอบ", "หน่วย", "ตุลาคม 2566").add(table))
    total = [c.text for c in word.tables[0].rows[-1].cells]
    assert total == ["7", "รวม", "3.75"]


# --- Excel -----------------------------------------------------------------------------------------

def test_excel_rows_are_as_tall_as_their_wrapped_text(unit):
    sheet = workbook(render(builders.procurement_summary(unit, MONTH), "xlsx")).worksheets[0]
    bids = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "\n" in c.value)
    lines = bids.value.count("\n") + 1
    size = bids.font.sz
    assert sheet.row_dimensions[bids.row].height >= lines * size * 1.5
    assert bids.alignment.wrap_text


def test_excel_sheets_print_on_a4_to_the_page_width_with_the_header_repeated(unit):
    for builder, landscape in ((builders.procurement_summary, True), (builders.investigation_fund, False)):
        book = workbook(render(builder(unit, MONTH), "xlsx"))
        for sheet in book.worksheets:
            assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
            assert sheet.page_setup.orientation == ("landscape" if landscape else "portrait")
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
            header = sheet.freeze_panes  # the row under the header
            assert sheet.print_title_rows.replace("$", "") == f"{int(header[1:]) - 1}:{int(header[1:]) - 1}"


def test_excel_sheet_names_are_cut_at_a_word_boundary():
    caption = "สถิติคดีอาญา ๕ กลุ่ม (ระบบ CRIMES) ประจำเดือนตุลาคม"
    table = doc.Table([doc.Column("ประเภท"), doc.Column("จำนวน", doc.INTEGER)], [["ก", 1]], caption=caption)
    book = workbook(render(doc.Document("สถิติ", "หน่วย", "ตุลาคม 2566").add(table, table), "xlsx"))
    first, second = (s.title for s in book.worksheets)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert caption.startswith(first) and caption[len(first)] == " "  # cut where a word ends
    assert second.endswith("(2)") and caption.startswith(second[:-4].rstrip())


# --- file names ------------------------------------------------------------------------------------

def test_generated_file_names_keep_the_kind_and_the_period_within_120_characters(db):
    plan = documents.plan_queryset().get(unit__slug="sn-buengkum", fiscal_year=2567)
    item = Item.objects.for_unit(plan.unit, 2567).get(topic="integrity_measures_report")
    name = documents.file_name(measure_kinds.PROGRESS_REPORT, plan, item, "docx")
    assert len(name) <= 120 and len(name.encode()) <= 240
    assert name.startswith(f"{item.code} ") and name.endswith(" ปีงบประมาณ 2567.docx")
    assert builders.file_name("สขร.1", MONTH, "pdf") == "สขร.1 ต.ค.66.pdf"


