"""The permanent public pages of the record as submitted to ITAP: the list of its items, each item as
frozen, and its files (served only while they are in a frozen record and not taken down).

They never change afterwards — later approvals, replacements and new months do not touch them — so
nothing that varies (a CSRF token, "now") is on them; only a PDPA takedown changes them, and moves
their stamp (freezing.RECORD_STAMP), under which they are cached like the other public pages.
"""

import datetime

from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponseGone
from django.shortcuts import get_object_or_404, redirect, render

from ita_portal.lib import files, pagecache
from oit_items.assessment.freezing import RECORD_STAMP
from oit_items.assessment.models import FrozenFile, FrozenItem, ItapRecord
from units.permissions import get_public_unit


def record_stamp(slug, fiscal_year) -> str:
    """Changes when the record is frozen and with each takedown in it."""
    def latest():
        found = (ItapRecord.objects.filter(unit__slug=slug, fiscal_year=fiscal_year)
                 .aggregate(frozen=Max("frozen_at"), down=Max("items__files__taken_down_at")))
        times = [t for t in found.values() if t]
        return max(times) if times else None

    return pagecache.live_stamp(RECORD_STAMP, f"{slug}-{fiscal_year}", latest)


def submitted_index(request, slug, fiscal_year):
    def page():
        unit = get_public_unit(slug)
        record = get_object_or_404(ItapRecord.objects.select_related("unit"), unit=unit, fiscal_year=fiscal_year)
        items = (record.items.order_by("number").only("code", "number", "title_th", "live_url", "record_id")
                 .annotate(file_count=Count("files", filter=Q(files__taken_down_at__isnull=True)),
                           taken_down=Count("files", filter=Q(files__taken_down_at__isnull=False))))
        return render(request, "assessment/submitted_index.html", {
            "unit": unit, "record": record, "fiscal_year": fiscal_year, "items": items})

    return pagecache.cached(request, page, record_stamp(slug, fiscal_year))


def submitted_item(request, slug, fiscal_year, code):
    if code != code.lower():
        return redirect("itap-submitted-item", slug=slug, fiscal_year=fiscal_year, code=code.lower(), permanent=True)

    def page():
        unit = get_public_unit(slug)
        frozen = get_object_or_404(FrozenItem.objects.select_related("record"), record__unit=unit,
                                   record__fiscal_year=fiscal_year, code__iexact=code)
        by_revision = {f.revision_id: f for f in frozen.files.all()}
        periods = [{**row, "month": _parsed(datetime.date, row["month"]),
                    "approved_at": _parsed(datetime.datetime, row["approved_at"]),
                    "entries": [{**entry, "file": by_revision.get(entry.get("revision"))} for entry in row["entries"]]}
                   for row in frozen.content.get("periods", [])]
        return render(request, "assessment/submitted_item.html", {
            "unit": unit, "record": frozen.record, "frozen": frozen, "content": frozen.content, "periods": periods,
            "fiscal_year": fiscal_year})

    return pagecache.cached(request, page, record_stamp(slug, fiscal_year))


def _parsed(kind, value):
    return kind.fromisoformat(value) if value else None


def submitted_file(request, slug, fiscal_year, code, pk):
    """A file of the record: 404 unless it is in this unit's frozen item, 410 once taken down."""
    frozen = get_object_or_404(FrozenFile.objects.select_related("revision", "frozen_item__record__unit"), pk=pk)
    record = frozen.frozen_item.record
    if record.unit.slug != slug or record.fiscal_year != fiscal_year or frozen.frozen_item.code.lower() != code.lower():
        raise Http404
    if frozen.taken_down_at:
        return HttpResponseGone()
    revision = frozen.revision
    # Revalidated on every use, as on the live pages: a takedown is seen at once (410).
    return files.revalidated(request, revision.sha256, revision.file, frozen.original_name, revision.content_type,
                             as_attachment=revision.format != "image")
