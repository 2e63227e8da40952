"""Excel (.xlsx) through openpyxl: typed cells (numbers are numbers, dates are dates), one sheet per
table, and sheets that print: A4, landscape where the table is wide, scaled to the page width, the
header row repeated on every page, rows as tall as their wrapped text.

Neither Excel nor LibreOffice sizes rows to their content when it opens a file, so every row gets
its height here, from the same text measurement as the PDF's columns (reports.renderers.layout)
and the font's own line height (the height a spreadsheet gives a line of text). The columns are
the PDF's, widened by the print scale (print_scale()).

Totals are `SUM` formulas over the rows above them, so that a clerk who changes an amount gets a
right total, and each carries its cached result (the sum the document computed), written into the
file after openpyxl saves it: openpyxl has no calculation engine and leaves the result empty, which
viewers that do not recalculate (phones, previews) would show as an empty total. Every data table
has an autofilter over its header and rows (not the total), a frozen header, and a print title;
a sheet is named after its table's caption or, without one, the heading above the table (O7's
lines of work).
"""

import functools
import io
import math
import re
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.properties import PageSetupProperties

from reports import document as doc
from reports.renderers import layout, pdf, thai_fonts

FONT_NAME = "TH Sarabun New"
NUMBER_FORMATS = {
    doc.MONEY: "#,##0.00",
    doc.INTEGER: "#,##0",
    # Thai locale, Buddhist calendar (07), Western digits: shows 1 ต.ค. 2566 for 2023-10-01.
    doc.DATE: "[$-107041E]d mmm yyyy",
}
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL, GROUP_FILL = PatternFill("solid", fgColor="E8E8E8"), PatternFill("solid", fgColor="F4F4F4")
TITLE_PT, HEADING_PT = 16, 15
CELL_PADDING_PT = 2  # above and below the text of a row
WRAP_PADDING_PT = 4  # left and right of the text of a cell, as spreadsheets draw it
# Rows are measured as if a twentieth narrower: a spreadsheet breaks Thai with its own dictionary (no
# zero-width spaces in cell values, which a clerk edits and filters), so its lines may come out a
# little longer than ours, and a row too low would hide its last line.
WRAP_SAFETY = 0.95
MAX_SHEET_TITLE = 31
MAX_ROW_PT = 409  # the tallest row Excel allows
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


@functools.lru_cache(maxsize=1)
def line_em() -> float:
    """A line of text in a cell, in em, as LibreOffice spaces it: the font's typographic ascent,
    descent and line gap when the font asks for them (USE_TYPO_METRICS, as the TLWG fonts do),
    else its Windows ascent and descent."""
    from fontTools.ttLib import TTFont

    path = thai_fonts.source_font()
    if path is None:
        return 1.7
    font = TTFont(str(path), lazy=True)
    os2, upem = font["OS/2"], font["head"].unitsPerEm
    if os2.fsSelection & (1 << 7):
        return (os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap) / upem
    return (os2.usWinAscent + os2.usWinDescent) / upem


@functools.lru_cache(maxsize=1)
def print_scale() -> float:
    """How much a sheet is scaled down to print (fit to the page width): a spreadsheet spaces lines
    by the font's own line height (line_em(), 1.7 em for the TLWG fonts), which no cell format can
    change, against the PDF's 1.25 em, so a wrapped row printed at full size is a third taller
    than in the PDF and a long สขร.1 took half as many pages again. The columns are made 1/scale as
    wide as the PDF's (fewer lines a cell) and the page is scaled by scale (shorter lines): a row
    then prints scale² × line_em / 1.25 as tall as in the PDF, about as tall. On screen the text
    keeps its size and the columns are wider."""
    return round(math.sqrt(layout.LINE_EM / line_em()), 2)


def _digit_width_px(size_pt: float) -> float:
    """Excel's "maximum digit width" of the default font, in pixels: the unit of column widths."""
    return max(layout.text_width(d, size_pt) for d in "0123456789") * 96 / 72


def _sheets(document: doc.Document) -> list[tuple[list, doc.Table | None, list]]:
    """(text blocks before, table, text blocks after) per sheet: each table gets its own sheet,
    text stays with the table that follows it, and text after the last table stays on its sheet."""
    sheets, pending = [], []
    for block in document.blocks:
        if isinstance(block, doc.Table):
            sheets.append((pending, block, []))
            pending = []
        else:
            pending.append(block)
    if not sheets:
        return [(pending, None, [])]
    if pending:
        sheets[-1][2].extend(pending)
    return sheets


def sheet_title(text: str, used: set) -> str:
    """At most 31 characters (Excel's limit), cut at a word boundary, unique in the workbook."""
    base = " ".join(_SHEET_UNSAFE.sub(" ", text).split()).strip("'") or _("Sheet")
    title, n = doc.shorten(base, MAX_SHEET_TITLE), 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = doc.shorten(base, MAX_SHEET_TITLE - len(suffix)) + suffix, n + 1
    used.add(title.lower())
    return title


class _Writer:
    def __init__(self, sheet, widths_pt: list[float], size_pt: float, default_pt: float | None = None):
        """default_pt: the workbook's default font size, the unit of column widths (size_pt, the
        table's, may be smaller: layout.fitting_size)."""
        self.sheet, self.widths, self.size, self.row = sheet, widths_pt, size_pt, 1
        self.cached = {}  # cell reference → the value of its formula
        digit = _digit_width_px(default_pt or size_pt)
        for i, width in enumerate(widths_pt, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = round(width * 96 / 72 / digit, 2)

    def _height(self, row: int, lines: int, size_pt: float) -> None:
        height = lines * size_pt * line_em() + 2 * CELL_PADDING_PT
        current = self.sheet.row_dimensions[row].height or 0
        self.sheet.row_dimensions[row].height = round(min(max(current, height), MAX_ROW_PT), 1)

    def text(self, value: str, bold: bool = False, size: float | None = None, fill=None) -> None:
        """Text across the whole width of the sheet (merged cells), as tall as it wraps; text taller
        than a row may be goes on in the rows under it (see _pieces)."""
        size = size or self.size
        for piece in _pieces(value, sum(self.widths), size, bold):
            cell = self.sheet.cell(row=self.row, column=1, value=piece)
            cell.font = Font(name=FONT_NAME, bold=bold, size=size)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if fill:
                cell.fill = fill
            if len(self.widths) > 1:
                self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=len(self.widths))
            self._height(self.row, _line_count(piece, sum(self.widths), size, bold), size)
            self.row += 1

    def blocks(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, doc.Heading):
                self.text(block.text, bold=True, size=HEADING_PT)
            elif isinstance(block, doc.Paragraph):
                self.text(block.text, bold=block.bold)
            elif isinstance(block, doc.Image) and block.caption:
                self.text(block.caption)
            elif isinstance(block, doc.Signatures):
                self.row += 1
                for signer in block.signers:
                    self.signer(signer)

    def signer(self, signer: doc.Signer) -> None:
        if signer.note:
            self.text(signer.note)
        self.text(f"{_('(Signed)')} {doc.SIGN_HERE} {signer.title}")
        self.text(f"( {signer.name or doc.SIGN_HERE} )")
        if signer.position:
            self.text(signer.position)
        self.text(f"{_('Date')} ........ / ........ / ........")
        self.row += 1

    def table(self, table: doc.Table) -> int:
        """Write the table; returns the row of its header."""
        if table.caption:
            self.text(table.caption, bold=True)
        header = self.row
        for i, column in enumerate(table.columns, start=1):
            cell = self.sheet.cell(row=header, column=i, value=column.title)
            cell.font = Font(name=FONT_NAME, bold=True, size=self.size)
            cell.fill, cell.border = HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        self._height(header, self._lines([c.title for c in table.columns], bold=True), self.size)
        self.sheet.freeze_panes = self.sheet.cell(row=header + 1, column=1)
        self.row += 1
        for values in table.rows:
            if isinstance(values, doc.GroupRow):
                self.text(values.text, bold=True, fill=GROUP_FILL)
                continue
            self._row(values, table.columns)
        if not table.rows and table.empty_text:
            self.text(table.empty_text)
        last = self.row - 1
        if table.rows:
            self.sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(table.columns))}{last}"
        if table.total:
            if table.total_span > 1:
                self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=table.total_span)
            self._row(table.total, table.columns, bold=True, span=table.total_span)
            if table.rows:
                self._sums(table, header + 1, last)
        return header

    def _sums(self, table: doc.Table, first: int, last: int) -> None:
        """The total row's sums as SUM formulas over the rows above, their values kept as cached results."""
        total = self.row - 1
        for i, column in enumerate(table.columns, start=1):
            cell = self.sheet.cell(row=total, column=i)
            if column.summed and not isinstance(cell.value, (str, type(None))):
                letter = get_column_letter(i)
                self.cached[f"{letter}{total}"] = cell.value
                cell.value = f"=SUM({letter}{first}:{letter}{last})"

    def _lines(self, texts: list[str], bold: bool = False, span: int = 1) -> int:
        widths = [sum(self.widths[:span])] + self.widths[span:] if span > 1 else self.widths
        texts = texts[:1] + texts[span:] if span > 1 else texts
        return max((_line_count(t, w, self.size, bold) for t, w in zip(texts, widths) if t), default=1)

    def _row(self, values, columns, bold: bool = False, span: int = 1) -> None:
        """A row of the table; one whose text is taller than a row may be (MAX_ROW_PT) goes on in
        the rows under it, its long cells cut between lines, its other cells in the first row only
        (a SUM counts each amount once), the rows drawn as one."""
        lines = self._lines([doc.format_value(v, c.kind) for v, c in zip(values, columns)], bold, span)
        if span > 1 or lines <= _most_lines(self.size):
            return self._cells(values, columns, bold, span, lines=lines)
        parts = [_pieces(v, w, self.size, bold) if isinstance(v, str) else [v] for v, w in zip(values, self.widths)]
        count = max(map(len, parts))
        for k in range(count):
            edges = Border(left=THIN, right=THIN, top=THIN if k == 0 else None, bottom=THIN if k == count - 1 else None)
            self._cells([p[k] if k < len(p) else None for p in parts], columns, bold, border=edges)

    def _cells(self, values, columns, bold: bool = False, span: int = 1, border=BORDER, lines: int | None = None) -> None:
        for i, (value, column) in enumerate(zip(values, columns), start=1):
            cell = self.sheet.cell(row=self.row, column=i, value=value)
            cell.font = Font(name=FONT_NAME, bold=bold, size=self.size)
            cell.border = border
            numeric = column.numeric and not isinstance(value, str)  # a label may sit in a numeric column
            cell.alignment = Alignment(wrap_text=not numeric, vertical="top", horizontal="right" if numeric else None)
            if column.kind in NUMBER_FORMATS and not isinstance(value, (str, type(None))):
                cell.number_format = NUMBER_FORMATS[column.kind]
        if lines is None:
            lines = self._lines([doc.format_value(v, c.kind) if v is not None else "" for v, c in zip(values, columns)], bold)
        self._height(self.row, lines, self.size)
        self.row += 1


def _line_count(text: str, width_pt: float, size_pt: float, bold: bool) -> int:
    """How many lines text takes in a cell width_pt wide, as a spreadsheet may break it (see WRAP_SAFETY)."""
    return layout.line_count(text, width_pt * WRAP_SAFETY - WRAP_PADDING_PT, size_pt, bold)


def _most_lines(size_pt: float) -> int:
    """The lines the tallest row a spreadsheet allows holds."""
    return int((MAX_ROW_PT - 2 * CELL_PADDING_PT) / (size_pt * line_em()))


def _pieces(text: str, width_pt: float, size_pt: float, bold: bool) -> list[str]:
    """text in pieces that each fit the tallest row (MAX_ROW_PT) of a cell width_pt wide, cut
    where its lines break: a longer text in one row would print cut off (its row cannot grow)."""
    lines = layout.wrap(text, width_pt * WRAP_SAFETY - WRAP_PADDING_PT, size_pt, bold)
    most = _most_lines(size_pt)
    if len(lines) <= most:
        return [text]
    return ["".join(lines[i:i + most]).strip("\n ") for i in range(0, len(lines), most)]


def _print_setup(sheet, document: doc.Document, widths_pt: list[float], header_row: int | None) -> None:
    """A4, landscape where the table is wider than a portrait page, scaled to the page width (as
    many pages down as it takes), the header row on every page, the unit, month and page number
    in the margins."""
    portrait_pt = pdf.PAGE_MM[False][0] * pdf.PT_PER_MM
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wide = sum(widths_pt) * print_scale() > portrait_pt * 1.02
    sheet.page_setup.orientation = "landscape" if document.landscape or wide else "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_margins.left, sheet.page_margins.right = 20 / 25.4, 15 / 25.4
    sheet.page_margins.top, sheet.page_margins.bottom = 22 / 25.4, 18 / 25.4
    sheet.page_margins.header, sheet.page_margins.footer = 10 / 25.4, 8 / 25.4
    sheet.print_options.horizontalCentered = True
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddHeader.left.text, sheet.oddHeader.right.text = document.unit_name, document.period_label
    sheet.oddFooter.center.text = f"{_('Page')} &P / &N"
    for part in (sheet.oddHeader.left, sheet.oddHeader.right, sheet.oddFooter.center):
        part.font, part.size = FONT_NAME, 11


def render(document: doc.Document) -> bytes:
    size = pdf.TABLE_PT[document.landscape]
    workbook = Workbook()
    # The default font is the unit of column widths and the font of empty cells: TH Sarabun New too.
    workbook._fonts = IndexedList([Font(name=FONT_NAME, size=size)])
    workbook._named_styles["Normal"].font = Font(name=FONT_NAME, size=size)
    workbook.remove(workbook.active)
    workbook.properties.title = f"{document.title} {document.unit_name} {document.period_label}"
    workbook.properties.creator = document.author or document.unit_name
    used, cached = set(), []
    usable_pt = pdf.PAGE_MM[document.landscape][0] * pdf.PT_PER_MM / print_scale()
    for before, table, after in _sheets(document):
        sheet = workbook.create_sheet(sheet_title(_sheet_name(document, before, table), used))
        table_size = layout.fitting_size(table, usable_pt, size) if table else size
        widths = layout.column_widths(table, usable_pt, table_size) if table else [usable_pt / 6] * 6
        writer = _Writer(sheet, widths, table_size, size)
        writer.text(document.title, bold=True, size=TITLE_PT)
        writer.text(f"{document.unit_name} {document.period_label}")
        if document.addressee:
            writer.text(document.addressee)
        writer.blocks(before)
        header = writer.table(table) if table else None
        writer.blocks(after)
        _print_setup(sheet, document, widths, header)
        cached.append(writer.cached)
    out = io.BytesIO()
    workbook.save(out)
    return with_cached_results(out.getvalue(), cached)


def _sheet_name(document: doc.Document, before: list, table: doc.Table | None) -> str:
    """What the sheet holds: its table's caption, else the heading just above the table, else the
    document's title."""
    if table and table.caption:
        return table.caption
    headings = [b.text for b in before if isinstance(b, doc.Heading)]
    return headings[-1] if table and headings else document.title


_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)?</c>')


def with_cached_results(content: bytes, cached: list[dict]) -> bytes:
    """The workbook with each formula's result written beside it (<v>), per sheet in order."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            match = re.fullmatch(r"xl/worksheets/sheet([0-9]+)\.xml", info.filename)
            if match and int(match.group(1)) <= len(cached) and cached[int(match.group(1)) - 1]:
                values = cached[int(match.group(1)) - 1]

                def result(found, values=values):
                    ref, attributes, formula = found.groups()
                    if ref not in values:
                        return found.group(0)
                    return f'<c r="{ref}"{attributes}><f>{formula}</f><v>{values[ref]}</v></c>'

                data = _FORMULA_CELL.sub(result, data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()

