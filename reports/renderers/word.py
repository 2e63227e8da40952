"""Word (.docx) through python-docx: real tables with the same content as the PDF, and a Thai
font set for every script slot (Word draws Thai with the "complex script" font)."""

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from django.utils.translation import gettext as _

from .. import document as doc

# The government's standard Thai font, installed on office PCs; fontconfig maps it to Laksaman
# (fonts-thai-tlwg) on Linux, so LibreOffice draws the same shapes.
FONT = "TH Sarabun New"
BODY_PT, TABLE_PT, TITLE_PT = 16, 14, 18
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _thai_font(element, size_pt: float | None = None) -> None:
    """Set FONT on every script slot of a style or run, dropping theme fonts that would win."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size_pt:
        for tag in ("w:sz", "w:szCs"):
            size = rpr.find(qn(tag))
            if size is None:
                size = OxmlElement(tag)
                rpr.append(size)
            size.set(qn("w:val"), str(int(size_pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:bidi"), "th-TH")


def _styles(word) -> None:
    for name, size in (("Normal", BODY_PT), ("Heading 1", TITLE_PT), ("Heading 2", BODY_PT + 1),
                       ("Heading 3", BODY_PT), ("Table Grid", TABLE_PT), ("Caption", TABLE_PT)):
        style = word.styles[name]
        _thai_font(style.element, size)
        if name.startswith("Heading"):
            style.font.color.rgb = None
            style.font.bold = True


def _page(word, document: doc.Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(1.8)
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    header = section.header.paragraphs[0]
    header.text = f"{document.unit_name}\t\t{document.period_label}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{_('Page')} ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _paragraph(word, text: str, align: str = "left", bold: bool = False, size: float | None = None):
    paragraph = word.add_paragraph()
    paragraph.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def _fill(cell, text: str, column: doc.Column, bold: bool = False, header: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold or None
    if header:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif column.numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_as_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _table(word, table: doc.Table, usable_cm: float) -> None:
    if table.caption:
        _paragraph(word, table.caption, bold=True)
    rows = table.rows or ([None] if table.empty_text else [])
    total = table.total
    grid = word.add_table(rows=1 + len(rows) + (1 if total else 0), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = sum(c.width for c in table.columns)
    for i, column in enumerate(table.columns):
        for cell in grid.columns[i].cells:
            cell.width = Cm(usable_cm * column.width / widths)
        _fill(grid.rows[0].cells[i], column.title, column, bold=True, header=True)
    _repeat_as_header(grid.rows[0])
    for r, row in enumerate(rows, start=1):
        if row is None:  # no rows: one merged cell says so
            merged = grid.rows[r].cells[0].merge(grid.rows[r].cells[-1])
            merged.paragraphs[0].add_run(table.empty_text).italic = True
            merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        for i, (value, column) in enumerate(zip(row, table.columns)):
            _fill(grid.rows[r].cells[i], doc.format_value(value, column.kind), column)
    if total:
        cells = grid.rows[-1].cells
        label = cells[0].merge(cells[table.total_span - 1]) if table.total_span > 1 else cells[0]
        label.paragraphs[0].add_run(total[0] or "").bold = True
        for i in range(table.total_span, len(table.columns)):
            _fill(cells[i], doc.format_value(total[i], table.columns[i].kind), table.columns[i], bold=True)
    word.add_paragraph()


def render(document: doc.Document) -> bytes:
    word = docx.Document()
    _styles(word)
    _page(word, document)
    section = word.sections[0]
    usable_cm = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
    word.core_properties.title = f"{document.title} {document.unit_name} {document.period_label}"
    word.core_properties.author = document.author or document.unit_name
    word.core_properties.language = "th-TH"

    _paragraph(word, document.title, "center", bold=True, size=doc_title_size(document))
    if document.subtitle:
        _paragraph(word, document.subtitle, "center")
    _paragraph(word, document.unit_name, "center", bold=True)
    _paragraph(word, document.period_label, "center")
    if document.addressee:
        _paragraph(word, document.addressee)
    for block in document.blocks:
        if isinstance(block, doc.Heading):
            word.add_heading(block.text, level=min(max(block.level, 2), 3))
        elif isinstance(block, doc.Paragraph):
            _paragraph(word, block.text, block.align, block.bold)
        elif isinstance(block, doc.Table):
            _table(word, block, usable_cm)
        elif isinstance(block, doc.Image):
            word.add_picture(io.BytesIO(block.content), width=Cm(min(block.width_cm, usable_cm)))
            if block.caption:
                _paragraph(word, block.caption, "center")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def doc_title_size(document: doc.Document) -> int:
    return TITLE_PT if len(document.title) < 80 else BODY_PT
