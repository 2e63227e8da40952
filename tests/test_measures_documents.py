"""The O24 (police) / O23 (immigration) measures documents hold every row of their seed, in PDF and
Word; the render job attaches them, and the report on the measures, as draft whole-year evidence."""

import io
import re

import docx
import pytest
from pypdf import PdfReader

from ita_portal.lib import thaidate
from measures import documents, indicators, kinds, progress
from measures.models import Measure, MeasurePlan
from oit_items.evidence.models import Evidence, ItemPeriod
from oit_items.rulebook.models import Item
from reports import document as doc
from reports import jobs
from reports.models import RenderJob
from reports.renderers import render
from tests import pdf_engines
from tests.data import measures_seed_rows as seed
from tests.data.measures_files import jpeg

FY = 2567


def squash(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)  # and the zero-width spaces between Word's Thai words


def pdf_text(content: bytes) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def word_tables(content: bytes) -> list[list[list[str]]]:
    return [[[squash(cell.text) for cell in row.cells] for row in table.rows] for table in docx.Document(io.BytesIO(content)).tables]


def word_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return squash("\n".join([p.text for p in document.paragraphs]
                            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Both seed units' measures documents, rendered once for the module (PDF, Word). The tests that
    use it also ask for `db`, so that they run with the database tests, before any transactional
    test flushes the demo data."""
    with django_db_blocker.unblock():
        out = {}
        for slug in ("sn-buengkum", "imm-buengkan"):
            document = documents.measures_document(documents.plan_queryset().get(unit__slug=slug, fiscal_year=FY))
            out[slug] = {"pdf": render(document, "pdf"), "docx": render(document, "docx")}
    return out


def code_label(number: int, thai: bool) -> str:
    return "O" + (thaidate.to_thai_digits(number) if thai else str(number))


def find_row(tables, predicate):
    rows = [row for table in tables for row in table if predicate(row)]
    assert len(rows) == 1, f"{len(rows)} rows match"
    return "".join(rows[0])


CASES = [
    ("sn-buengkum", True, seed.POLICE_OIT_ROWS, seed.POLICE_ONE_STOP_ROWS, seed.POLICE_WEBSITE_AND_MONITORING_ROWS,
     seed.POLICE_OFFICERS),
    ("imm-buengkan", False, seed.IMMIGRATION_OIT_ROWS, seed.IMMIGRATION_ONE_STOP_ROWS,
     seed.IMMIGRATION_WEBSITE_AND_MONITORING_ROWS, seed.IMMIGRATION_OFFICERS),
]


@pytest.mark.parametrize("slug, thai, oit_rows, one_stop_rows, other_rows, officers", CASES)
def test_every_oit_row_with_its_officers_in_pdf_and_word(db, rendered, slug, thai, oit_rows, one_stop_rows, other_rows, officers):
    pdf, tables = pdf_text(rendered[slug]["pdf"]), word_tables(rendered[slug]["docx"])
    for number, title, phrase, names in oit_rows:
        label = squash(code_label(number, thai) + title)
        assert label in pdf and squash(phrase) in pdf, (number, title)
        row = find_row(tables, lambda r, label=label: r[0].startswith(label))
        assert squash(phrase) in row, (number, phrase)
        for name in names:
            assert squash(name) in row, (number, name)
            assert squash(name) in pdf, (number, name)
    for aspect, phrase, names in one_stop_rows + other_rows:
        row = find_row(tables, lambda r, aspect=aspect, phrase=phrase: squash(aspect) in r[0] and squash(phrase) in r[1])
        assert all(squash(name) in row for name in names), aspect
        # A tall row may split across pages (under the repeated header): its words are there.
        assert all(squash(part) in pdf for part in aspect.split()) and squash(phrase) in pdf
    for name in officers:
        assert squash(name) in pdf and squash(name) in word_text(rendered[slug]["docx"]), name
    # No row more than the seed has: the O-rows are exactly O1…On.
    labels = [r[0] for table in tables for r in table if re.match(r"^O[0-9๐-๙]+", r[0]) and len(r) == 3]
    assert len(labels) == len(oit_rows)


def test_police_activity_plan_analysis_and_calendar(db, rendered):
    pdf = pdf_text(rendered["sn-buengkum"]["pdf"])
    tables = word_tables(rendered["sn-buengkum"]["docx"])
    plan_rows = [row for table in tables if len(table[0]) == 8 for row in table[1:]]
    assert len(plan_rows) == len(seed.POLICE_ACTIVITY_ROWS)
    indicator = ""
    by_phrase = {}
    for row in plan_rows:
        indicator = row[0] or indicator  # printed once per indicator, like the seed's merged cell
        by_phrase.update({phrase: (indicator, "".join(row)) for _n, phrase, _d in seed.POLICE_ACTIVITY_ROWS
                          if squash(phrase) in "".join(row)})
    for number, phrase, deadline in seed.POLICE_ACTIVITY_ROWS:
        printed_indicator, row = by_phrase[phrase]
        assert printed_indicator.startswith(thaidate.to_thai_digits(number) + ")"), phrase
        assert squash(deadline) in row, phrase
        assert squash(phrase) in pdf and squash(deadline) in pdf
    for number, phrase in seed.POLICE_ANALYSIS.items():
        row = find_row(tables, lambda r, p=phrase: len(r) == 2 and squash(p) in r[1])
        assert row.startswith(thaidate.to_thai_digits(number) + ")")
    for period in seed.POLICE_CALENDAR_PERIODS:
        assert squash(period) in pdf
        assert any(len(r) == 5 and r[1] == squash(period) for table in tables for r in table), period
    for heading in ("๑. การชี้แจงและให้ข้อมูล", "๒. การศึกษาและวิเคราะห์กรอบการประเมิน", "๓. การกำหนดมาตรการ/กิจกรรม",
                    "แนวทางการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน", "ปฏิทินการประเมินคุณธรรมและความโปร่งใส",
                    "วันที่ ๑ มีนาคม ๒๕๖๗ ณ ห้องประชุม สน.บึงกุ่ม"):
        assert squash(heading) in pdf, heading


def test_immigration_document_keeps_the_seeds_structure(db, rendered):
    pdf = pdf_text(rendered["imm-buengkan"]["pdf"])
    for heading in ("1. การชี้แจงและให้ข้อมูล", "2. แนวทางการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                    "1) การพัฒนายกระดับการให้บริการ/One Stop Service", "2) ยกระดับการเผยแพร่ข้อมูลสาธารณะ (OIT)",
                    "ว่าที่ พ.ต.อ.จตุพร เนวะมาตย์ ผกก.ตม.จว.บึงกาฬ เป็นประธานการประชุม"):
        assert squash(heading) in pdf, heading
    # The seed has no activity plan and no calendar: neither is printed.
    assert squash("ระยะเวลากำกับติดตาม") not in pdf and squash("ช่วงเตรียมการประเมิน") not in pdf


# --- the render job ---------------------------------------------------------------------------------

def whole_year_period(unit, topic):
    item = Item.objects.for_unit(unit, FY).get(topic=topic)
    return item, ItemPeriod.objects.get(unit=unit, item=item, month=None)


def run_job(kind, unit, user, capture):
    with capture(execute=True):
        job = jobs.request(kind, unit, FY, user)
    job.refresh_from_db()
    return job


def test_the_job_attaches_pdf_and_word_as_draft_whole_year_evidence_and_reruns_replace(
        users, other_unit, django_capture_on_commit_callbacks):
    job = run_job(kinds.MEASURES_DOCUMENT, other_unit, users["other-admin"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.DONE and job.progress == 100 and job.attempts == 1
    item, period = whole_year_period(other_unit, "integrity_measures")
    assert item.code == "O23" and period.state == ItemPeriod.DRAFT
    current = list(Evidence.objects.current().filter(item_period=period).select_related("current_revision"))
    assert sorted(e.current_revision.format for e in current) == ["docx", "pdf"]
    pdf = next(e for e in current if e.current_revision.format == "pdf").current_revision
    assert squash("ภาพการประชุมกำกับติดตามโดยหัวหน้าหน่วย") in pdf_text(pdf.file.read())
    assert all(e.created_by == users["other-admin"] for e in current)

    period.state = ItemPeriod.APPROVED  # approved meanwhile, then the measures change: checked again
    period.save()
    Measure.objects.filter(plan__unit=other_unit, code="O1").update(points="ปรับปรุงแผนผังโครงสร้างแล้ว")
    job = run_job(kinds.MEASURES_DOCUMENT, other_unit, users["other-commander"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.DONE and job.attempts == 2
    again = Evidence.objects.current().filter(item_period=period)
    assert sorted(e.pk for e in again) == sorted(e.pk for e in current)  # replaced, not added
    assert all(e.revisions.count() == 2 for e in again)
    period.refresh_from_db()
    assert period.state == ItemPeriod.DRAFT
    pdf = Evidence.objects.get(pk=next(e.pk for e in current if e.current_revision.format == "pdf")).current_revision
    assert squash("ปรับปรุงแผนผังโครงสร้างแล้ว") in pdf_text(pdf.file.read())
    assert RenderJob.objects.filter(unit=other_unit, fiscal_year=FY).count() == 1


def test_the_report_on_the_measures_holds_progress_and_photos(users, station, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = MeasurePlan.objects.get(unit=station, fiscal_year=FY)
    sign = plan.measures.get(kind="no_gift_sign")
    photos = progress.validate_photos([SimpleUploadedFile("ป้าย.jpg", jpeg())])
    progress.add_update(sign, users["admin"], thaidate.parse_thai_date("5/3/2567"), "ติดป้าย No Gift Policy ที่ห้อง One Stop Service แล้ว",
                        Measure.DONE, photos, caption="ป้ายหน้าห้อง")
    job = run_job(kinds.PROGRESS_REPORT, station, users["commander"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.DONE, job.error
    item, period = whole_year_period(station, "integrity_measures_report")
    assert item.code == "O25"
    files = {e.current_revision.format: e.current_revision for e in Evidence.objects.current().filter(item_period=period)}
    pdf = files["pdf"].file.read()
    text = pdf_text(pdf)
    assert squash("ติดป้าย No Gift Policy ที่ห้อง One Stop Service แล้ว") in text
    assert squash("๕ มี.ค.๖๗") in text and squash("ดำเนินการแล้วเสร็จ") in text and squash("ป้ายหน้าห้อง") in text
    assert squash("เกินกำหนด") in text  # other measures passed their deadlines undone
    page_images = sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert page_images >= 1
    assert len(docx.Document(io.BytesIO(files["docx"].file.read())).inline_shapes) == 1


def test_asking_twice_while_queued_enqueues_once(users, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["admin"])
        second = jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["commander"])
    assert first.pk == second.pk and len(callbacks) == 1
    assert RenderJob.objects.get(pk=first.pk).state == RenderJob.QUEUED


def test_a_failure_is_recorded_on_the_job(users, station, django_capture_on_commit_callbacks, monkeypatch):
    def broken(document, fmt):
        raise ValueError("no font")

    monkeypatch.setattr(jobs, "render", broken)
    job = run_job(kinds.MEASURES_DOCUMENT, station, users["admin"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.FAILED and "ValueError: no font" in job.error
    assert not Evidence.objects.filter(item_period__unit=station, item_period__item__topic="integrity_measures").exists()


def test_refused_when_there_is_no_plan(users, station):
    MeasurePlan.objects.filter(unit=station).delete()
    with pytest.raises(jobs.JobRefused):
        jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["admin"])


# --- as the seed has it: cover, signature, "(ต่อ)", the head's acknowledgement ------------------------

def test_the_measures_document_opens_with_the_seeds_cover_and_closes_with_a_signature_block(db, rendered):
    pages = pdf_engines.pdfium_pages(rendered["sn-buengkum"]["pdf"])
    cover = squash(pages[0])
    assert squash("มาตรการยกระดับส่งเสริมคุณธรรมและความโปร่งใส ภายในหน่วย") in cover
    assert squash("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗") in cover and squash("สถานีตำรวจนครบาลบึงกุ่ม") in cover
    assert "หน้า" not in pages[0] and "ผู้รับผิดชอบ" not in pages[0]  # a cover: no page number, no table
    closing = squash("".join(pages[-2:]))
    for part in ("(ลงชื่อ)", "(พ.ต.อ.อชิวัฒน์ นุชถาวร)", "ผกก.สน.บึงกุ่ม", "วันที่........"):
        assert squash(part) in closing, part
    word = docx.Document(io.BytesIO(rendered["sn-buengkum"]["docx"]))
    first_heading = next(i for i, p in enumerate(word.paragraphs) if p.style.name == "Heading 1")
    assert any('w:br w:type="page"' in p._p.xml for p in word.paragraphs[:first_heading])  # the cover, then a new page
    signature = [c.text for t in word.tables for r in t.rows for c in r.cells if "(ลงชื่อ)" in c.text]
    assert signature and "ผกก.สน.บึงกุ่ม" in signature[-1] and "วันที่" in signature[-1]


def test_a_group_of_rows_going_on_from_the_page_before_is_marked_continued(db, rendered):
    pages = pdf_engines.poppler_pages(rendered["sn-buengkum"]["pdf"])
    plan = documents.plan_queryset().get(unit__slug="sn-buengkum", fiscal_year=FY)
    groups = {squash(stage.th) for stage in indicators.STAGES} | {squash(label) for label in documents.DEFAULT_GROUP_LABELS.values()}
    groups |= {squash(label) for label in (plan.oit_items_label, plan.website_label, plan.monitoring_label) if label}
    groups |= {squash(instrument.th) for instrument in indicators.INSTRUMENTS}  # the analysis table's groups
    marked = [(n, line) for n, page in enumerate(pages) for line in page.splitlines() if "(ต่อ)" in line]
    assert len(marked) >= 2, "no page says (ต่อ)"
    for n, line in marked:
        label = squash(line).split("(ต่อ)")[0]
        assert any(label.endswith(group) for group in groups), (n, label)
    assert all(0 < n < len(pages) - 1 for n, _line in marked)  # never on the cover, nor after the last table


def test_the_report_on_the_measures_ends_with_the_heads_acknowledgement(db):
    plan = documents.plan_queryset().get(unit__slug="sn-buengkum", fiscal_year=FY)
    document = documents.progress_document(plan)
    closing = document.blocks[-1]
    assert [s.title for s in closing.signers] == ["ผู้รายงาน", "หัวหน้าหน่วย"] and "ทราบ" in closing.signers[1].note
    text = squash("".join(pdf_engines.poppler_pages(render(document, "pdf"))[-1:]))
    assert squash("ทราบ / สั่งการ") in text and squash("ผู้รายงาน") in text and squash("(ลงชื่อ)") in text


def test_the_briefing_photos_close_the_measures_document_under_their_caption(db, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ita_portal.lib import stored
    from measures.models import BriefingPhoto

    plan = documents.plan_queryset().get(unit__slug="sn-buengkum", fiscal_year=FY)
    before = documents.measures_document(plan)
    with stored.atomic():
        for checked in progress.validate_photos([SimpleUploadedFile(f"ประชุม {n}.jpg", jpeg()) for n in range(2)]):
            photo = BriefingPhoto(plan=plan, caption="ผกก. ชี้แจง", original_name=checked.original_name,
                                  extension=checked.extension, content_type=checked.content_type, sha256=checked.sha256)
            stored.store(photo, checked, thumbnail_field=None)
            photo.save()
    document = documents.measures_document(documents.plan_queryset().get(pk=plan.pk))
    images = [b for b in document.blocks if isinstance(b, doc.Image)]
    assert len(images) == 2 and document.blocks[-2:] == images and images[0].caption == "ผกก. ชี้แจง"
    assert document.blocks[-3].text.startswith("วันที่") and not any(isinstance(b, doc.Image) for b in before.blocks)
    pdf = render(document, "pdf")
    last = PdfReader(io.BytesIO(pdf)).pages[-1]
    last_text = squash(pdf_engines.pdfium_pages(pdf)[-1])
    assert len(last.images) >= 1 and squash("ผกก. ชี้แจง") in last_text
    assert squash(document.blocks[-3].text) in last_text  # the caption and date on the photos' page
    word = docx.Document(io.BytesIO(render(document, "docx")))
    dated = [p for p in word.paragraphs if p.text.startswith("วันที่")][-1]
    assert dated.text == document.blocks[-3].text and dated.paragraph_format.keep_with_next
    shapes = len(docx.Document(io.BytesIO(render(document, "docx"))).inline_shapes)
    assert shapes == len(docx.Document(io.BytesIO(render(before, "docx"))).inline_shapes) + 2
