"""The overview table as Excel (typed cells) and CSV, with the filters and sort of the page."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [_("Unit"), _("Slug"), _("Type"), _("Units counted"), _("Readiness (%)"), _("Items ready"), _("Items"),
            _("Approved"), _("Waiting for check"), _("Waiting for approval"), _("Returned"), _("Overdue"),
            _("Last activity"), _("Unit admin"), _("E-mail"), _("Phone")]


def values(row, contacts) -> list:
    last = timezone.localtime(row.last_activity) if row.last_activity else None
    people = contacts.get(row.pk, [])
    return [row.unit["name_th"], row.unit["slug"], row.unit["unit_type__name_th"], row.units, row.readiness,
            row.ready, row.items, row.approved, row.waiting_check, row.waiting_approval, row.returned, row.overdue,
            last.replace(tzinfo=None) if last else None, ", ".join(p["name"] for p in people),
            ", ".join(p["email"] for p in people if p["email"]), ", ".join(p["phone"] for p in people if p["phone"])]


def _filename(unit, tree, extension) -> str:
    return f"readiness-{unit.slug}-{tree.fiscal_year}.{extension}"


def xlsx_response(unit, tree, rows, contacts) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {tree.fiscal_year}"
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):  # (sheet.max_row would rescan the sheet every row)
        sheet.append(values(row, contacts))
        sheet.cell(row=number, column=13).number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "B2"
    for column, width in zip("ABCDEFGHIJKLMNOP", (40, 18, 22, 10, 12, 10, 8, 10, 12, 12, 10, 10, 18, 30, 30, 16)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(unit, tree, "xlsx")}"'
    return response


def csv_response(unit, tree, rows, contacts) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        line = values(row, contacts)
        line[12] = line[12].isoformat(" ", "minutes") if line[12] else ""
        writer.writerow(["" if v is None else v for v in line])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")  # BOM: Excel reads Thai
    response["Content-Disposition"] = f'attachment; filename="{_filename(unit, tree, "csv")}"'
    return response
