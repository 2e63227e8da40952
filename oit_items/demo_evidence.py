"""Sample evidence for the demo units, labelled as samples, taken through the real workflow so
that `make run` shows a public site with something on it (and the benchmark has pages to serve)."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pypdf import PdfWriter

from ita_portal import thaidate
from units.models import Role

from . import evidence as evidence_service
from . import publication, uploads, workflow
from .models import Assignment, Evidence, Item
from .permissions import item_access, period_of
from units.permissions import unit_access

SAMPLE_NOTE = "เอกสารตัวอย่างสำหรับทดลองระบบ (Sample document for the demo)"


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": f"{title} — {SAMPLE_NOTE}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx(title: str) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(SAMPLE_NOTE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _user(unit, role):
    found = Role.objects.filter(unit=unit, role=role).select_related("user").first()
    return found.user if found else None


@transaction.atomic
def publish_samples(unit, fiscal_year: int, code: str, months=(10, 11, 12)) -> int:
    """Upload, submit, check and approve a sample PDF and Word file for each month. Idempotent."""
    item = Item.objects.for_unit(unit, fiscal_year).get(code=code)
    assignment = Assignment.objects.filter(unit=unit, item=item).prefetch_related("responsible", "controllers").first()
    people = {role: _user(unit, role) for role in (Role.RESPONSIBLE, Role.CONTROLLER, Role.COMMANDER)}
    done = 0
    for month in thaidate.fiscal_year_months(fiscal_year, months):
        period = period_of(unit, item, month)
        if Evidence.objects.current().filter(item_period=period).exists():
            continue
        label = f"{item.title_th} {thaidate.month_label(month)}"
        files = [uploads.validate_upload(SimpleUploadedFile(f"{label}.pdf", _pdf(label))),
                 uploads.validate_upload(SimpleUploadedFile(f"{label}.docx", _docx(label)))]
        evidence_service.add_files(period, files, {"about_date": month, "description": SAMPLE_NOTE}, people[Role.RESPONSIBLE])
        for action, role in (("submit", Role.RESPONSIBLE), ("check", Role.CONTROLLER), ("approve", Role.COMMANDER)):
            user = people[role]
            period = workflow.transition(period, action, user, item_access(user, unit_access(user, unit), assignment))
        done += 1
    publication.bump(unit)
    return done
