"""Importing the assessors' results from a spreadsheet: the template, reading it, the dry run and
applying what a clean dry run planned (the house's pattern: units/onboarding).

One row per unit and item: unit code, item code, preliminary, final, remark. A verdict is has / hasn't
or มี / ไม่มี; an empty cell leaves what the portal has, so importing the same file twice changes
nothing the second time. The dry run lists, per row in Thai, what would change or why it is refused —
an unknown unit or item, a verdict that is neither, a unit the importer may not enter results for,
a unit and item given twice — and if any row is refused nothing at all is stored.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oit_items.assessment.models import AssessedItem
from oit_items.assessment.permissions import may_enter
from oit_items.assessment.results import EntryRefused, parse_verdict, planned_values
from oit_items.rulebook.models import Item
from units.models import Unit
from units.onboarding.columns import Column, Sheet, header
from units.onboarding.outcome import CREATE, REFUSE, UNCHANGED, UPDATE, RowResult
from units.onboarding.reader import FileProblem, header_map

SHEET = Sheet("assessment", gettext_lazy("Assessment results"), (
    Column("unit", gettext_lazy("Unit code"), gettext_lazy("The unit's code in the portal, e.g. sn-buengkum."), True),
    Column("item", gettext_lazy("Item code"), gettext_lazy("The OIT item, e.g. O7 (as in that unit's list for the year)."), True),
    Column("preliminary", gettext_lazy("Preliminary result"),
           gettext_lazy("has or hasn't (มี or ไม่มี); empty leaves what the portal has.")),
    Column("final", gettext_lazy("Final result"),
           gettext_lazy("has or hasn't (มี or ไม่มี), after the appeal; empty leaves what the portal has.")),
    Column("remark", gettext_lazy("Assessors' remark"), gettext_lazy("What the assessors wrote; empty leaves what the portal has.")),
), identify=("unit", "item"))
FIELD_OF = {"preliminary": "preliminary", "final": "final", "remark": "assessor_note"}
MAX_ROWS = 60000  # every unit of the country times its items, with room


# --- the template -----------------------------------------------------------------------------

def template_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    guide = book.active
    guide.title = str(_("How to fill in"))[:31]
    guide.append([str(_("Column")), str(_("Required")), str(_("What to write"))])
    for column in SHEET.columns:
        guide.append([header(column), str(_("yes")) if column.required else "", str(column.help)])
    guide.append([])
    for line in (_("One row per unit and item. The fiscal year is chosen when importing."),
                 _("Every row is checked first (dry run); if any row is refused nothing is stored."),
                 _("An empty cell leaves what the portal has; importing the same file again changes nothing.")):
        guide.append([str(line)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", (30, 10, 90)):
        guide.column_dimensions[letter].width = width
    ws = book.create_sheet(str(SHEET.title)[:31])
    ws.append([header(c) for c in SHEET.columns])
    ws.append(["sn-buengkum", "O7", "ไม่มี", "", "ไม่พบรายงานเดือนมีนาคม"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDE":
        ws.column_dimensions[letter].width = 24
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header(c) for c in SHEET.columns])
    writer.writerow(["sn-buengkum", "O7", "ไม่มี", "", "ไม่พบรายงานเดือนมีนาคม"])
    return buffer.getvalue().encode("utf-8-sig")


# --- reading ----------------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(rows, source: str) -> list[tuple[int, dict]]:
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise FileProblem(_("%(source)s is empty.") % {"source": source})
    mapping = header_map(SHEET, list(first), source)
    found = []
    for number, cells in enumerate(rows, start=2):
        values = {key: _cell(cells[index]) if index < len(cells) else "" for index, key in mapping.items()}
        if any(values.values()):
            found.append((number, values))
            if len(found) > MAX_ROWS:
                raise FileProblem(_("%(source)s has more than %(count)s rows.") % {"source": source, "count": MAX_ROWS})
    return found


def read(name: str, data: bytes) -> list[tuple[int, dict]]:
    """[(row number as the spreadsheet shows it, {column key: text})] from an XLSX or CSV file."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise FileProblem(_("%(name)s is not an Excel workbook (.xlsx) that can be opened.") % {"name": name})
        try:
            wanted = {str(SHEET.title).lower(), SHEET.key}
            sheets = sorted(book.worksheets, key=lambda ws: ws.title.strip().lower() not in wanted)
            for ws in sheets:  # the sheet of that name first, else the first one with the columns
                try:
                    return _table(ws.iter_rows(values_only=True), f"{name} › {ws.title}")
                except FileProblem:
                    if ws is sheets[-1]:
                        raise
        finally:
            book.close()
    if name.lower().endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileProblem(_("%(name)s is not UTF-8 text. Save the CSV as “CSV UTF-8”.") % {"name": name})
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return _table(csv.reader(io.StringIO(text), dialect), name)
    raise FileProblem(_("%(name)s: only .xlsx and .csv files can be imported.") % {"name": name})


# --- the dry run ------------------------------------------------------------------------------

@dataclass
class Plan:
    fiscal_year: int
    results: list = field(default_factory=list)  # RowResult per row
    writes: list = field(default_factory=list)  # (AssessedItem, changed field names, new?)

    @property
    def refused(self) -> list:
        return [r for r in self.results if r.action == REFUSE]

    @property
    def may_apply(self) -> bool:
        return not self.refused and bool(self.writes)

    def counts(self) -> dict:
        found = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REFUSE: 0}
        for result in self.results:
            found[result.action] += 1
        return found


def check(rows, fiscal_year: int, user=None) -> Plan:
    """What importing `rows` would do; `user` None is the command line (every unit). Reads what
    exists in a fixed number of queries and writes nothing."""
    plan = Plan(fiscal_year)
    slugs = {values.get("unit", "") for _number, values in rows} - {""}
    units = {u.slug: u for u in Unit.objects.filter(slug__in=slugs).select_related("unit_type")}
    items = {}
    for item in (Item.objects.filter(framework__fiscal_year=fiscal_year, retired=False,
                                     framework__unit_type_id__in={u.unit_type_id for u in units.values()})
                 .select_related("framework")):
        items[(item.framework.unit_type_id, item.code.upper())] = item
    existing = {(a.unit_id, a.item_id): a for a in AssessedItem.objects.filter(unit__in=units.values(), fiscal_year=fiscal_year)}
    rights, seen = {}, {}
    for number, values in rows:
        result = RowResult(SHEET.key, number, f"{values.get('unit', '')} {values.get('item', '')}".strip())
        plan.results.append(result)

        def refuse(message, result=result, number=number):
            result.errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": message})
            result.action = REFUSE

        unit = units.get(values.get("unit", ""))
        code = values.get("item", "").strip().upper()
        if unit is None:
            refuse(_("there is no unit with the code “%(code)s”.") % {"code": values.get("unit", "")})
            continue
        if unit.slug not in rights:
            rights[unit.slug] = user is None or may_enter(user, unit)
        if not rights[unit.slug]:
            refuse(_("you may not enter the assessment results of %(unit)s.") % {"unit": unit.name_th})
            continue
        item = items.get((unit.unit_type_id, code))
        if item is None:
            refuse(_("%(unit)s has no item “%(code)s” in fiscal year %(year)s.")
                   % {"unit": unit.name_th, "code": values.get("item", ""), "year": fiscal_year})
            continue
        if (unit.pk, item.pk) in seen:
            refuse(_("%(unit)s %(code)s is already on row %(first)s.")
                   % {"unit": unit.name_th, "code": item.code, "first": seen[(unit.pk, item.pk)]})
            continue
        seen[(unit.pk, item.pk)] = number
        verdicts = {}
        for key in ("preliminary", "final"):
            try:
                verdicts[key] = parse_verdict(values.get(key, ""))
            except EntryRefused as problem:
                refuse(f"{SHEET.column(key).label}: {problem.message}")
        if result.action == REFUSE:
            continue
        current = existing.get((unit.pk, item.pk))
        try:
            changes = planned_values(current, verdicts["preliminary"], verdicts["final"], values.get("remark", ""))
        except EntryRefused as problem:
            refuse(problem.message)
            continue
        if not changes:
            continue
        labels = {"preliminary": SHEET.column("preliminary").label, "final": SHEET.column("final").label,
                  "assessor_note": SHEET.column("remark").label}
        result.action = UPDATE if current else CREATE
        result.changes = [f"{labels[name]}: {_display(name, value)}" for name, value in changes.items()]
        target = current or AssessedItem(unit=unit, item=item, fiscal_year=fiscal_year)
        for name, value in changes.items():
            setattr(target, name, value)
        plan.writes.append((target, list(changes), current is None))
    return plan


def _display(name, value) -> str:
    if name == "assessor_note":
        return value
    return dict(AssessedItem._meta.get_field(name).choices)[value]


@transaction.atomic
def apply(plan: Plan, user=None) -> int:
    """Write what a clean dry run planned, all at once; the number of items changed."""
    if plan.refused:
        raise FileProblem(_("Nothing was stored: some rows are refused."))
    now = timezone.now()
    new = [target for target, _names, created in plan.writes if created]
    old = [target for target, _names, created in plan.writes if not created]
    for target in new + old:
        target.source, target.updated_by, target.updated_at = AssessedItem.IMPORTED, user, now
    AssessedItem.objects.bulk_create(new, batch_size=2000)
    AssessedItem.objects.bulk_update(old, ["preliminary", "final", "assessor_note", "source", "updated_by", "updated_at"],
                                     batch_size=2000)
    return len(new) + len(old)
