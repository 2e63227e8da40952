"""Sample evidence for the demo units, labelled as samples, taken through the real workflow so
that `make run` shows a public site with something on it (and the benchmark has pages to serve):
every kind of row an assessor meets — monthly PDF and Word reports, a month declared "none"
(no procurement), months not yet published, news with photos."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pypdf import PdfWriter

from ita_portal.lib import thaidate, uploads
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import workflow
from oit_items.evidence.models import Assignment, Evidence
from oit_items.evidence.permissions import item_access, period_of
from oit_items.rulebook.models import Item
from units.models import Role, Unit
from units.permissions import unit_access
from units.signals import published_record_changed

SAMPLE_NOTE = "เอกสารตัวอย่างสำหรับทดลองระบบ (Sample document for the demo)"
PHOTO_NOTE = "ภาพตัวอย่างสำหรับทดลองระบบ (sample photo)"
# (caption, day) of the head's activities: O19 asks for at least three news items with photos.
HEAD_NEWS = [
    ("ผกก. ประชุมชี้แจงการประเมิน ITA ให้ข้าราชการตำรวจในสังกัด", "2023-11-08"),
    ("ผกก. ร่วมกิจกรรมประกาศเจตนารมณ์ไม่รับของขวัญ (No Gift Policy)", "2023-12-05"),
    ("ผกก. เน้นย้ำการป้องกันการทุจริตและการรับสินบนในการประชุมประจำเดือน", "2024-01-10"),
]


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


def _xlsx(title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([title])
    book.active.append([SAMPLE_NOTE])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _photo(seed: int) -> bytes:
    """A made-up picture (shapes on a gradient), clearly not a real photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900))
    draw = ImageDraw.Draw(image)
    for y in range(900):
        draw.line([(0, y), (1200, y)], fill=(30 + seed * 40 % 120, 80 + y // 8, 160 - seed * 25 % 90))
    draw.ellipse([200 + seed * 120, 250, 600 + seed * 120, 650], fill=(240, 200, 60))
    draw.rectangle([700 - seed * 80, 400, 1050 - seed * 80, 800], fill=(235, 235, 240))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _user(unit, role):
    found = Role.objects.filter(unit=unit, role=role).select_related("user").first()
    return found.user if found else None


def _publish(unit, item, month, add) -> bool:
    """Add evidence with `add(period, user)`, then submit, check and approve. Idempotent: a period
    that already has evidence is left as it is."""
    period = period_of(unit, item, month)
    if Evidence.objects.current().filter(item_period=period).exists():
        return False
    assignment = Assignment.objects.filter(unit=unit, item=item).prefetch_related("responsible", "controllers").first()
    admin = _user(unit, Role.ADMIN)
    add(period, admin)
    for action, role in (("submit", Role.ADMIN), ("check", Role.CONTROLLER), ("approve", Role.COMMANDER)):
        user = admin if role == Role.ADMIN else _user(unit, role)
        period = workflow.transition(period, action, user, item_access(user, unit_access(user, unit), assignment))
    return True


def _files(named: list[tuple[str, bytes]], meta: dict):
    def add(period, user):
        validated = [uploads.validate_upload(SimpleUploadedFile(name, content)) for name, content in named]
        evidence_service.add_files(period, validated, meta, user)

    return add


def _none(reason: str, about):
    def add(period, user):
        evidence_service.declare_none(period, reason, about, user)

    return add


def _item(unit, fiscal_year, code):
    return Item.objects.for_unit(unit, fiscal_year).get(code=code)


@transaction.atomic
def publish_samples(unit, fiscal_year: int, code: str, months=(10, 11, 12), photos: int = 0) -> int:
    """A sample PDF and Word file for each month (monthly reports), with `photos` illustrations
    where the item's checks ask for them (the immigration O6 wants at least four). Idempotent."""
    item = _item(unit, fiscal_year, code)
    done = 0
    for month in thaidate.fiscal_year_months(fiscal_year, months):
        label = f"{item.title_th} {thaidate.month_label(month)}"
        named = [(f"{label}.pdf", _pdf(label)), (f"{label}.docx", _docx(label))]
        named += [(f"ภาพประกอบ {number}.jpg", _photo(number)) for number in range(1, photos + 1)]
        done += _publish(unit, item, month, _files(named, {"about_date": month, "description": SAMPLE_NOTE}))
    published_record_changed.send(sender=Evidence, unit=unit)
    return done


@transaction.atomic
def publish_procurement(unit, fiscal_year: int, code: str) -> int:
    """สขร.๑: PDF and Excel in October and December, November declared "no procurement"."""
    item = _item(unit, fiscal_year, code)
    done = 0
    for month in thaidate.fiscal_year_months(fiscal_year, (10, 11, 12)):
        label = f"สรุปผลการจัดซื้อจัดจ้าง (สขร.๑) {thaidate.month_label(month)}"
        if month.month == 11:
            add = _none(f"ไม่มีการจัดซื้อจัดจ้างในเดือน{thaidate.month_label(month, 'full')}", month)
        else:
            add = _files([(f"{label}.pdf", _pdf(label)), (f"{label}.xlsx", _xlsx(label))],
                         {"about_date": month, "description": SAMPLE_NOTE})
        done += _publish(unit, item, month, add)
    published_record_changed.send(sender=Evidence, unit=unit)
    return done


@transaction.atomic
def publish_news(unit, fiscal_year: int, code: str) -> int:
    """The head's participation: three news items, each a captioned, dated photo."""
    import datetime

    item = _item(unit, fiscal_year, code)

    def add(period, user):
        for number, (caption, day) in enumerate(HEAD_NEWS, start=1):
            validated = uploads.validate_upload(SimpleUploadedFile(f"ข่าว {number}.jpg", _photo(number)))
            evidence_service.add_files(period, [validated], {
                "title": caption, "description": PHOTO_NOTE, "about_date": datetime.date.fromisoformat(day),
                "is_news": True}, user)

    done = int(_publish(unit, item, None, add))
    published_record_changed.send(sender=Evidence, unit=unit)
    return done


def publish_all(fiscal_year: int) -> list[str]:
    station, immigration = Unit.objects.get(slug="sn-buengkum"), Unit.objects.get(slug="imm-buengkan")
    return [
        f"{publish_samples(station, fiscal_year, 'O7')} months of O7 for sn-buengkum",
        f"{publish_procurement(station, fiscal_year, 'O15')} months of O15 for sn-buengkum (November: none)",
        f"{publish_news(station, fiscal_year, 'O19')} period of O19 news with photos for sn-buengkum",
        f"{publish_samples(immigration, fiscal_year, 'O6', months=(10, 11), photos=4)} months of O6 for imm-buengkan",
        f"{publish_news(immigration, fiscal_year, 'O18')} period of O18 news with photos for imm-buengkan",
    ]
