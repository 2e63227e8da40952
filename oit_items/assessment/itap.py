"""For the unit's admin: the ITAP sheet (every item with the public URL to enter in ITAP and
whether it passes its checks) and QR codes of the public pages for the service-point signs."""

import csv
import io

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ita_portal.lib.site import site_url
from oit_items.evidence import workspace
from oit_items.rulebook.models import Item
from units.permissions import get_public_unit, get_unit_for

# Every public page of a unit that a sign or a poster may point to.
PUBLIC_PAGES = {"public-unit", "public-index", "public-item", "public-questions", "public-complaint",
                "public-complaint-track"}


def sheet_rows(unit, fiscal_year) -> list[dict]:
    space = workspace.build(unit, fiscal_year, today=timezone.localdate())
    paths = {row.item.pk: reverse("public-item", args=[unit.slug, fiscal_year, row.item.code.lower()]) for row in space.rows}
    return [{
        "code": row.item.code, "title_th": row.item.title_th, "title_en": row.item.title_en,
        "path": paths[row.item.pk], "url": site_url() + paths[row.item.pk],
        "passes": row.check.passed, "approved": sum(c.state == "approved" for c in row.cells), "periods": len(row.cells),
        "ready": row.ready,
    } for row in space.rows]


def _headers():
    return [_("Item"), _("Thai title"), _("English title"), _("Public URL for ITAP"), _("Checks pass"),
            _("Approved periods"), _("Ready")]


def _values(row):
    yes, no = _("yes"), _("no")
    return [row["code"], row["title_th"], row["title_en"], row["url"], yes if row["passes"] else no,
            f'{row["approved"]}/{row["periods"]}', yes if row["ready"] else no]


def sheet_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "ITAP"
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_values(row))
        link = sheet.cell(row=sheet.max_row, column=4)
        link.hyperlink = row["url"]
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (6, 60, 45, 60, 12, 14, 10)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    writer.writerows(_values(row) for row in rows)
    return "\ufeff" + buffer.getvalue()


@login_required
def itap_page(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "itap")
    rows = sheet_rows(unit, fiscal_year)
    if not rows:
        raise Http404
    return render(request, "oit_items/itap.html", {"unit": unit, "fiscal_year": fiscal_year, "rows": rows, "access": access})


@login_required
def itap_download(request, slug, fiscal_year, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    unit, _access = get_unit_for(request.user, slug, "itap")
    rows = sheet_rows(unit, fiscal_year)
    if not rows:
        raise Http404
    name = f"itap-{unit.slug}-{fiscal_year}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(sheet_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(sheet_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page_exists(unit, match) -> bool:
    """A QR code is made only for a page that answers: an existing fiscal year, an existing item."""
    year, code = match.kwargs.get("fiscal_year"), match.kwargs.get("code")
    if year is None:
        return True
    items = Item.objects.for_unit(unit, year)
    return items.filter(code__iexact=code).exists() if code else items.exists()


def qr_code(request, slug, fmt):
    """A QR code (PNG or SVG) of one of this unit's public pages: `?path=/u/<slug>/ita/2567/o7/`,
    `?path=/u/<slug>/complaints/new/` …; 404 for a page that does not exist."""
    if fmt not in ("png", "svg"):
        raise Http404
    unit = get_public_unit(slug)
    path = request.GET.get("path", reverse("public-unit", args=[slug]))
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404
    if match.url_name not in PUBLIC_PAGES or match.kwargs.get("slug") != slug or not _page_exists(unit, match):
        raise Http404
    qr = segno.make(site_url() + path, error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=8, border=4, xmldecl=False)
        content_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=10, border=4)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
