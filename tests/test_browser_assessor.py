"""An assessor (anonymous) in Chromium, at phone and desktop size, on the demo unit with the demo's
sample evidence: O7, O15, O17 and O19 show what they require and every month's row (an explicit
"ไม่มี" among them), news photos inline with a larger view, and O17's figures change right after a
complaint is filed and again when it is finished; search finds ช่องทาง and not ดซื้อจั; /api/v1/
lists both units. Screenshots go to $SCREENSHOT_DIR when it is set (else the test's tmp_path)."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from oit_items.channels.models import Complaint, ComplaintAttachment
from oit_items.demo.evidence import publish_all
from tests.conftest import log_in, make_pdf

pytestmark = [pytest.mark.browser]
UNIT = "/u/sn-buengkum/ita/2567/"
SIZES = {"phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2},
         "desktop": {"viewport": {"width": 1280, "height": 900}}}


@pytest.fixture
def samples(committed_demo):
    publish_all(2567)  # through the real workflow; each approval queues the search index (run in-process)


@pytest.fixture(params=list(SIZES))
def assessor(request, browser, tmp_path):
    context = browser.new_context(locale="th-TH", **SIZES[request.param])
    page = context.new_page()
    page.set_default_timeout(15000)
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)

    def visit(url, name):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} scrolls sideways"
        page.screenshot(path=shots / f"{name}-{request.param}.png", full_page=True)
        return page.inner_text("main")

    page.visit = visit
    yield page
    context.close()


def rows(page) -> dict:
    return {row.get_attribute("data-period"): row.get_attribute("data-status")
            for row in page.locator("section.period").all()}


def test_assessor_scores_o7_o15_o19_at_a_glance(live_server, samples, assessor):
    main = assessor.visit(live_server.url + UNIT + "o7/", "o7")
    assert main.index("สิ่งที่ข้อนี้กำหนด") < main.index("ตุลาคม 2566")
    assert "เปิดเผยทั้งไฟล์ PDF และไฟล์ Word" in main and "แยกรายเดือนและเผยแพร่เป็นประจำทุกเดือน" in main
    assert rows(assessor) == {"2023-10": "published", "2023-11": "published", "2023-12": "published",
                              "2024-01": "missing", "2024-02": "missing", "2024-03": "missing"}
    assert assessor.locator("img.doc-thumb").count() == 3  # page 1 of each month's PDF
    assert assessor.evaluate("[...document.querySelectorAll('img.doc-thumb')].every(i => i.naturalWidth > 0)")
    assert "1 หน้า" in main

    main = assessor.visit(live_server.url + UNIT + "o15/", "o15")
    assert rows(assessor)["2023-11"] == "none" and rows(assessor)["2023-10"] == "published" and len(rows(assessor)) == 6
    november = assessor.locator('section.period[data-period="2023-11"]').inner_text()
    assert "ไม่มี" in november and "ไม่มีการจัดซื้อจัดจ้างในเดือนพฤศจิกายน 2566" in november

    main = assessor.visit(live_server.url + UNIT + "o19/", "o19")
    assert "ข่าวกิจกรรมของหัวหน้าสถานีตำรวจ อย่างน้อย ๓ ข่าว" in main
    photos = assessor.locator(".photo-gallery img")
    assert photos.count() == 3
    assert assessor.evaluate("[...document.querySelectorAll('.photo-gallery img')].every(i => i.complete && i.naturalWidth > 0)")
    assert "ผกก. ประชุมชี้แจงการประเมิน ITA" in main and "8 พฤศจิกายน 2566" in main
    with assessor.expect_response(lambda r: "/files/" in r.url and r.request.resource_type == "document") as larger:
        photos.first.click()
    assert larger.value.status == 200 and larger.value.headers["content-type"] == "image/jpeg"


def _figure(page, month, name) -> str:
    return page.locator(f'p.complaint-figures[data-month="{month}"] [data-figure="{name}"]').inner_text()


def test_o17_figures_change_when_a_complaint_is_filed_and_when_it_is_finished(live_server, samples, browser, phone):
    o17 = live_server.url + UNIT + "o17/"
    phone.goto(o17)
    assert phone.locator('p.complaint-figures[data-month="2023-11"]').inner_text() == "ไม่มีเรื่องร้องเรียน"
    assert "ยังไม่เผยแพร่" not in phone.inner_text("main")

    phone.click("main a.btn-primary:has-text('แจ้งเรื่องร้องเรียน')")
    phone.wait_for_load_state("networkidle")
    phone.check("input[name=anonymous]")
    phone.fill("input[name=subject]", "เจ้าหน้าที่เรียกรับเงิน")
    phone.fill("textarea[name=text]", "วันที่ 7 พ.ย. 2566 ที่จุดตรวจ มีการเรียกเงิน")
    typed = 'ใบเสร็จ "ปลอม" 7 พ.ย.66.pdf'  # Chromium sends the quotes as %22
    phone.set_input_files("input[name=attachments]", files=[{"name": typed, "mimeType": "application/pdf", "buffer": make_pdf()}])
    phone.wait_for_timeout(3100)  # a form sent back within three seconds is taken for a robot
    phone.click("button:has-text('ส่งเรื่องร้องเรียน')")
    phone.wait_for_load_state("networkidle")
    filed = Complaint.objects.get()
    assert filed.code in phone.inner_text("main")
    assert ComplaintAttachment.objects.get().original_name == typed
    # FY2567 is past: the complaint is dated into its November as if filed then.
    Complaint.objects.filter(pk=filed.pk).update(created_at=timezone.make_aware(datetime.datetime(2023, 11, 7, 10)))
    phone.goto(o17)
    assert _figure(phone, "2023-11", "received") == "1" and _figure(phone, "2023-11", "in_progress") == "1"
    assert _figure(phone, "2024-03", "in_progress") == "1"

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
    log_in(staff, live_server.url, "bk-commander")
    staff.goto(f"{live_server.url}/staff/units/sn-buengkum/complaints/{filed.pk}/")
    staff.select_option("select[name=status]", "finished")
    staff.click("main button:has-text('บันทึก')")
    staff.wait_for_load_state("networkidle")
    assert Complaint.objects.get(pk=filed.pk).status == Complaint.FINISHED
    staff.context.close()
    Complaint.objects.filter(pk=filed.pk).update(finished_at=timezone.make_aware(datetime.datetime(2024, 1, 5, 10)))
    phone.goto(o17)
    assert _figure(phone, "2024-01", "finished") == "1" and _figure(phone, "2024-01", "in_progress") == "0"
    assert _figure(phone, "2023-12", "in_progress") == "1"
    assert phone.locator('p.complaint-figures[data-month="2024-02"]').inner_text() == "ไม่มีเรื่องร้องเรียน"


def test_search_and_the_catalogue(live_server, samples, assessor):
    assessor.visit(live_server.url + UNIT, "index")
    assessor.fill("#q", "ช่องทาง")
    assessor.click("form[role=search] button")
    assessor.wait_for_load_state("networkidle")
    main = assessor.visit(assessor.url, "search")
    assert "O5" in main and "O17" in main
    assert assessor.locator("main mark", has_text="ช่องทาง").count() >= 2
    assessor.fill("#q", "ดซื้อจั")
    assessor.click("form[role=search] button")
    assessor.wait_for_load_state("networkidle")
    assert "พบ 0 รายการ" in assessor.inner_text("main") and assessor.locator(".search-results li").count() == 0

    catalogue = assessor.request.get(live_server.url + "/api/v1/").json()
    assert {u["slug"] for u in catalogue["units"]} == {"sn-buengkum", "imm-buengkan"}
    main = assessor.visit(live_server.url + "/u/sn-buengkum/", "unit-home")
    assert "ร่วมประเมินการให้บริการ" in main
    assert assessor.evaluate("[...document.querySelectorAll('img.qr-code')].every(i => i.naturalWidth > 0)")
