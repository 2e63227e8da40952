"""For the unit's admin: the ITAP sheet (every item with the public URL to enter in ITAP, whether it
passes its checks and, once the record is frozen, the address of the item as submitted) and QR codes
of the public pages for the service-point signs. The commander submits the year to ITAP from here:
the record is frozen (freezing.py)."""

import csv
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from ita_portal.lib import languages, thaidate
from ita_portal.lib.site import site_url
from oit_items.assessment import freezing
from oit_items.assessment.models import FrozenItem, ItapRecord
from oit_items.evidence import workspace
from oit_items.rulebook.models import Item
from units.permissions import get_public_unit, get_unit_for

# Every public page of a unit that a sign or a poster may point to.
PUBLIC_PAGES = {"public-unit", "public-index", "public-item", "public-questions", "public-complaint",
                "public-complaint-track"}


def sheet_rows(unit, fiscal_year) -> list[dict]:
    space = workspace.build(unit, fiscal_year, today=timezone.localdate())
    paths = {row.item.pk: reverse("public-item", args=[unit.slug, fiscal_year, row.item.code.lower()]) for row in space.rows}
    frozen = set(FrozenItem.objects.filter(record__unit=unit, record__fiscal_year=fiscal_year).values_list("item_id", flat=True))
    return [{
        "code": row.item.code, "title_th": row.item.title_th, "title_en": row.item.title_en,
        "path": paths[row.item.pk], "url": site_url() + paths[row.item.pk],
        "submitted_url": site_url() + reverse("itap-submitted-item", args=[unit.slug, fiscal_year, row.item.code.lower()])
        if row.item.pk in frozen else "",
        "passes": row.check.passed, "approved": sum(c.state == "approved" for c in row.cells), "periods": len(row.cells),
        "ready": row.ready,
    } for row in space.rows]


def _headers():
    return [_("Item"), _("Thai title"), _("English title"), _("Public URL for ITAP"), _("Checks pass"),
            _("Approved periods"), _("Ready"), _("As submitted to ITAP")]


def _values(row):
    yes, no = _("yes"), _("no")
    return [row["code"], row["title_th"], row["title_en"], row["url"], yes if row["passes"] else no,
            f'{row["approved"]}/{row["periods"]}', yes if row["ready"] else no, row["submitted_url"]]


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
        if row["submitted_url"]:
            sheet.cell(row=sheet.max_row, column=8).hyperlink = row["submitted_url"]
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", (6, 60, 45, 60, 12, 14, 10, 70)):
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
    record = ItapRecord.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    return render(request, "oit_items/itap.html", {"unit": unit, "fiscal_year": fiscal_year, "rows": rows,
                                                   "access": access, "record": record})


@login_required
@require_POST
def itap_submit(request, slug, fiscal_year):
    """The commander submits the year to ITAP: the record is frozen as the public pages show it now.
    Two-step verification applies as to an approval (the middleware asks for it first)."""
    unit, _access = get_unit_for(request.user, slug, "approve")
    if not Item.objects.for_unit(unit, fiscal_year).exists():
        raise Http404
    record, created = freezing.freeze(unit, fiscal_year, ItapRecord.SUBMITTED, request.user)
    when = thaidate.thai_date(timezone.localtime(record.frozen_at).date())
    if created:
        messages.success(request, _("Submitted to ITAP: the record of fiscal year %(year)s is frozen as the public pages "
                                    "show it now (%(when)s).") % {"year": fiscal_year, "when": when})
    else:
        messages.info(request, _("Already submitted to ITAP on %(when)s: that record stays as it was.") % {"when": when})
    return redirect("itap", slug=unit.slug, fiscal_year=fiscal_year)


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
        with translation.override(languages.language_of(path)):  # an English page's channels: /en/u/…
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
