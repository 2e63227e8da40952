"""From published to passed, in Chromium (issue 18's "done when"): a commander reads the predicted score on
"my work" and item by item, submits to ITAP (the record is frozen), enters the assessors' preliminary verdicts;
the responsible officer drafts the clarification of the disputed item on a phone and the commander approves
it there. In Thai; screenshots at desktop and phone size go to $SCREENSHOT_DIR (default: the test's
temporary directory)."""

import datetime

import pytest
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.assessment.models import HASNT, AssessedItem, Clarification, ItapRecord, UnitScore
from oit_items.rulebook.models import Framework, Item
from tests.conftest import approve_period, make_docx, make_pdf
from tests.test_browser_my_work import SIZES, session, shots  # noqa: F401 — `shots` is a fixture
from units.models import Unit
from units.signals import published_record_changed

pytestmark = [pytest.mark.browser]


@pytest.fixture
def year_in_appeal(committed_demo):
    """The current fiscal year of the demo station, its appeal period open today (the calendar is data:
    the NACC's dates for the year, entered by headquarters), and one month of O7 approved and public."""
    from django.contrib.auth import get_user_model

    station = Unit.objects.get(slug="sn-buengkum")
    year = thaidate.fiscal_year(timezone.localdate())
    framework = Framework.objects.get(unit_type=station.unit_type, fiscal_year=year)
    today = timezone.localdate()
    framework.scoring = {**framework.scoring_rules, "appeal": {
        "from": (today - datetime.timedelta(days=1)).isoformat(), "to": (today + datetime.timedelta(days=7)).isoformat()}}
    framework.save(update_fields=["scoring"])
    users = {role: get_user_model().objects.get(username=f"bk-{role}") for role in ("responsible", "controller", "commander")}
    o7 = Item.objects.for_unit(station, year).get(code="O7")
    month = thaidate.fiscal_year_months(year, [10])[0]
    approve_period(users, station, o7, month, [("รายงาน ต.ค..pdf", make_pdf()), ("รายงาน ต.ค..docx", make_docx())])
    published_record_changed.send(sender=None, unit=station)  # what the workflow announces on commit
    return station, year


def test_from_the_predicted_score_to_an_approved_appeal(browser, live_server, year_in_appeal, shots):  # noqa: F811
    station, year = year_in_appeal
    base = f"{live_server.url}/staff/units/{station.slug}/ita/{year}"
    score = UnitScore.objects.get(unit=station, fiscal_year=year)

    # The commander: the predicted score on "my work", then item by item with what it takes to reach 100.
    context, page = session(browser, live_server, "bk-commander", "desktop")
    panel = page.locator(f"[data-predicted-unit={station.slug}]")
    assert float(panel.locator("[data-score-value]").inner_text()) == float(score.score)
    shots(page, "assessment-my-work-desktop")
    panel.locator(f"a[href$='/ita/{year}/score/']").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#item-O7").count() == 1 and page.locator("[data-passes]").count() == 1
    shots(page, "assessment-score-desktop")

    # Submit to ITAP: the record is frozen, with a public page the appeal can point at.
    page.goto(f"{base}/itap/")
    page.locator("[data-submit-itap]").click()
    page.wait_for_selector("[data-itap-record=frozen]")
    record = ItapRecord.objects.get(unit=station, fiscal_year=year)
    assert record.trigger == ItapRecord.SUBMITTED and record.items.filter(code="O7").exists()
    shots(page, "assessment-itap-frozen-desktop")

    # The assessors' preliminary verdict, typed: O7 "hasn't", with their remark.
    page.goto(f"{base}/assessment/")
    item = page.locator("#item-O7")
    item.locator("summary").click()
    item.locator("select#p-O7").select_option(HASNT)
    item.locator("textarea#n-O7").fill("ไม่พบรายงานเดือนพฤศจิกายน")
    item.locator("button").click()
    page.wait_for_selector("#item-O7 [data-preliminary=hasnt]")
    assert AssessedItem.objects.get(unit=station, item__code="O7", fiscal_year=year).preliminary == HASNT
    shots(page, "assessment-verdicts-desktop")
    context.close()

    # The responsible officer drafts the clarification on a phone, pointing at the frozen record.
    clarify = f"{base}/assessment/items/o7/clarification/"
    context, page = session(browser, live_server, "bk-responsible", "phone")
    page.goto(clarify)
    assert page.locator("[data-sha256]").count() >= 2  # the frozen files and their hashes
    page.fill("#id_text", "รายงานเดือนตุลาคมเผยแพร่ก่อนกำหนด ตามลิงก์ที่ส่ง ITAP และค่า SHA-256 ที่บันทึกไว้")
    page.locator("button[value=save]").click()
    page.wait_for_selector("[data-state=draft]")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
    shots(page, "assessment-clarification-phone")
    context.close()

    # The commander approves it, on a phone too.
    context, page = session(browser, live_server, "bk-commander", "phone")
    page.goto(clarify)
    page.locator("button[value=approve]").click()
    page.wait_for_selector("[data-state=approved]")
    shots(page, "assessment-approved-phone")
    clarification = Clarification.objects.get(assessed__unit=station, assessed__item__code="O7")
    assert clarification.state == Clarification.APPROVED and clarification.approved_by.username == "bk-commander"
    assert clarification.frozen_item is not None and clarification.frozen_item.record == record
    context.close()
