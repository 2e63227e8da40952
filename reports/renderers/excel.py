"""Excel (.xlsx) through openpyxl: typed cells (numbers are numbers, dates are dates), Thai
headers, the header row frozen, one sheet per table.

Totals are written as exact values, not formulas: files generated without a calculation engine
carry no cached result for a formula, and many viewers (phones, previews) would show it empty.
"""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import document as doc

FONT_NAME = "TH Sarabun New"
NUMBER_FORMATS = {
    doc.MONEY: "#,##0.00",
    doc.INTEGER: "#,##0",
    # Thai locale, Buddhist calendar (07), Western digits: shows 1 ต.ค. 2566 for 2023-10-01.
    doc.DATE: "[$-107041E]d mmm yyyy",
}
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
WRAP = Alignment(wrap_text=True, vertical="top")
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


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


def _sheet_title(text: str, used: set) -> str:
    base = _SHEET_UNSAFE.sub(" ", text).strip()[:28] or _("Sheet")
    title, n = base, 2
    while title.lower() in used:
        title, n = f"{base[:25]} ({n})", n + 1
    used.add(title.lower())
    return title


class _Writer:
    def __init__(self, sheet, width: int):
        self.sheet, self.width, self.row = sheet, max(width, 1), 1

    def text(self, value: str, bold: bool = False, size: int = 14) -> None:
        cell = self.sheet.cell(row=self.row, column=1, value=value)
        cell.font = Font(name=FONT_NAME, bold=bold, size=size)
        if self.width > 1:
            self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.row += 1

    def blocks(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, doc.Heading):
                self.text(block.text, bold=True, size=15)
            elif isinstance(block, doc.Paragraph):
                self.text(block.text, bold=block.bold)
            elif isinstance(block, doc.Image) and block.caption:
                self.text(block.caption)

    def table(self, table: doc.Table) -> None:
        if table.caption:
            self.text(table.caption, bold=True)
        header = self.row
        for i, column in enumerate(table.columns, start=1):
            cell = self.sheet.cell(row=header, column=i, value=column.title)
            cell.font = Font(name=FONT_NAME, bold=True, size=14)
            cell.fill, cell.border = HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            self.sheet.column_dimensions[get_column_letter(i)].width = max(8, min(60, 12 * column.width))
        self.sheet.freeze_panes = self.sheet.cell(row=header + 1, column=1)
        self.row += 1
        for values in table.rows:
            self._row(values, table.columns)
        if not table.rows and table.empty_text:
            self.text(table.empty_text)
        if table.total:
            if table.total_span > 1:
                self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=table.total_span)
            self._row(table.total, table.columns, bold=True)

    def _row(self, values, columns, bold: bool = False) -> None:
        for i, (value, column) in enumerate(zip(values, columns), start=1):
            cell = self.sheet.cell(row=self.row, column=i, value=value)
            cell.font = Font(name=FONT_NAME, bold=bold, size=14)
            cell.border, cell.alignment = BORDER, WRAP
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
        self.row += 1


def render(document: doc.Document) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"{document.title} {document.unit_name} {document.period_label}"
    workbook.properties.creator = document.author or document.unit_name
    used = set()
    for before, table, after in _sheets(document):
        sheet = workbook.create_sheet(_sheet_title(table.caption if table and table.caption else document.title, used))
        writer = _Writer(sheet, len(table.columns) if table else 6)
        writer.text(document.title, bold=True, size=16)
        writer.text(f"{document.unit_name} {document.period_label}")
        if document.addressee:
            writer.text(document.addressee)
        writer.blocks(before)
        if table:
            writer.table(table)
        writer.blocks(after)
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if document.landscape else "portrait"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
