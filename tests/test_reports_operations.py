"""Monthly operations reports (O7 police / O6 immigration): activities by line of work, photos,
PDF and Word; the immigration unit's report needs at least four photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image as PILImage

from oit_items.evidence import workspace
from oit_items.evidence.models import Evidence
from oit_items.rulebook.models import Item
from reports.models import Activity, OperationsReport, Photo, RenderJob
from tests.test_reports_support import OCT, ask_for, docx_tables, docx_text, edit_url, formset, in_pdf, pdf_text, stored
from units.models import LineOfWork, Unit


def jpeg(colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def activities(unit_type_code, rows):
    lines = {line.code: line.pk for line in LineOfWork.objects.filter(unit_type__code=unit_type_code)}
    return formset("activities", [
        {"date_from": start, "date_to": end, "description": text, "line_of_work": lines[line], "responsible": who}
        for start, end, text, line, who in rows])


def post_report(client, slug, rows, unit_type_code, photos=(), existing_photos=None, summary=""):
    data = {"summary": summary, **activities(unit_type_code, rows),
            **(existing_photos or formset("photos", [])),
            "photos": [SimpleUploadedFile(name, content) for name, content in photos]}
    return client.post(edit_url("operations", "m10", slug), data)


POLICE_ROWS = [
    ("2/10/2566", "", "ประชุมชี้แจงแนวทางการประเมิน ITA ให้ข้าราชการตำรวจในสังกัด", "administration", "ฝ่ายอำนวยการ"),
    ("9/10/2566", "13/10/2566", "ตั้งจุดตรวจจุดสกัดป้องกันเหตุอาชญากรรมช่วงวันหยุดยาว", "prevention", "ร.ต.ท.ทวิช ศรีกาญจน์"),
    ("20/10/2566", "", "อบรมวินัยจราจรให้นักเรียนโรงเรียนในพื้นที่", "traffic", "งานจราจร"),
]


def test_police_report_becomes_o7_pdf_and_word(client, users, station, django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    response = post_report(client, "sn-buengkum", POLICE_ROWS, "police_station", summary="สรุปผลการปฏิบัติงานประจำเดือน")
    assert response.status_code == 302, response.content.decode()[:3000]
    report = OperationsReport.objects.get(unit=station, month=OCT)
    assert Activity.objects.filter(report=report).count() == 3

    ask_for(client, "monthly_report", "m10", django_capture_on_commit_callbacks)
    job = RenderJob.objects.get(kind="monthly_report")
    assert job.state == RenderJob.DONE, job.error
    files = {e.format: stored(e) for e in Evidence.objects.current().filter(item_period__item__code="O7")}
    assert set(files) == {"pdf", "docx"}
    text = pdf_text(files["pdf"])
    for value in ("ประชุมชี้แจงแนวทางการประเมิน ITA", "ตั้งจุดตรวจจุดสกัดป้องกันเหตุอาชญากรรมช่วงวันหยุดยาว",
                  "ร.ต.ท.ทวิช ศรีกาญจน์", "อำนวยการ", "ป้องกันปราบปราม", "9 ต.ค. 2566", "13 ต.ค. 2566",
                  "สรุปผลการปฏิบัติงานประจำเดือน"):
        assert in_pdf(value, text), value
    tables = docx_tables(files["docx"])
    cells = [cell for table in tables for row in table for cell in row]
    assert "อบรมวินัยจราจรให้นักเรียนโรงเรียนในพื้นที่" in cells and "20 ต.ค. 2566" in cells
    assert len(tables) == 3 + 1  # one table per line of work, then the signatures (reported to the head)
    assert "(ลงชื่อ)" in tables[-1][0][0] and "ผู้รายงาน" in tables[-1][0][0]


@pytest.fixture
def immigration(db):
    return Unit.objects.get(slug="imm-buengkan")


IMMIGRATION_ROWS = [("3/10/2566", "", "ออกตรวจสถานประกอบการที่รับคนต่างด้าวเข้าทำงาน", "investigation_suppression",
                     "งานสืบสวนปราบปราม")]


def test_immigration_report_needs_four_photos_and_says_so(client, users, immigration):
    client.force_login(users["other-responsible"])
    photos = [(f"ภาพกิจกรรม {i}.jpg", jpeg()) for i in range(3)]
    response = post_report(client, "imm-buengkan", IMMIGRATION_ROWS, "immigration_unit", photos)
    assert response.status_code == 400
    with translation.override("th"):
        expected = gettext("At least %(count)s photos of the month's activities are required (there are %(found)s).") % {
            "count": 4, "found": 3}
    assert escape(expected) in response.content.decode()
    assert not OperationsReport.objects.exists() and not Photo.objects.exists()


def test_immigration_report_with_four_photos_passes_o6s_checks(client, users, immigration,
                                                              django_capture_on_commit_callbacks):
    client.force_login(users["other-responsible"])
    photos = [(f"ภาพกิจกรรม {i}.jpg", jpeg((40 * i, 90, 160))) for i in range(4)]
    assert post_report(client, "imm-buengkan", IMMIGRATION_ROWS, "immigration_unit", photos).status_code == 302
    assert Photo.objects.count() == 4
    thumbnail = client.get(f"/staff/units/imm-buengkan/reports/photos/{Photo.objects.first().pk}/thumbnail/")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"

    ask_for(client, "monthly_report", "m10", django_capture_on_commit_callbacks, slug="imm-buengkan")
    o6 = Item.objects.for_unit(immigration, 2567).get(topic="monthly_report")
    files = Evidence.objects.current().filter(item_period__item=o6, item_period__month=OCT)
    assert sorted(e.format for e in files) == ["docx", "image", "image", "image", "image", "pdf"]
    cell = next(c for c in workspace.build(immigration, 2567, items=[o6]).rows[0].cells if c.month == OCT)
    assert cell.passed, cell.failures
    assert "ออกตรวจสถานประกอบการที่รับคนต่างด้าวเข้าทำงาน" in docx_text(stored(files.get(current_revision__format="docx")))


def test_a_photo_taken_out_of_the_report_leaves_the_evidence_too(client, users, immigration,
                                                                django_capture_on_commit_callbacks):
    client.force_login(users["other-responsible"])
    photos = [(f"ภาพ {i}.jpg", jpeg((50 * i, 50, 50))) for i in range(5)]
    post_report(client, "imm-buengkan", IMMIGRATION_ROWS, "immigration_unit", photos)
    ask_for(client, "monthly_report", "m10", django_capture_on_commit_callbacks, slug="imm-buengkan")
    assert Evidence.objects.current().filter(current_revision__format="image").count() == 5

    report = OperationsReport.objects.get()
    kept = list(report.photos.all())
    existing = formset("photos", [{"id": p.pk, "caption": p.caption, **({"DELETE": "on"} if i == 0 else {})}
                                  for i, p in enumerate(kept)], initial=len(kept))
    activity_rows = formset("activities", [{"id": a.pk, "date_from": "3/10/2566", "description": a.description,
                                            "line_of_work": a.line_of_work_id, "responsible": a.responsible}
                                           for a in report.activities.all()], initial=1)
    response = client.post(edit_url("operations", "m10", "imm-buengkan"),
                           {"summary": "", **activity_rows, **existing})
    assert response.status_code == 302, response.content.decode()[:2000]
    ask_for(client, "monthly_report", "m10", django_capture_on_commit_callbacks, slug="imm-buengkan")
    assert Evidence.objects.current().filter(current_revision__format="image").count() == 4
    assert Evidence.objects.filter(removed_at__isnull=False, current_revision__format="image").count() == 1


def test_a_file_that_is_not_a_photo_is_refused(client, users, immigration):
    client.force_login(users["other-responsible"])
    photos = [(f"ภาพ {i}.jpg", jpeg()) for i in range(3)] + [("รายงาน.pdf", b"%PDF-1.4 not really")]
    response = post_report(client, "imm-buengkan", IMMIGRATION_ROWS, "immigration_unit", photos)
    assert response.status_code == 400 and "รายงาน.pdf" in response.content.decode()
    assert not Photo.objects.exists()
