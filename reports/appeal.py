"""The appeal document (หนังสือชี้แจงผลการประเมิน OIT): a producer of the one render pipeline
(reports.jobs) for a unit's fiscal year. It lists each disputed item whose clarification the commander
approved — code, title, the assessors' remark, the clarification, the item's frozen record (the link
ITAP holds, the public "as submitted" page and every file's SHA-256) and who approved it when — in
PDF and Word, kept privately on the job (it goes to the NACC, not onto the unit's website)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita_portal.lib import thaidate
from oit_items.assessment import appeal, results
from oit_items.assessment.models import HASNT, AssessedItem, Clarification
from oit_items.rulebook.models import Framework
from reports import document as doc
from reports import jobs

KIND = "appeal"
KINDS = {KIND: gettext_lazy("Appeal document")}
FORMATS = ("pdf", "docx")
CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
TITLE = "หนังสือชี้แจงผลการประเมินการเปิดเผยข้อมูลสาธารณะ (OIT) เบื้องต้น"


def approved(unit, fiscal_year: int) -> list[AssessedItem]:
    """The disputed items of the unit's year with an approved clarification, in the items' order."""
    return list(AssessedItem.objects.filter(unit=unit, fiscal_year=fiscal_year, preliminary=HASNT,
                                            clarification__state=Clarification.APPROVED)
                .select_related("item", "clarification__drafted_by__officer", "clarification__approved_by__officer",
                                "clarification__frozen_item")
                .prefetch_related("clarification__frozen_item__files")
                .order_by("item__number"))


def check(kind: str, unit, fiscal_year: int) -> list[AssessedItem]:
    found = approved(unit, fiscal_year)
    if not found:
        raise jobs.JobRefused(_("No clarification is approved yet: the commander approves each item's clarification "
                                "before the appeal document is made."))
    return found


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{thaidate.thai_date(local.date())} เวลา {local:%H:%M} น."


def grouped(sha256: str) -> str:
    """A hash in four lines of 16 characters: it fits a table cell in any viewer, and is read in groups."""
    return "\n".join(sha256[i:i + 16] for i in range(0, len(sha256), 16))


def _files(frozen) -> list:
    if frozen is None:
        return [doc.Paragraph("ไม่มีบันทึกข้อมูลที่ส่งในระบบ ITAP ของข้อนี้")]
    rows = []
    for number, f in enumerate(frozen.files.all(), start=1):
        month = thaidate.month_label(f.month, "full") if f.month else ""
        name = " · ".join(part for part in (f.original_name, month, f"{f.size:,} ไบต์") if part)
        if f.taken_down_at:
            name += f" (นำออกเมื่อ {thaidate.thai_date(timezone.localtime(f.taken_down_at).date())}: {f.takedown_reason})"
        rows.append([number, name, grouped(f.sha256)])
    columns = [doc.Column("ที่", doc.INTEGER, 0.4, total=False), doc.Column("ไฟล์ตามที่ส่ง", width=3.2),
               doc.Column("ค่าแฮช SHA-256", width=2.4)]
    return [doc.Table(columns, rows, caption="ไฟล์ที่เผยแพร่ ณ วันที่ส่ง (บันทึกที่ตรึงไว้)", empty_text="ไม่มีไฟล์")]


def build(unit, fiscal_year: int, items: list[AssessedItem]) -> doc.Document:
    framework = Framework.objects.filter(unit_type_id=unit.unit_type_id, fiscal_year=fiscal_year).first()
    window = appeal.window_text(framework) if framework else ""
    document = doc.Document(title=TITLE, unit_name=unit.name_th, author=unit.name_th,
                            period_label=f"ปีงบประมาณ พ.ศ. {fiscal_year}",
                            addressee="เรียน คณะผู้ประเมิน ITA สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ")
    document.add(doc.Paragraph(
        f"{unit.name_th} ขอชี้แจงผลการประเมินเบื้องต้นตามแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) "
        f"ปีงบประมาณ พ.ศ. {fiscal_year}" + (f" ในช่วงการอุทธรณ์ {window}" if window else "")
        + f" จำนวน {len(items)} ข้อ โดยผู้ประเมินตรวจได้จาก URL เดิมที่หน่วยงานส่งในระบบ ITAP ดังนี้"))
    for assessed in items:
        clarification = assessed.clarification
        frozen = clarification.frozen_item
        document.add(doc.Heading(f"{assessed.item.code} {assessed.item.title_th}"))
        rows = [
            ["ผลการประเมินเบื้องต้น", "ไม่มี"],
            ["ข้อสังเกตของผู้ประเมิน", assessed.assessor_note or "-"],
            ["คำชี้แจงของหน่วยงาน", clarification.text],
            ["URL ที่ส่งในระบบ ITAP", frozen.live_url if frozen else "-"],
            ["ข้อมูลตามที่ส่ง (บันทึกที่ตรึงไว้)", appeal.submitted_url(unit, fiscal_year, assessed.item.code) or "-"],
            ["ผู้จัดทำคำชี้แจง", f"{results.person(clarification.drafted_by)} ({_when(clarification.drafted_at)})"],
            ["อนุมัติโดย", f"{results.person(clarification.approved_by)} เมื่อ {_when(clarification.approved_at)}"],
        ]
        document.add(doc.Table([doc.Column("หัวข้อ", width=1.3), doc.Column("รายละเอียด", width=3.7)], rows))
        document.add(*_files(frozen))
    head = unit.head.display_name if getattr(unit, "head", None) else ""
    document.add(doc.Signatures([doc.Signer("หัวหน้าหน่วยงาน", head, unit.name_th)]))
    return document


def file_name(unit, fiscal_year: int, fmt: str) -> str:
    return doc.file_name("หนังสือชี้แจงผลการประเมิน OIT", f"ปีงบประมาณ {fiscal_year}", fmt,
                         middle=unit.short_name_th or unit.slug)


def produce(job) -> jobs.Production:
    items = check(job.kind, job.unit, job.fiscal_year)  # again: a clarification may have changed since
    document = build(job.unit, job.fiscal_year, items)
    return jobs.Production([jobs.Piece(fmt, file_name(job.unit, job.fiscal_year, fmt), TITLE, document=document, fmt=fmt)
                            for fmt in FORMATS], item=None)
