"""The import template: three sheets (units, officers, users) and what each column means.

Headers are written `label (key)` in the language of the page; the reader accepts the key, the
Thai or English label, or both, so a file keeps working whoever made it.
"""

import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from units.models import Officer, Role, UnitType
from units.reference import UNIT_TYPES


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation
    help: object = ""
    required: bool = False
    text: bool = False  # stored as text in the template, so that Excel keeps leading zeros


@dataclass(frozen=True)
class Sheet:
    key: str
    title: object
    columns: tuple
    identify: tuple  # the columns a CSV file of this sheet must have

    @property
    def keys(self):
        return [c.key for c in self.columns]

    def column(self, key) -> Column:
        return next(c for c in self.columns if c.key == key)


NOTE = Column("note", _("Note"), _("Anything you want to keep beside the row; not imported."))

UNITS = Sheet("units", _("Units"), (
    Column("slug", _("Unit code"), _("Lower-case letters, digits and hyphens, e.g. sn-buengkum. Part of the public address: never change it."), True),
    Column("parent", _("Parent unit"), _("Unit code of the unit above (in this file or already in the portal). Empty only for the top unit.")),
    Column("type", _("Unit type"), _("One of: %(types)s (code or Thai name)."), True),
    Column("name_th", _("Name (Thai)"), "", True),
    Column("name_en", _("Name (English)")),
    Column("short_name_th", _("Short name (Thai)"), _("e.g. สน.บึงกุ่ม")),
    Column("short_name_en", _("Short name (English)")),
    Column("address", _("Address")),
    Column("phone", _("Phone"), "", False, True),
    Column("email", _("E-mail")),
    Column("website", _("Website"), _("A full address, e.g. https://buengkan.immigration.go.th")),
    Column("facebook", _("Facebook page"), _("A full address, e.g. https://www.facebook.com/...")),
    Column("latitude", _("Latitude"), _("Decimal degrees, e.g. 13.7563")),
    Column("longitude", _("Longitude"), _("Decimal degrees, e.g. 100.5018")),
    Column("head", _("Head of unit"), _("Officer code (sheet Officers) of the head of the unit.")),
    NOTE,
), identify=("slug", "type"))

OFFICERS = Sheet("officers", _("Officers"), (
    Column("key", _("Officer code"), _("A code that stays the same in every import, e.g. bk-wittaya (letters, digits, hyphens)."), True),
    Column("unit", _("Unit code"), _("The officer's unit (sheet Units or already in the portal)."), True),
    Column("rank", _("Rank"), _("As written, with หญิง and ว่าที่ where they apply, e.g. ว่าที่ พ.ต.ท.หญิง. One of: %(ranks)s. Empty for civilians.")),
    Column("first_name", _("First name"), "", True),
    Column("last_name", _("Last name")),
    Column("position", _("Position"), _("e.g. สว.อก.สน.บึงกุ่ม")),
    Column("line_of_work", _("Line of work"), _("Police station: %(police)s. Immigration unit: %(immigration)s.")),
    Column("phone", _("Phone"), "", False, True),
    Column("email", _("E-mail"), _("Where the invitation goes when the officer gets a login.")),
    Column("aliases", _("Other spellings"), _("Other ways documents write the name, separated by commas.")),
    NOTE,
), identify=("key", "first_name"))

USERS = Sheet("users", _("Users"), (
    Column("username", _("Username"), _("Letters, digits and @ . + - _ only, e.g. bk-admin. One row per role: repeat the username for a second role."), True),
    Column("unit", _("Unit code"), _("The unit on which the role is held."), True),
    Column("role", _("Role"), _("One of: %(roles)s (code or name)."), True),
    Column("officer", _("Officer code"), _("The officer this login belongs to (optional; an officer has one login).")),
    Column("email", _("E-mail"), _("Where the invitation goes; needed unless the officer's e-mail is given. Never changes an existing login.")),
    NOTE,
), identify=("username", "role"))

SHEETS = (UNITS, OFFICERS, USERS)


def help_params() -> dict:
    """The closed sets the columns' explanations list."""
    lines = {entry[0]: ", ".join(line[1] for line in entry[5]) for entry in UNIT_TYPES}
    return {
        "types": ", ".join(f"{code} ({name})" for code, name, *_rest in UNIT_TYPES),
        "ranks": " ".join(th for th, _en in Officer.RANKS),
        "police": lines[UnitType.POLICE_STATION],
        "immigration": lines[UnitType.IMMIGRATION_UNIT],
        "roles": ", ".join(f"{code} ({label})" for code, label in Role.CHOICES),
    }


def header(column: Column) -> str:
    return f"{column.label} ({column.key})"


def explain(column: Column, params: dict) -> str:
    return str(column.help) % params if column.help else ""


def workbook(rows_by_sheet: dict | None = None) -> bytes:
    """The template as XLSX: an explanation sheet, then the three sheets with their headers and,
    when given, rows (`{"units": [{key: value}]}`) — the sample file is the template filled in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    params = help_params()
    book = Workbook()
    guide = book.active
    guide.title = str(_("How to fill in"))[:31]
    guide.append([str(_("Sheet")), str(_("Column")), str(_("Required")), str(_("What to write"))])
    for sheet in SHEETS:
        for column in sheet.columns:
            guide.append([str(sheet.title), header(column), str(_("yes")) if column.required else "", explain(column, params)])
    guide.append([])
    for line in (_("Every row is checked first (dry run); nothing is stored until you apply, and then all at once."),
                 _("An empty cell leaves what the portal has; importing the same file again changes nothing."),
                 _("New logins get an e-mail invitation to choose their own password; no password is ever in this file.")):
        guide.append([str(line)])
    for cells in guide.iter_rows(min_row=1, max_row=1):
        for cell in cells:
            cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (14, 34, 10, 100)):
        guide.column_dimensions[letter].width = width
    for sheet in SHEETS:
        ws = book.create_sheet(str(sheet.title)[:31])
        ws.append([header(c) for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[ws.cell(1, index).column_letter].width = 22
        for row in (rows_by_sheet or {}).get(sheet.key, []):
            ws.append([row.get(c.key, "") for c in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            if column.text:
                for (cell,) in ws.iter_rows(min_row=2, max_row=max(ws.max_row, 500), min_col=index, max_col=index):
                    cell.number_format = "@"
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def labels_in_every_language(column: Column) -> set[str]:
    found = {column.key}
    for language in ("th", "en"):
        with translation.override(language):
            found.add(str(column.label))
            found.add(header(column))
    return {text.strip().lower() for text in found}
