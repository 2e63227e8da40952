"""The overview table as Excel (typed cells) and CSV, with the filters and sort of the page: the
readiness, the admin's contacts, then the commander's, the predicted score and the years before
(new columns go at the end, so that sheets people already built on keep their columns)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from oit_items.overview.figures import OUTLOOK_LABELS
from units.models import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers(tree) -> list[str]:
    earlier = []
    for year in tree.trend_years:
        earlier += [_("Predicted score %(year)s") % {"year": year}, _("Final result %(year)s") % {"year": year}]
    return [_("Unit"), _("Slug"), _("Type"), _("Units counted"), _("Readiness (%)"), _("Items ready"), _("Items"),
            _("Approved"), _("Waiting for check"), _("Waiting for approval"), _("Returned"), _("Overdue"),
            _("Last activity"), _("Unit admin"), _("E-mail"), _("Phone"), pgettext("assessment", "Commander"),
            _("Commander's e-mail"), _("Commander's phone"), pgettext("assessment", "Predicted score"),
            pgettext("assessment", "Pass mark"), pgettext("assessment", "Heading"), pgettext("assessment", "Final result"),
            *earlier, _("Unit's phone"), _("Unit's e-mail")]


def _people(people) -> list[str]:
    return [", ".join(p["name"] for p in people), ", ".join(p["email"] for p in people if p["email"]),
            ", ".join(p["phone"] for p in people if p["phone"])]


def _number(value):
    return None if value is None else float(value)


def values(row, contacts, tree) -> list:
    last = timezone.localtime(row.last_activity) if row.last_activity else None
    people = contacts.get(row.pk, {})
    outlook = row.outlook
    if outlook is None:  # a level above: how many of its units are heading below the pass mark
        heading = _("%(below)s of %(units)s units below the pass mark") % {"below": row.units_below, "units": row.units}
    else:
        heading = str(OUTLOOK_LABELS[outlook])
    earlier = []
    for year in row.trend or [{"score": None, "final": None}] * len(tree.trend_years):  # a level above: none
        earlier += [_number(year["score"]), _number(year["final"])]
    return [row.unit["name_th"], row.unit["slug"], row.unit["unit_type__name_th"], row.units, row.readiness,
            row.ready, row.items, row.approved, row.waiting_check, row.waiting_approval, row.returned, row.overdue,
            last.replace(tzinfo=None) if last else None, *_people(people.get(Role.ADMIN, [])),
            *_people(people.get(Role.COMMANDER, [])), _number(row.score), _number(row.pass_mark), heading,
            _number(row.final), *earlier, row.unit["phone"], row.unit["email"]]


def _filename(unit, tree, extension) -> str:
    return f"readiness-{unit.slug}-{tree.fiscal_year}.{extension}"


def xlsx_response(unit, tree, rows, contacts) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {tree.fiscal_year}"
    sheet.append(headers(tree))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):  # (sheet.max_row would rescan the sheet every row)
        sheet.append(values(row, contacts, tree))
        sheet.cell(row=number, column=13).number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "B2"
    widths = (40, 18, 22, 10, 12, 10, 8, 10, 12, 12, 10, 10, 18, 30, 30, 16, 30, 30, 16, 10, 10, 28, 10)
    for number, width in enumerate(widths + (12,) * 2 * len(tree.trend_years) + (16, 30), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(unit, tree, "xlsx")}"'
    return response


def csv_response(unit, tree, rows, contacts) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(tree))
    for row in rows:
        line = values(row, contacts, tree)
        line[12] = line[12].isoformat(" ", "minutes") if line[12] else ""
        writer.writerow(["" if v is None else v for v in line])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")  # BOM: Excel reads Thai
    response["Content-Disposition"] = f'attachment; filename="{_filename(unit, tree, "csv")}"'
    return response
