"""The measures document (O24 police / O23 immigration) and the report on it (O25 / O24), built
as a format-neutral `reports.document.Document` for the reports renderers.

The documents are published in Thai whatever language the officer uses the portal in, and their
fixed words (headings of columns, labels) are those of the seeds: they are Thai text here, not
translatable interface strings.
"""

import io

from ita_portal.lib import thaidate
from measures import indicators, kinds
from measures.models import CalendarPhase, Measure, MeasurePlan, Tracked
from reports import document as doc

OSS_COLUMNS = ("ด้าน", "ประเด็นที่ต้องปรับปรุง/ยกระดับการพัฒนา", "ผู้รับผิดชอบ")
OIT_COLUMNS = ("ด้าน", "ประเด็นที่ต้องยกระดับการพัฒนา/ดำเนินการ", "ผู้รับผิดชอบ")
ANALYSIS_COLUMNS = ("ตัวชี้วัดการประเมิน ITA", "ประเด็นที่ต้องปรับปรุงและยกระดับพัฒนา")
ACTIVITY_COLUMNS = ("ตัวชี้วัด", "ประเด็นที่ต้องเตรียมความพร้อม/ยกระดับ", "กิจกรรมที่จะดำเนินการ", "ผลผลิต",
                    "วิธีการสร้างการรับรู้", "ระยะเวลาแล้วเสร็จ", "ผู้รับผิดชอบ", "ระยะเวลากำกับติดตาม")
CALENDAR_COLUMNS = ("ที่", "ช่วงระยะเวลา", "ขั้นตอน", "การดำเนินงาน", "ผู้รับผิดชอบ")
DEFAULT_GROUP_LABELS = {Measure.OIT: "▪ การจัดทำ OIT", Measure.WEBSITE: "▪ การปรับปรุง และจัดทำเว็บไซต์",
                        Measure.MONITORING: "▪ การกำกับติดตาม การเผยแพร่ข้อมูลสาธารณะ"}
REPORT_TITLE = "การรายงานผลการดำเนินการตามมาตรการการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน"
PHOTO_MAX_PX = 1600


class Printer:
    """Numbers and dates the way this plan prints them (Thai digits for the police seed)."""

    def __init__(self, plan: MeasurePlan):
        self.thai = plan.thai_digits

    def digits(self, value) -> str:
        return thaidate.to_thai_digits(value) if self.thai else str(value)

    def date(self, day, style="abbr") -> str:
        return thaidate.thai_date(day, style, thai_digits=self.thai) if day else ""

    def deadline(self, row: Tracked) -> str:
        return " ".join(part for part in (self.date(row.deadline), row.deadline_note) if part)

    def period(self, phase: CalendarPhase) -> str:
        if phase.period_text:
            return phase.period_text
        return f"{self.date(phase.starts, 'full')} ถึง {self.date(phase.ends, 'full')}"

    def code(self, code: str) -> str:
        return "O" + self.digits(code[1:]) if code[:1] == "O" and code[1:].isdigit() else code


def people_text(row) -> str:
    """The cell as the plan writes it; the linked officers when it writes nothing."""
    if row.people.strip():
        return row.people.strip()
    responsible = [o.display_name for o in row.responsible.all()]
    controllers = [o.display_name for o in row.controllers.all()]
    lines = responsible + (["ผู้ควบคุม"] + controllers if controllers else [])
    return "\n".join(lines)


def _paragraphs(text: str, **kwargs) -> list:
    return [doc.Paragraph(line.strip(), **kwargs) for line in (text or "").splitlines() if line.strip()]


def _heading(text: str, level: int = 2) -> list:
    return [doc.Heading(" ".join(text.split()), level)] if text and text.strip() else []


def _columns(titles, widths) -> list:
    return [doc.Column(title, width=width) for title, width in zip(titles, widths)]


def plan_queryset():
    return MeasurePlan.objects.select_related("unit__unit_type", "unit__head", "briefing_chair_officer")


def _measures(plan):
    return list(plan.measures.for_plan_page().select_related("item"))


def _activities(plan):
    return list(plan.activities.for_plan_page())


def new_document(plan: MeasurePlan, title: str, landscape: bool) -> doc.Document:
    printer = Printer(plan)
    period = f"ประจำปีงบประมาณ พ.ศ. {printer.digits(plan.fiscal_year)}"
    return doc.Document(
        title=title, unit_name=plan.unit.name_th, author=plan.unit.name_th, landscape=landscape,
        period_label=period, cover=cover(plan, title, period),
    )


def cover(plan: MeasurePlan, title: str, period: str) -> doc.Cover:
    """The seeds' cover page: the title, the year, the unit (in English too when it has a name in
    English), its phone and website, under its emblem."""
    unit = plan.unit
    lines = [" ".join(title.split()), period, unit.name_th, unit.name_en.upper() if unit.name_en else "",
             unit.phone, unit.website]
    return doc.Cover([line for line in lines if line], emblem=_emblem(unit))


def _emblem(unit) -> bytes:
    if not unit.emblem:
        return b""
    from PIL import Image

    try:
        with unit.emblem.open("rb") as stored, Image.open(stored) as image:
            image = image.convert("RGB")
            image.thumbnail((600, 600))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88)
    except (OSError, ValueError):  # an unreadable emblem leaves the cover without it
        return b""
    return out.getvalue()


def signature(plan: MeasurePlan) -> list:
    """The head's signature block as the seed signs it: ลงชื่อ, the name, the position and the date.
    The plan's signature text gives the name (its lines before the last, brackets dropped) and the
    position (its last line); without it, the unit's head."""
    lines = [line.strip() for line in (plan.signature or "").splitlines() if line.strip()]
    head = plan.unit.head
    if lines:
        name = "".join(line.strip("()") for line in lines[:-1]) if len(lines) > 1 else lines[0]
        position = lines[-1] if len(lines) > 1 else ""
    elif head is not None:
        name, position = head.display_name, head.position
    else:
        return []
    return [doc.Signatures([doc.Signer("", name=name, position=position)])]


def acknowledged_by_the_head(plan: MeasurePlan) -> doc.Signatures:
    """The report's closing: who reports it, and the head's acknowledgement (ทราบ / สั่งการ)."""
    head = plan.unit.head
    return doc.Signatures([
        doc.Signer("ผู้รายงาน"),
        doc.Signer("หัวหน้าหน่วย", name=head.display_name if head else "", position=head.position if head else "",
                   note=f"ทราบ / สั่งการ {doc.SIGN_HERE}"),
    ])


# --- the measures document (O24 / O23) -------------------------------------------------------------

def measures_document(plan: MeasurePlan) -> doc.Document:
    printer = Printer(plan)
    measures, activities = _measures(plan), _activities(plan)
    document = new_document(plan, plan.title, landscape=bool(activities))
    document.add(*_paragraphs(plan.introduction))
    document.add(*_briefing(plan, printer))
    document.add(*_analysis(plan))
    document.add(*_heading(plan.measures_heading), *_paragraphs(plan.measures_intro))
    document.add(*_heading(plan.guidelines_heading, 3))
    document.add(*_heading(plan.oss_heading, 3), _oss_table(measures))
    document.add(*_heading(plan.oit_heading, 3), _oit_table(plan, measures, printer))
    if activities:
        document.add(*_heading(plan.activities_heading), _activity_table(activities, printer))
    phases = list(plan.phases.prefetch_related("responsible", "controllers"))
    if plan.print_calendar and phases:
        document.add(*_heading(plan.calendar_heading), _calendar_table(phases, printer))
    document.add(*_paragraphs(plan.closing_note), *signature(plan))
    document.add(*_briefing_caption(plan, printer))
    return document


def _briefing(plan, printer) -> list:
    blocks = _heading(plan.briefing_heading) + _paragraphs(plan.briefing_purpose)
    if plan.order_number or plan.order_date:
        order = " ".join(part for part in (
            plan.order_title, f"ที่ {plan.order_number}" if plan.order_number else "",
            f"ลงวันที่ {printer.date(plan.order_date, 'full')}" if plan.order_date else "") if part)
        blocks.append(doc.Paragraph(order))
    return blocks + _paragraphs(plan.briefing_follow_up)


def _briefing_caption(plan, printer) -> list:
    """The briefing's caption and date at the end, and its photos under them (the seed's last page)."""
    photos = [doc.Image(photo_jpeg(photo), caption=photo.caption) for photo in plan.briefing_photos.for_document()]
    blocks = _paragraphs(plan.briefing_title, keep_with_next=bool(photos))  # on the page of the photos
    if plan.briefing_date:
        place = f" ณ {plan.briefing_place}" if plan.briefing_place else ""
        blocks.append(doc.Paragraph(f"วันที่ {printer.date(plan.briefing_date, 'full')}{place}", keep_with_next=bool(photos)))
    return blocks + photos


def _analysis(plan) -> list:
    analyses = {a.indicator: a for a in plan.analyses.all()}
    if not analyses:
        return []
    printer = Printer(plan)
    rows = []
    for instrument in indicators.INSTRUMENTS:
        numbers = [i.number for i in indicators.INDICATORS if i.instrument == instrument.key and i.number in analyses]
        if numbers:
            rows.append(doc.GroupRow(instrument.th))
        rows += [[f"{printer.digits(n)}) {indicators.INDICATOR[n].th}", analyses[n].issues] for n in numbers]
    table = doc.Table(_columns(ANALYSIS_COLUMNS, (1, 3)), rows)
    return _heading(plan.analysis_heading) + _paragraphs(plan.analysis_intro) + [table]


def _oss_table(measures) -> doc.Table:
    rows = [[m.aspect, m.points, people_text(m)] for m in measures if m.area == Measure.ONE_STOP]
    return doc.Table(_columns(OSS_COLUMNS, (1.2, 3, 1.8)), rows, empty_text="-")


def _oit_table(plan, measures, printer) -> doc.Table:
    labels = {Measure.OIT: plan.oit_items_label, Measure.WEBSITE: plan.website_label,
              Measure.MONITORING: plan.monitoring_label}
    rows = []
    for area in (Measure.OIT, Measure.WEBSITE, Measure.MONITORING):
        group = [m for m in measures if m.area == area]
        if group:
            rows.append(doc.GroupRow(labels[area] or DEFAULT_GROUP_LABELS[area]))
        for m in group:
            aspect = f"{printer.code(m.code)} {m.aspect}" if m.code else m.aspect
            rows.append([aspect, m.points, people_text(m)])
    return doc.Table(_columns(OIT_COLUMNS, (1.2, 3, 1.8)), rows, empty_text="-")


def _activity_table(activities, printer) -> doc.Table:
    rows, previous = [], None
    for a in activities:
        same_indicator = previous is not None and previous.indicator == a.indicator
        indicator = "" if same_indicator else f"{printer.digits(a.indicator)}) {indicators.INDICATOR[a.indicator].th}"
        issue = "" if same_indicator and previous.issue == a.issue else a.issue  # a merged cell in the seed
        rows.append([indicator, issue, a.activity, a.output, a.communication, printer.deadline(a), people_text(a),
                     a.follow_up])
        previous = a
    return doc.Table(_columns(ACTIVITY_COLUMNS, (1, 1.3, 1.6, 1.2, 1.3, 0.9, 1.3, 0.8)), rows)


def _calendar_table(phases, printer) -> doc.Table:
    rows, stage, number = [], None, 0
    for phase in phases:
        if phase.stage != stage:
            stage, number = phase.stage, 0
            rows.append(doc.GroupRow(indicators.STAGE[stage].th))  # across the table, not in the narrow ที่
        number += 1
        rows.append([printer.digits(number), printer.period(phase), phase.step, phase.work, people_text(phase)])
    return doc.Table(_columns(CALENDAR_COLUMNS, (0.3, 1.2, 1.5, 2.6, 1.6)), rows)


# --- the report on the measures (O25 / O24) --------------------------------------------------------

def _results(row: Tracked, printer) -> str:
    updates = sorted(row.updates.all(), key=lambda u: (u.date, u.pk))
    return "\n".join(f"{printer.date(u.date)} {u.text}" for u in updates) or "-"


def _status(row: Tracked) -> str:
    status = Tracked.STATUS_TH[row.status]
    return f"{status} (เกินกำหนด)" if row.overdue else status


def progress_document(plan: MeasurePlan, title: str = "", photos: bool = True) -> doc.Document:
    printer = Printer(plan)
    measures = list(plan.measures.for_plan_page().select_related("item").prefetch_related("updates__photos"))
    activities = list(plan.activities.for_plan_page().prefetch_related("updates__photos"))
    document = new_document(plan, title or REPORT_TITLE, landscape=False)
    document.add(*_report_briefing(plan, printer))
    document.add(doc.Heading("(๑) ผลการดำเนินการตามมาตรการการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน/One Stop Service"))
    rows = [[m.aspect, _results(m, printer), _status(m)] for m in measures if m.area == Measure.ONE_STOP]
    document.add(doc.Table(_columns(("ด้าน", "ผลการดำเนินการ", "สถานะ"), (1.3, 3, 1)), rows, empty_text="-"))
    document.add(doc.Heading("การยกระดับการเผยแพร่ข้อมูลสาธารณะ (OIT)", 3))
    rows = [[f"{printer.code(m.code)} {m.aspect}".strip(), _results(m, printer), _status(m)]
            for m in measures if m.area != Measure.ONE_STOP]
    document.add(doc.Table(_columns(("ด้าน", "ผลการดำเนินการ", "สถานะ"), (1.3, 3, 1)), rows, empty_text="-"))
    if activities:
        document.add(doc.Heading("ผลการดำเนินการตามแผนกิจกรรม", 3), _activity_results(activities, printer))
    if photos:
        document.add(*_photo_blocks(measures + activities, printer))
    return document.add(acknowledged_by_the_head(plan))


def _report_briefing(plan, printer) -> list:
    if not (plan.briefing_date or plan.briefing_chair):
        return []
    parts = [plan.briefing_title or "การประชุมชี้แจงของหัวหน้าหน่วย"]
    if plan.briefing_date:
        parts.append(f"วันที่ {printer.date(plan.briefing_date, 'full')}")
    if plan.briefing_place:
        parts.append(f"ณ {plan.briefing_place}")
    if plan.briefing_chair:
        parts.append(f"โดยมี {plan.briefing_chair} เป็นประธาน")
    return [doc.Paragraph(" ".join(parts))]


def _activity_results(activities, printer) -> doc.Table:
    rows = [[f"{printer.digits(a.indicator)}) {indicators.INDICATOR[a.indicator].th}", a.activity, printer.deadline(a),
             _results(a, printer), _status(a)] for a in activities]
    titles = ("ตัวชี้วัด", "กิจกรรมที่จะดำเนินการ", "ระยะเวลาแล้วเสร็จ", "ผลการดำเนินการ", "สถานะ")
    return doc.Table(_columns(titles, (1, 2, 0.9, 2, 0.9)), rows)


def _photo_blocks(rows, printer) -> list:
    blocks = [doc.Heading("(๒) ภาพกิจกรรมที่แสดงถึงการนำมาตรการไปปฏิบัติจริง/การพัฒนาจุดบริการ อย่างเป็นรูปธรรม")]
    count = 0
    for row in rows:
        photos = [(u, p) for u in sorted(row.updates.all(), key=lambda u: (u.date, u.pk)) for p in u.photos.all()]
        if not photos:
            continue
        label = row.aspect if isinstance(row, Measure) else row.activity
        blocks.append(doc.Paragraph(f"ภาพ{label}" if isinstance(row, Measure) and row.area == Measure.ONE_STOP else label, bold=True))
        for update, photo in photos:
            caption = " ".join(part for part in (photo.caption, printer.date(update.date)) if part)
            blocks.append(doc.Image(photo_jpeg(photo), caption=caption))
            count += 1
    if not count:
        blocks.append(doc.Paragraph("-"))
    return blocks


def photo_jpeg(photo) -> bytes:
    """The stored photo as a JPEG of print size (the renderers take JPEG or PNG; uploads may be WebP)."""
    from PIL import Image

    with photo.file.open("rb") as stored, Image.open(stored) as image:
        image = image.convert("RGB")
        image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
    return out.getvalue()


def title(kind: str, plan: MeasurePlan, item) -> str:
    """The measures document is called what the plan calls it; the report, what its OIT item does."""
    return plan.title if kind == kinds.MEASURES_DOCUMENT else item.title_th


def file_name(kind: str, plan: MeasurePlan, item, fmt: str) -> str:
    """"O25 การรายงานผล… ปีงบประมาณ 2567.pdf": the item and its title (shortened at a word boundary)
    and the fiscal year, within the length limits of file names."""
    unit = plan.unit.short_name_th or plan.unit.slug
    return doc.file_name(item.code, f"ปีงบประมาณ {plan.fiscal_year}", fmt, middle=f"{title(kind, plan, item)} {unit}")


def build(kind: str, plan: MeasurePlan, title: str = "") -> doc.Document:
    if kind == kinds.MEASURES_DOCUMENT:
        return measures_document(plan)
    return progress_document(plan, title=title)

