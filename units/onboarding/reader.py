"""Read an import file into tables of rows: XLSX (a sheet per table) or CSV (one table per file,
recognised by its columns), UTF-8 with or without BOM, Thai text.

Problems with the file itself (not a spreadsheet, not UTF-8, a sheet without its required
columns) raise FileProblem with a Thai message naming the file, sheet and column.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from units.onboarding.columns import SHEETS, Sheet, labels_in_every_language


class FileProblem(ValueError):
    pass


@dataclass
class Table:
    sheet: Sheet
    source: str  # file (and sheet) name, for messages
    rows: list = field(default_factory=list)  # [(row number as the spreadsheet shows it, {key: text})]
    cleaned: dict = field(default_factory=dict)  # {row number: [column keys whose text was tidied]}


class Tables(dict):
    """{sheet key: Table}, and what the file held that was not read (named in the dry run's report)."""

    def __init__(self):
        super().__init__()
        self.warnings: list[str] = []


# Characters a copy from a web page or a Word file leaves in Thai text: invisible in the cell, yet they
# make "สน.บึงกุ่ม" and "สน.บึง​กุ่ม" two names (searches and the public page then miss one).
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
ODD_SPACES = re.compile("[\u00a0\u2007\u202f\u3000]")
REPEATED_SPACES = re.compile("[ \t]{2,}")


def tidy(text: str) -> str:
    """Thai text as it is meant: no zero-width characters, plain single spaces."""
    text = ODD_SPACES.sub(" ", INVISIBLE.sub("", text))
    return REPEATED_SPACES.sub(" ", text).strip()


def _text(value) -> str:
    """A cell as the text a person typed: 13.0 → "13", dates as d/m/BE, None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%d/%m/") + str(value.year + 543)
    return str(value).strip()


def header_map(sheet: Sheet, header: list[str], source: str) -> dict[int, str]:
    """Column index → column key; refuses a sheet that lacks a required column."""
    known = {label: column.key for column in sheet.columns for label in labels_in_every_language(column)}
    mapping = {}
    for index, title in enumerate(header):
        key = known.get(_text(title).lower())
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [c for c in sheet.columns if c.required and c.key not in mapping.values()]
    if missing:
        names = ", ".join(f"“{c.label} ({c.key})”" for c in missing)
        raise FileProblem(_("%(source)s: the required column(s) %(columns)s are missing from the first row.")
                          % {"source": source, "columns": names})
    return mapping


def _table(sheet: Sheet, rows, source: str) -> Table:
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise FileProblem(_("%(source)s is empty.") % {"source": source})
    mapping = header_map(sheet, list(header), source)
    table = Table(sheet, source)
    for number, cells in enumerate(rows, start=2):
        values = {key: _text(cells[index]) if index < len(cells) else "" for index, key in mapping.items()}
        if any(value for key, value in values.items() if key != "note"):
            tidied = {key: tidy(value) for key, value in values.items()}
            changed = [key for key in values if key != "note" and tidied[key] != values[key]]
            if changed:
                table.cleaned[number] = changed
            table.rows.append((number, tidied))
    return table


def _sheet_for_title(title: str) -> Sheet | None:
    from django.utils import translation

    wanted = title.strip().lower()
    for sheet in SHEETS:
        names = {sheet.key}
        for language in ("th", "en"):
            with translation.override(language):
                names.add(str(sheet.title).lower())
        if wanted in names:
            return sheet
    return None


def _sheet_for_header(header: list[str]) -> Sheet | None:
    for sheet in SHEETS:
        present = set()
        for column in sheet.columns:
            labels = labels_in_every_language(column)
            if any(_text(title).lower() in labels for title in header):
                present.add(column.key)
        if set(sheet.identify) <= present:
            return sheet
    return None


def _guide_titles() -> set[str]:
    from django.utils import translation

    titles = set()
    for language in ("th", "en"):
        with translation.override(language):
            titles.add(str(_("How to fill in"))[:31].lower())
    return titles


def read_xlsx(name: str, data: bytes, warnings: list | None = None) -> list[Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileProblem(_("%(name)s is not an Excel workbook (.xlsx) that can be opened.") % {"name": name})
    tables = []
    try:
        for ws in book.worksheets:
            sheet = _sheet_for_title(ws.title)
            if sheet is not None:
                tables.append(_table(sheet, ws.iter_rows(values_only=True), f"{name} › {ws.title}"))
            elif warnings is not None and ws.title.strip().lower() not in _guide_titles():
                warnings.append(_("%(name)s: the sheet “%(sheet)s” is not one of %(sheets)s and was not read.")
                                % {"name": name, "sheet": ws.title, "sheets": ", ".join(f"“{s.title}”" for s in SHEETS)})
    finally:
        book.close()
    if not tables:
        raise FileProblem(_("%(name)s has none of the sheets %(sheets)s.")
                          % {"name": name, "sheets": ", ".join(f"“{s.title}”" for s in SHEETS)})
    return tables


def read_csv(name: str, data: bytes) -> list[Table]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("%(name)s is not UTF-8 text. Save the CSV as “CSV UTF-8”.") % {"name": name})
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise FileProblem(_("%(source)s is empty.") % {"source": name})
    sheet = _sheet_for_header(rows[0])
    if sheet is None:
        raise FileProblem(_("%(name)s: the first row is not the header of units, officers or users (see the template).")
                          % {"name": name})
    return [_table(sheet, rows, name)]


def read(files) -> Tables:
    """[(name, bytes)] → {"units": Table, "officers": Table, "users": Table} (those present)."""
    tables = Tables()
    for name, data in files:
        lower = name.lower()
        if lower.endswith(".xlsx"):
            found = read_xlsx(name, data, tables.warnings)
        elif lower.endswith((".csv", ".txt")):
            found = read_csv(name, data)
        else:
            raise FileProblem(_("%(name)s: only .xlsx and .csv files can be imported.") % {"name": name})
        for table in found:
            if table.sheet.key in tables:
                raise FileProblem(_("%(sheet)s are given twice (%(first)s and %(second)s).")
                                  % {"sheet": table.sheet.title, "first": tables[table.sheet.key].source, "second": table.source})
            tables[table.sheet.key] = table
    return tables
