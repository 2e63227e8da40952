"""Word (.docx) through python-docx: the same content and layout as the PDF, as Word and LibreOffice
expect it.

- Thai is a "complex script" in Word: a run's font, bold, italic and size are set on both the
  Latin and the complex-script properties (rFonts cs, bCs, iCs, szCs), or Thai text is regular
  weight at the default size whatever the Latin properties say.
- Tables have fixed layout with the PDF's column widths (reports.renderers.layout), written both
  on the grid (gridCol) and on every cell (tcW): LibreOffice lays out from the grid, Word from the
  cells, and they only agree when both say the same. Header rows repeat on every page; rows are not
  split across pages.
- Lines in table cells break only between PyThaiNLP's words, as in the PDF: the boundaries between
  two words are marked with a zero-width space (U+200B, the usual way to give Thai text break
  points in Word; it prints and copies out as nothing), so that Word's and LibreOffice's own Thai
  dictionaries break where the PDF does.
- Headings are Word's own heading styles (navigation pane, table of contents, outline).
- Lines are spaced exactly as in the PDF (1.25 × the font size): Word and LibreOffice would
  otherwise space them by the font's own line height, nearly twice that for TLWG fonts.

The font is TH Sarabun New, the government's standard, on every office PC. Where it is missing,
fontconfig maps it to Laksaman (fonts-thai-tlwg, metric-compatible) on Linux, so LibreOffice
draws the same line breaks; the font table declares it Thai (charset DE), so Word elsewhere picks
a Thai font.
"""

import io

import docx
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports import document as doc
from reports.renderers import layout, pdf

FONT = "TH Sarabun New"
# The sizes of the PDF template, so that both break lines and pages alike.
BODY_PT, TITLE_PT, CAPTION_PT = 15, 18, 12
HEADING_PT = {1: TITLE_PT, 2: 16, 3: 15, 4: 15}
# The PDF's heading margins, less the paragraph spacing Word adds before them (CSS collapses it).
HEADING_BEFORE_PT, HEADING_AFTER_PT = {1: 0, 2: 6, 3: 4, 4: 4}, {1: 2, 2: 4, 3: 4, 4: 4}
LINE_HEIGHT = layout.LINE_EM
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
HEADER_FILL, TOTAL_FILL = "E8E8E8", "F4F4F4"
TWIPS_PER_PT = 20
CELL_MARGIN_PT = (2, 4)  # top/bottom, left/right: the PDF's cell padding
SPACER_PT = 8


def _set(parent, tag: str, **attributes):
    """The child element `tag` of parent (made if missing) with these w: attributes."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _fonts(rpr) -> None:
    """FONT on every script slot, dropping theme fonts that would win over it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _format(rpr, size_pt: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    """Font, size, bold and italic on the Latin and the complex-script properties alike. The
    children are added in the order the schema wants them (Word refuses other orders)."""
    _fonts(rpr)
    for tags, on in ((("w:b", "w:bCs"), bold), (("w:i", "w:iCs"), italic)):
        for tag in tags:
            if on is not None:
                _set(rpr, tag, val="1" if on else "0")
    if size_pt:
        for tag in ("w:sz", "w:szCs"):
            _set(rpr, tag, val=int(round(size_pt * 2)))
    # Thai is a complex script: its language is w:bidi. w:val is the language of the Latin letters
    # (URL, QR code, OIT); marked Thai, LibreOffice breaks them with the Thai dictionary: "OI|T".
    _set(rpr, "w:lang", val="en-US", bidi="th-TH")
    _order(rpr)


_RPR_ORDER = ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
              "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
              "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"]


def _order(rpr) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_RPR_ORDER)}
    children = sorted(rpr, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        rpr.append(child)  # appending an existing child moves it to the end


def _spacing(paragraph_format, size_pt: float, after_pt: float = 0, before_pt: float = 0) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(round(size_pt * LINE_HEIGHT, 1))
    paragraph_format.space_after, paragraph_format.space_before = Pt(after_pt), Pt(before_pt)


def _styles(word) -> None:
    normal = word.styles["Normal"]
    _format(normal.element.get_or_add_rPr(), BODY_PT)
    _spacing(normal.paragraph_format, BODY_PT, after_pt=6)
    for level, size in HEADING_PT.items():
        style = word.styles[f"Heading {level}"]
        _format(style.element.get_or_add_rPr(), size, bold=True, italic=False)
        style.font.color.rgb = None
        _spacing(style.paragraph_format, size, after_pt=HEADING_AFTER_PT[level], before_pt=HEADING_BEFORE_PT[level])
        style.paragraph_format.keep_with_next = True
    for name, size in (("Caption", CAPTION_PT), ("Table Grid", None)):
        style = word.styles[name]
        _format(style.element.get_or_add_rPr(), size, bold=False, italic=False)
        if name == "Caption":
            style.font.color.rgb = None
            _spacing(style.paragraph_format, size, after_pt=6)
    _declare_thai_font(word)


def _declare_thai_font(word) -> None:
    """Add FONT to the font table as a Thai font (python-docx keeps that part as plain bytes)."""
    from lxml import etree

    part = next((p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    if not any(f.get(qn("w:name")) == FONT for f in root.findall(qn("w:font"))):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), FONT)
        for tag, value in (("w:charset", "DE"), ("w:family", "swiss"), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(word, document: doc.Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    # The PDF's @page margins; header and footer sit inside the margins, as there.
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(1.8)
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    section.header_distance, section.footer_distance = Cm(1), Cm(0.8)
    header = section.header.paragraphs[0]
    _tab_stops(word, header, section)
    _run(header, document.unit_name, size=11)
    header.add_run("\t\t")
    _run(header, document.period_label, size=11)
    footer = section.footer.paragraphs[0]
    _tab_stops(word, footer, section)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, f"{_('Page')} ", size=11)
    _field(footer, "PAGE")
    _run(footer, " / ", size=11)
    _field(footer, "NUMPAGES")


def _tab_stops(word, paragraph, section) -> None:
    """A centre and a right tab stop where this section's text area has its middle and its right
    edge, the Header and Footer styles' own (Letter portrait: 8.25 cm and 16.5 cm) cleared: a
    landscape page's right-hand header then sits at the right margin, not in the middle."""
    usable = section.page_width - section.left_margin - section.right_margin
    stops = paragraph.paragraph_format.tab_stops
    for style in (paragraph.style, word.styles["Normal"]):
        for stop in style.paragraph_format.tab_stops if style is not None else []:
            if stop.position not in (usable // 2, usable):
                stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(usable // 2, WD_TAB_ALIGNMENT.CENTER)
    stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    _format(run.get_or_add_rPr(), 11)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _run(paragraph, text: str, bold: bool | None = None, italic: bool | None = None, size: float | None = None):
    run = paragraph.add_run(text)
    _format(run._r.get_or_add_rPr(), size, bold, italic)
    return run


def _paragraph(word, text: str, align: str = "left", bold: bool = False, size: float | None = None, style=None):
    paragraph = word.add_paragraph(style=style)
    paragraph.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    _run(paragraph, text, bold=bold or None, size=size)
    if size:
        _spacing(paragraph.paragraph_format, size, after_pt=2)
    return paragraph


def _cell(cell, text: str, size: float, align=None, bold: bool = False, italic: bool = False, fill: str = "") -> None:
    paragraph = cell.paragraphs[0]
    _spacing(paragraph.paragraph_format, size)
    if align is not None:
        paragraph.alignment = align
    _run(paragraph, text, bold=bold or None, italic=italic or None, size=size)
    if fill:
        _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)


ZWSP = "\u200b"


def cell_text(text: str) -> str:
    """text with a zero-width space between every two words that no space separates."""
    lines = []
    for pieces in layout.break_pieces(text):
        out, previous = [], " "
        for piece in pieces:
            if piece != " " and previous != " ":
                out.append(ZWSP)
            out.append(piece)
            previous = piece
        lines.append("".join(out))
    return "\n".join(lines)


def _table_properties(grid, widths_twips: list[int], splitting: set[int] = frozenset()) -> None:
    """Fixed layout with these widths; every row kept whole but those in splitting (indexes)."""
    tbl = grid._tbl
    tblpr = tbl.tblPr
    _set(tblpr, "w:tblW", w=sum(widths_twips), type="dxa")
    _set(tblpr, "w:tblLayout", type="fixed")
    margins = _set(tblpr, "w:tblCellMar")
    top, side = (v * TWIPS_PER_PT for v in CELL_MARGIN_PT)
    for edge, value in (("w:top", top), ("w:left", side), ("w:bottom", top), ("w:right", side)):
        _set(margins, edge, w=value, type="dxa")
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_twips):
        col.set(qn("w:w"), str(width))
    for n, row in enumerate(grid.rows):
        if n not in splitting:
            _set(row._tr.get_or_add_trPr(), "w:cantSplit", val="true")
        for cell, width in zip(row._tr.findall(qn("w:tc")), _cell_widths(row._tr, widths_twips)):
            _set(cell.get_or_add_tcPr(), "w:tcW", w=width, type="dxa")


def _cell_widths(tr, widths_twips: list[int]) -> list[int]:
    """The width of each w:tc of a row: merged cells (gridSpan) cover several grid columns."""
    out, column = [], 0
    for tc in tr.findall(qn("w:tc")):
        span = tc.grid_span
        out.append(sum(widths_twips[column:column + span]))
        column += span
    return out


def _repeat_as_header(row) -> None:
    _set(row._tr.get_or_add_trPr(), "w:tblHeader", val="true")


def _table(word, table: doc.Table, usable_pt: float, landscape: bool) -> None:
    """One Word table per group of rows (a stage of the O24 calendar), its group row repeated under
    the column header on every page the group goes on to, so that a continued page names its stage
    as the seed's do. The word "(ต่อ)" itself is in the PDF only (pdf.CONTINUED): the fields that
    would show it on continued pages alone (IF with PAGE and PAGEREF, STYLEREF) come out of
    LibreOffice 7.4 as their stored text, the same on every page."""
    size = layout.fitting_size(table, usable_pt, pdf.TABLE_PT[landscape])
    if table.caption:
        caption = _paragraph(word, table.caption, bold=True)
        caption.paragraph_format.keep_with_next = True
    widths_pt = layout.column_widths(table, usable_pt, size)
    segments = _segments(table)
    for n, (group, rows) in enumerate(segments):
        if n:
            _spacer(word, 1)  # two tables in a row would merge into one
        last = n == len(segments) - 1
        _grid(word, table, group, rows, widths_pt, size, landscape, total=table.total if last else None)


def _segments(table: doc.Table) -> list[tuple[str | None, list]]:
    """The rows cut at each group row: (the group's text or None before the first, its rows)."""
    segments = [(None, [])]
    for row in table.rows:
        if isinstance(row, doc.GroupRow):
            segments.append((row.text, []))
        else:
            segments[-1][1].append(row)
    if len(segments) > 1 and not segments[0][1]:
        segments.pop(0)
    return segments


def _grid(word, table: doc.Table, group: str | None, rows: list, widths_pt: list[float], size: float,
          landscape: bool, total: list | None) -> None:
    rows = rows or ([None] if table.empty_text and group is None else [])
    heading = 1 + (group is not None)
    grid = word.add_table(rows=heading + len(rows) + (1 if total else 0), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    page_height = pdf.PAGE_MM[landscape][1] * pdf.PT_PER_MM
    splitting = set()
    for i, column in enumerate(table.columns):
        _cell(grid.rows[0].cells[i], column.title, size, WD_ALIGN_PARAGRAPH.CENTER, bold=True, fill=HEADER_FILL)
    if group is not None:
        row = grid.rows[1].cells
        _cell(row[0].merge(row[-1]), group, size, bold=True, fill=TOTAL_FILL)
    for header in grid.rows[:heading]:
        _repeat_as_header(header)
    for r, row in enumerate(rows, start=heading):
        cells = grid.rows[r].cells
        if row is None:  # one merged cell across the row
            _cell(cells[0].merge(cells[-1]), table.empty_text, size, WD_ALIGN_PARAGRAPH.CENTER, italic=True)
            continue
        texts = [doc.format_value(v, c.kind) for v, c in zip(row, table.columns)]
        if layout.may_split(texts, widths_pt, size, page_height):  # a tall row goes on on the next page
            splitting.add(r)
        for i, (text, column) in enumerate(zip(texts, table.columns)):
            _cell(cells[i], cell_text(text) if column.kind == doc.TEXT else text, size, _align(column))
    if total:
        _total_row(grid.rows[-1], table, total, size)
    _table_properties(grid, [int(w * TWIPS_PER_PT) for w in widths_pt], splitting)


def _spacer(word, height_pt: float = SPACER_PT) -> None:
    """An empty paragraph after a table (two tables in a row would merge into one), as tall as the
    space the PDF leaves under a table."""
    spacer = word.add_paragraph()
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Pt(height_pt)
    spacer.paragraph_format.space_after = spacer.paragraph_format.space_before = Pt(0)
    _format(_set(spacer._p.get_or_add_pPr(), "w:rPr"), height_pt)


def _align(column: doc.Column):
    return WD_ALIGN_PARAGRAPH.RIGHT if column.numeric else None


def _total_row(row, table: doc.Table, total: list, size: float) -> None:
    """The label spans the columns before the first summed one; when the first column is itself
    summed (total_span 1), every cell, the sum in it included, is filled in its own column."""
    cells = row.cells
    span = table.total_span
    label = cells[0].merge(cells[span - 1]) if span > 1 else cells[0]
    first = table.columns[0]
    _cell(label, doc.format_value(total[0], first.kind), size, _align(first) if span == 1 else None, bold=True,
          fill=TOTAL_FILL)
    for i in range(span, len(table.columns)):
        column = table.columns[i]
        _cell(cells[i], doc.format_value(total[i], column.kind), size, _align(column), bold=True, fill=TOTAL_FILL)


def _images(word, images: list[doc.Image], landscape: bool) -> None:
    """Pictures side by side as far as they fit across the page, each with its caption under it,
    in a borderless table: the way the PDF flows them. Rows are never split, so a caption stays
    with its picture."""
    page_width, page_height = pdf.PAGE_MM[landscape]
    sizes = [image.fit(page_width / 10, (page_height - pdf.IMAGE_ROOM_MM) / 10) for image in images]
    rows, row, used = [], [], 0.0
    for image, size in zip(images, sizes):
        width = max(size[0], pdf.FIGURE_MIN_CM) + 0.4
        if row and used + width > page_width / 10:
            rows.append(row)
            row, used = [], 0.0
        row.append((image, size))
        used += width
    rows.append(row)
    columns = max(len(row) for row in rows)
    grid = word.add_table(rows=len(rows), cols=columns)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, cells in zip(rows, grid.rows):
        for cell, (image, (width_cm, height_cm)) in zip(cells.cells, row):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            # Single spacing (an exact one would crop the picture), in a 1 pt font: the line is then as
            # tall as the picture, without the descent of a 15 pt line under it.
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _format(_set(paragraph._p.get_or_add_pPr(), "w:rPr"), 1)  # the paragraph mark
            picture = paragraph.add_run()
            _format(picture._r.get_or_add_rPr(), 1)
            picture.add_picture(io.BytesIO(image.content), width=Cm(width_cm), height=Cm(height_cm))
            if image.caption:
                caption = cell.add_paragraph(style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption.paragraph_format.space_after = Pt(2)
                _run(caption, image.caption)
    widths = [max(max(size[0], pdf.FIGURE_MIN_CM) for row in rows if len(row) > i for _, size in row[i:i + 1]) + 0.4
              for i in range(columns)]
    _table_properties(grid, [int(w / 2.54 * 72 * TWIPS_PER_PT) for w in widths])


def _signatures(word, block: doc.Signatures, usable_pt: float) -> None:
    grid = word.add_table(rows=1, cols=len(block.signers))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = int(usable_pt * TWIPS_PER_PT / len(block.signers))
    for cell, signer in zip(grid.rows[0].cells, block.signers):
        lines = ([signer.note, ""] if signer.note else []) + [
            f"{_('(Signed)')} {doc.SIGN_HERE} {signer.title}",
            f"( {signer.name or doc.SIGN_HERE} )"] + (
            [signer.position] if signer.position else []) + [f"{_('Date')} ........ / ........ / ........"]
        for n, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            _spacing(paragraph.paragraph_format, BODY_PT)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if signer.note and n < 2 else WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
            _run(paragraph, line)
    _table_properties(grid, [width] * len(block.signers))


def _cover(word, cover: doc.Cover) -> None:
    """The cover page: the emblem and the lines centred, then a page break."""
    top = word.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.paragraph_format.space_before = Pt(80)
    if cover.emblem:
        top.add_run().add_picture(io.BytesIO(cover.emblem), width=Cm(3.5))
    for n, line in enumerate(cover.lines):
        paragraph = _paragraph(word, line, "center", bold=True, size=26 if n == 0 else 20)
        paragraph.paragraph_format.space_after = Pt(16 if n == 0 else 8)
    word.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def render(document: doc.Document) -> bytes:
    word = docx.Document()
    _styles(word)
    _page(word, document)
    usable_pt = pdf.PAGE_MM[document.landscape][0] * pdf.PT_PER_MM
    word.core_properties.title = f"{document.title} {document.unit_name} {document.period_label}"
    word.core_properties.author = document.author or document.unit_name
    word.core_properties.language = "th-TH"

    if document.cover:
        _cover(word, document.cover)
    title = word.add_heading(level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, document.title, size=TITLE_PT if len(document.title) < 80 else BODY_PT + 1)
    if document.subtitle:
        _paragraph(word, document.subtitle, "center").paragraph_format.space_after = Pt(0)
    _paragraph(word, document.unit_name, "center", bold=True).paragraph_format.space_after = Pt(0)
    _paragraph(word, document.period_label, "center").paragraph_format.space_after = Pt(0)
    if document.addressee:
        _paragraph(word, document.addressee).paragraph_format.space_before = Pt(4)
    images = []
    for block in document.blocks + [None]:
        if isinstance(block, doc.Image):
            images.append(block)
            continue
        if images:
            _images(word, images, document.landscape)
            images = []
        if word.element.body[-2].tag == qn("w:tbl"):  # [-1] is the section's properties
            _spacer(word, SPACER_PT if block else 1)  # the last one only ends the document
        if isinstance(block, doc.Heading):
            heading = word.add_heading(level=min(max(block.level, 2), 4))
            _run(heading, block.text)
        elif isinstance(block, doc.Paragraph):
            _paragraph(word, block.text, block.align, block.bold).paragraph_format.keep_with_next = block.keep_with_next or None
        elif isinstance(block, doc.Table):
            _table(word, block, usable_pt, document.landscape)
        elif isinstance(block, doc.Signatures):
            _signatures(word, block, usable_pt)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
