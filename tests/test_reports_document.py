"""The format-neutral Document and its three renderers: the same content in PDF, Word and Excel,
Thai that copies out of the PDF as typed, typed Excel cells, totals computed once."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from reports import document as doc
from reports.renderers import pdf as pdf_renderer
from reports.renderers import render, thai_fonts
from tests.test_reports_support import docx_tables, nfc, pdf_text, workbook

# Words whose marks HarfBuzz reorders or shifts (SARA AM with tone marks, marks over ป ฝ ฟ, ญ ฐ
# without descender, a tone over a lower vowel): each must copy out of the PDF exactly.
TRICKY = ["น้ำดื่ม", "ดำเนินการ", "ค่ำ", "ป่าไม้", "ปู่", "ฝ้าย", "ฟื้นฟู", "ปั๊มน้ำมัน", "ญาติ", "กตัญญู", "ฐานะ", "ผู้ใหญ่",
          "เก้าอี้", "ทั้งนี้", "สำนักงานตำรวจแห่งชาติ", "ฤๅษี", "ๆ", "ฯลฯ"]


def sample(rows=2, **kwargs) -> doc.Document:
    table = doc.Table(
        [doc.Column("ลำดับ", doc.INTEGER, 0.6, total=False), doc.Column("รายการ", doc.TEXT, 3),
         doc.Column("จำนวน", doc.INTEGER), doc.Column("จำนวนเงิน", doc.MONEY, 1.4), doc.Column("วันที่", doc.DATE, 1.2)],
        [[i, f"{TRICKY[i % len(TRICKY)]} รายการที่ {i}", i * 10, Decimal("1234567.50") + i, datetime.date(2023, 10, 1 + i % 28)]
         for i in range(1, rows + 1)],
        caption="ตารางทดสอบ", total_label="รวมทั้งสิ้น")
    document = doc.Document.for_month("รายงานทดสอบภาษาไทย", "สถานีตำรวจนครบาลบึงกุ่ม", datetime.date(2023, 10, 1),
                                      addressee="เรียน ผกก.สน.บึงกุ่ม", **kwargs)
    return document.add(doc.Heading("หัวข้อ"), doc.Paragraph(" ".join(TRICKY)), table)


def test_money_is_decimal_to_the_satang_and_floats_are_refused():
    assert doc.format_money(Decimal("1234567.5")) == "1,234,567.50"
    assert doc.money("0.1") + doc.money("0.2") == Decimal("0.30")
    with pytest.raises(doc.DocumentError):
        doc.money(0.1)
    with pytest.raises(doc.DocumentError):
        doc.Table([doc.Column("a", doc.MONEY)], [[0.5]])


def test_cells_are_checked_against_their_column():
    with pytest.raises(doc.DocumentError):
        doc.Table([doc.Column("a", doc.INTEGER)], [["12"]])
    with pytest.raises(doc.DocumentError):
        doc.Table([doc.Column("a"), doc.Column("b")], [["only one"]])
    with pytest.raises(doc.DocumentError):
        doc.Column("a", "percent")


def test_the_total_row_sums_money_and_counts_exactly():
    table = doc.Table([doc.Column("ลำดับ", doc.INTEGER, total=False), doc.Column("x"), doc.Column("n", doc.INTEGER),
                       doc.Column("m", doc.MONEY)],
                      [[1, "ก", 3, Decimal("0.10")], [2, "ข", None, Decimal("0.20")]], total_label="รวม")
    assert table.total == ["รวม", None, 3, Decimal("0.30")] and table.total_span == 2


def test_the_pdf_is_a4_with_thai_that_copies_out_as_typed():
    content = render(sample(), "pdf")
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = pdf_text(content)
    for word in TRICKY:
        assert nfc(word) in text, word
    assert "1,234,568.50" in text and "2 ต.ค. 2566" in text and "2,469,138.00" in text
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all(name.startswith("ITA-Laksaman") for name in fonts), fonts


def test_every_page_has_the_unit_and_month_and_its_number():
    content = render(sample(rows=60), "pdf")
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = nfc(page.extract_text())
        assert "สถานีตำรวจนครบาลบึงกุ่ม" in text and "ตุลาคม 2566" in text
        assert f"{number} / {len(pages)}" in text


def test_landscape_documents_are_landscape():
    box = PdfReader(io.BytesIO(render(sample(landscape=True), "pdf"))).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_css_strings_cannot_break_out_of_the_style_element():
    assert pdf_renderer.css_string('หน่วย "ทดสอบ" </style>') == '"หน่วย \\22 ทดสอบ\\22  \\3c \\2f style\\3e "'


def test_word_has_real_tables_and_a_thai_font():
    import docx
    from docx.oxml.ns import qn

    content = render(sample(), "docx")
    [table] = docx_tables(content)
    assert table[0] == ["ลำดับ", "รายการ", "จำนวน", "จำนวนเงิน", "วันที่"]
    assert table[1] == ["1", "ดำเนินการ รายการที่ 1", "10", "1,234,568.50", "2 ต.ค. 2566"]
    assert table[-1][0] == "รวมทั้งสิ้น" and table[-1][-2] == "2,469,138.00"
    word = docx.Document(io.BytesIO(content))
    fonts = word.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == fonts.get(qn("w:ascii")) == "TH Sarabun New"
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in word.sections[0].header.paragraphs[0].text
    assert "น้ำดื่ม ดำเนินการ" in "\n".join(p.text for p in word.paragraphs)


def test_excel_cells_are_typed_with_the_header_frozen():
    sheet = workbook(render(sample(), "xlsx")).worksheets[0]
    assert sheet.title == "ตารางทดสอบ"
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "ลำดับ")
    assert sheet.freeze_panes == f"A{header + 1}"
    first = [sheet.cell(row=header + 1, column=c) for c in range(1, 6)]
    assert first[0].value == 1 and first[2].value == 10
    assert Decimal(str(first[3].value)) == Decimal("1234568.50") and first[3].number_format == "#,##0.00"
    assert first[4].is_date and first[4].value.date() == datetime.date(2023, 10, 2)
    total = [sheet.cell(row=header + 3, column=c).value for c in range(1, 6)]
    assert total[0] == "รวมทั้งสิ้น" and Decimal(str(total[3])) == Decimal("2469138.00") and total[2] == 30


def test_a_document_without_tables_still_makes_every_format():
    document = doc.Document("ประกาศ", "หน่วยทดสอบ", "ตุลาคม 2566").add(doc.Paragraph("ไม่มีการจัดซื้อจัดจ้าง"))
    assert "ไม่มีการจัดซื้อจัดจ้าง" in pdf_text(render(document, "pdf"))
    assert workbook(render(document, "xlsx")).worksheets[0]["A3"].value == "ไม่มีการจัดซื้อจัดจ้าง"
    with pytest.raises(ValueError):
        render(document, "odt")


def test_the_patched_font_maps_each_glyph_to_its_text():
    fonts = thai_fonts.patched_fonts()
    assert set(fonts) == {"regular", "bold"}
    texts = thai_fonts.glyph_texts(fonts["regular"])
    assert "\u0e33" in texts.values() and "\u0e49" in texts.values()  # SARA AM, MAI THO


def test_rendering_a_pdf_leaves_pillow_refusing_truncated_images():
    """Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES process-wide; upload
    validation relies on it being off, so the renderer puts it back."""
    from PIL import ImageFile

    render(doc.Document("ทดสอบ", "หน่วย", "ตุลาคม 2566").add(doc.Paragraph("ก")), "pdf")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
