"""Journeys in Chromium that start at my work, for each role (issue 11's "done when"), and the
forms that protect what was typed. Screenshots at desktop and phone size, in Thai, go to
$SCREENSHOT_DIR (default: the test's temporary directory)."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from oit_items.evidence import workflow
from oit_items.evidence.models import AuditEvent, ItemPeriod
from tests.conftest import approve_period, log_in, make_pdf
from units.models import Unit
from units.signals import published_record_changed

pytestmark = [pytest.mark.browser]

OCT, NOV, JAN = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2024, 1, 1)
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def people(committed_demo):
    User = get_user_model()
    found = {role: User.objects.get(username=f"bk-{role}") for role in ("admin", "responsible", "controller", "commander")}
    station = Unit.objects.get(slug="sn-buengkum")
    from oit_items.rulebook.models import Item

    return found, station, Item.objects.for_unit(station, 2567).get(code="O7")


def session(browser, live_server, username, size="desktop"):
    context = browser.new_context(viewport=SIZES[size], locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in(page, live_server.url, username)
    return context, page


def rights(user, station, item):
    from oit_items.evidence.models import Assignment
    from oit_items.evidence.permissions import item_access
    from units.permissions import unit_access

    return item_access(user, unit_access(user, station), Assignment.objects.get(unit=station, item=item))


def pdf_only(month):
    return [(f"รายงานผลการปฏิบัติราชการ {month:%m}.pdf", make_pdf())]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_responsible_officer_sees_the_returned_month_on_top(browser, live_server, people, shots, size):
    users, station, o7 = people
    period = approve_period(users, station, o7, JAN, pdf_only(JAN), publish=False)
    workflow.transition(period, "return", users["commander"], rights(users["commander"], station, o7),
                        "ขาดไฟล์ Word และลายมือชื่อผู้กำกับการ")
    context, page = session(browser, live_server, "bk-responsible", size)
    assert page.url == live_server.url + "/staff/work/"  # the first page after login
    first = page.locator(".work-entry").first
    assert "O7 · มกราคม 2567" in first.inner_text()
    assert "ขาดไฟล์ Word และลายมือชื่อผู้กำกับการ" in first.locator("[data-return-comment]").inner_text()
    page.locator("[data-work-count]").wait_for(state="attached")  # the navbar count, fetched by htmx
    assert int(page.locator("[data-work-count]").get_attribute("data-work-count")) >= 1
    shots(page, f"my-work-responsible-{size}")
    first.locator("a").first.click()
    page.wait_for_selector("section#m1 [data-return-comment]")
    assert "ขาดไฟล์ Word" in page.locator("section#m1 [data-return-comment]").inner_text()
    shots(page, f"returned-card-{size}")
    context.close()


def test_the_controllers_queue_lists_the_submitted_months(browser, live_server, people, shots):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ita_portal.lib.uploads import validate_upload
    from oit_items.evidence import edits as evidence_service
    from oit_items.evidence.permissions import period_of

    users, station, o7 = people
    for month in (OCT, NOV):
        period = period_of(station, o7, month)
        evidence_service.add_files(period, [validate_upload(SimpleUploadedFile(name, content)) for name, content in pdf_only(month)],
                                   {"about_date": month}, users["responsible"])
        workflow.transition(period, "submit", users["responsible"], rights(users["responsible"], station, o7))
    context, page = session(browser, live_server, "bk-controller")
    queue = page.locator("section[aria-labelledby=h-check] .work-entry")
    assert [t.split("\n")[0].strip() for t in queue.all_inner_texts()] == ["O7 · ตุลาคม 2566", "O7 · พฤศจิกายน 2566"]
    assert "ขาดไฟล์ Word ของเดือน ต.ค. 2566" in queue.first.inner_text()  # each with its check summary
    shots(page, "my-work-controller-desktop")
    context.close()


def test_the_commander_must_give_a_reason_to_approve_a_failing_month(browser, live_server, people, shots):
    users, station, o7 = people
    period = approve_period(users, station, o7, NOV, pdf_only(NOV), publish=False)  # checked, no Word file
    context, page = session(browser, live_server, "bk-commander")
    page.locator("section[aria-labelledby=h-approve] .work-entry a", has_text="พฤศจิกายน 2566").click()
    page.locator("section#m11 a[data-action=approve]").click()
    assert "ขาดไฟล์ Word ของเดือน พ.ย. 2566" in page.locator("[data-checks=fail]").inner_text()
    assert "รายงานผลการปฏิบัติราชการ 11.pdf" in page.locator("[data-snapshot-entry]").inner_text()
    shots(page, "approve-failing-desktop")
    page.locator("button[data-action=approve]").click()  # without a reason
    page.wait_for_selector(".error-summary")
    assert "โปรดระบุเหตุผลที่ให้ผ่าน" in page.locator(".error-summary").inner_text()
    assert ItemPeriod.objects.get(pk=period.pk).state == ItemPeriod.CHECKED
    page.locator(".error-summary a").first.click()  # the summary leads to the field
    assert page.evaluate("document.activeElement.name") == "override"
    page.fill("textarea[name=override]", "ไฟล์ Word ส่งตามภายหลัง ผกก. ตรวจเนื้อหาแล้ว")
    page.locator("button[data-action=approve]").click()
    page.wait_for_selector("section#m11 [data-state=approved]")
    event = AuditEvent.objects.get(item_period=period, action="approve")
    assert event.comment == "ไฟล์ Word ส่งตามภายหลัง ผกก. ตรวจเนื้อหาแล้ว" and event.details["failures"]
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_commander_takes_down_a_published_file(browser, live_server, people, shots, size):
    users, station, o7 = people
    period = approve_period(users, station, o7, OCT, pdf_only(OCT))
    published_record_changed.send(sender=None, unit=station)
    entry = period.published[0]
    file_url = f"{live_server.url}/u/sn-buengkum/files/{entry['revision']}/"
    context, page = session(browser, live_server, "bk-commander", size)
    assert page.request.get(file_url).status == 200
    page.goto(live_server.url + "/staff/units/sn-buengkum/ita/2567/o7/")
    page.locator("section#m10 details.public-now summary").click()
    page.locator(f"section#m10 a[data-takedown='{entry['evidence']}']").click()
    assert page.locator(f"input[name=evidence][value='{entry['evidence']}']").is_checked()
    page.fill("textarea[name=reason]", "ไฟล์มีเลขบัตรประชาชนของผู้แจ้ง (PDPA)")
    shots(page, f"takedown-{size}")
    page.locator("button[data-action=takedown]").click()
    page.wait_for_selector("section#m10")
    assert page.request.get(file_url).status == 404  # right after
    public = page.request.get(f"{live_server.url}/u/sn-buengkum/ita/2567/o7/").text()
    assert entry["title"] not in public
    assert AuditEvent.objects.get(item_period=period, action="takedown").comment == "ไฟล์มีเลขบัตรประชาชนของผู้แจ้ง (PDPA)"
    context.close()


def test_forms_protect_what_was_typed(browser, live_server, people, shots):
    context, page = session(browser, live_server, "bk-responsible")
    # Thai instead of the browser's own validation bubble.
    page.goto(live_server.url + "/staff/units/sn-buengkum/ita/2567/o7/")
    october = page.locator("section#m10")
    october.locator("summary", has_text="อัปโหลดไฟล์").click()
    october.locator("form.upload-form button", has_text="อัปโหลด").click()
    assert october.locator("input[name=files]").evaluate("el => el.validationMessage") == "โปรดเลือกไฟล์"
    # The report form: leaving with unsaved changes asks; producing the documents warns first.
    page.goto(live_server.url + "/staff/units/sn-buengkum/reports/2567/data/operations/m10/")
    page.fill("textarea[name=summary]", "สรุปผลการปฏิบัติงานที่ยังไม่ได้บันทึก")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("nav a", has_text="พ.ย.").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.endswith("/m10/")
    page.locator("#documents button[data-action=render]").first.click()
    warning = page.locator(".unsaved-warning")
    assert "ยังไม่ได้บันทึก" in warning.inner_text()
    shots(page, "produce-warning-desktop")
    warning.locator("button", has_text="บันทึกข้อมูลก่อน").click()
    page.wait_for_selector(".alert-success")
    from reports.models import OperationsReport

    assert OperationsReport.objects.get(unit__slug="sn-buengkum", month=OCT).summary == "สรุปผลการปฏิบัติงานที่ยังไม่ได้บันทึก"
    context.close()
