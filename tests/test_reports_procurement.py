"""Done-when of issue 5: October 2566's procurement entered once becomes O15's PDF and Excel,
attached as drafts; approved, the O15 October period passes its checks; a month without
procurement produces a document that says so."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from oit_items.evidence import workflow, workspace
from oit_items.evidence.models import Assignment, Evidence, ItemPeriod
from oit_items.evidence.permissions import item_access
from oit_items.rulebook.models import Item
from reports.models import Bid, ProcurementMonth, Purchase, RenderJob
from tests.test_reports_support import (
    AGREED_TOTAL,
    BUDGET_TOTAL,
    NOV,
    OCT,
    PURCHASES,
    ask_for,
    enter_procurement,
    in_pdf,
    pdf_text,
    stored,
    workbook,
)
from units.permissions import unit_access


@pytest.fixture
def o15(station):
    return Item.objects.for_unit(station, 2567).get(topic="procurement_summary")


def step(period, action, user, station, item):
    rights = item_access(user, unit_access(user, station), Assignment.objects.get(unit=station, item=item))
    return workflow.transition(period, action, user, rights)


def o15_evidence(station, o15, month=OCT):
    return list(Evidence.objects.current().filter(item_period__unit=station, item_period__item=o15,
                                                  item_period__month=month).select_related("current_revision"))


def test_entered_purchases_are_stored_as_decimal_with_their_bids(client, users, station):
    client.force_login(users["responsible"])
    response = enter_procurement(client, purchases=PURCHASES)
    assert response.status_code == 302, response.content.decode()[:2000]
    month = ProcurementMonth.objects.get(unit=station, month=OCT)
    water, repair = Purchase.objects.filter(procurement=month).order_by("pk")
    assert water.item == "จัดซื้อน้ำดื่มสำหรับผู้มาติดต่อราชการ" and water.budget == Decimal("12500.00")
    assert repair.agreed_price == Decimal("47980.25") and repair.reference_price is None
    assert [(b.bidder, b.price) for b in Bid.objects.filter(purchase=water).order_by("pk")] == [
        ("ร้านน้ำใสบึงกุ่ม", Decimal("12000.00")), ("ห้างหุ้นส่วนจำกัด ธาราทิพย์", Decimal("12400.50"))]
    assert month.updated_by == users["responsible"]


def test_october_procurement_becomes_o15_pdf_and_excel_drafts_that_pass_once_approved(
        client, users, station, o15, django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    assert enter_procurement(client, purchases=PURCHASES).status_code == 302
    ask_for(client, "procurement_summary", "m10", django_capture_on_commit_callbacks)

    job = RenderJob.objects.get(kind="procurement_summary", unit=station, month=OCT)
    assert job.state == RenderJob.DONE and job.progress == 100, job.error
    evidence = o15_evidence(station, o15)
    assert sorted(e.format for e in evidence) == ["pdf", "xlsx"]  # O15 police: [[pdf], [xlsx, docx]]
    period = ItemPeriod.objects.get(unit=station, item=o15, month=OCT)
    assert period.state == ItemPeriod.DRAFT
    assert all(e.created_by == users["responsible"] for e in evidence)
    assert {e.current_revision.original_name.rsplit(".", 1)[0] for e in evidence} == {
        f"{translation_of('SKR.1')} ต.ค.66"}

    step(period, "submit", users["responsible"], station, o15)
    step(period, "check", users["controller"], station, o15)
    step(period, "approve", users["commander"], station, o15)
    row = workspace.build(station, 2567, items=[o15]).rows[0]
    october = next(cell for cell in row.cells if cell.month == OCT)
    assert october.state == ItemPeriod.APPROVED and october.passed, october.failures


def translation_of(msgid):
    with translation.override("th"):
        return gettext(msgid)


def test_the_generated_files_hold_the_entered_values_and_totals(client, users, station, o15,
                                                                django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    enter_procurement(client, purchases=PURCHASES)
    ask_for(client, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    files = {e.format: stored(e) for e in o15_evidence(station, o15)}

    text = pdf_text(files["pdf"])
    for value in ("จัดซื้อน้ำดื่มสำหรับผู้มาติดต่อราชการ", "จ้างซ่อมแซมรถยนต์สายตรวจ", "ร้านน้ำใสบึงกุ่ม",
                  "ห้างหุ้นส่วนจำกัด ธาราทิพย์", "อู่ช่างเก่งยนตรการ", "ราคาต่ำสุดและคุณสมบัติครบถ้วน",
                  "12,500.00", "12,400.50", "47,980.25", "48,150.75", "59,980.25", "60,650.75", "บส 12/2567",
                  "5 ต.ค. 2566", "20 ต.ค. 2566", "สถานีตำรวจนครบาลบึงกุ่ม", "ตุลาคม 2566"):
        assert in_pdf(value, text), value
    assert "1 / 1" in text  # page numbers

    sheet = workbook(files["xlsx"]).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == translation_of("No."))
    data = [r for r in rows[header + 1:] if isinstance(r[0], int)]
    total = rows[header + 1 + len(data)]
    assert [r[1] for r in data] == [PURCHASES[0]["item"], PURCHASES[1]["item"]]
    assert [Decimal(str(r[7])) for r in data] == [Decimal("12000"), Decimal("47980.25")]
    assert Decimal(str(total[7])) == AGREED_TOTAL == sum(Decimal(str(r[7])) for r in data)
    assert Decimal(str(total[2])) == BUDGET_TOTAL
    first = sheet.cell(row=header + 2, column=1)
    assert sheet.freeze_panes == first.coordinate  # the header row stays on screen
    assert isinstance(sheet.cell(row=header + 2, column=3).value, (int, float))
    assert sheet.cell(row=header + 2, column=3).number_format == "#,##0.00"
    contract_date = sheet.cell(row=header + 2, column=11)
    assert contract_date.is_date and contract_date.value.date().isoformat() == "2023-10-05"


def test_a_month_without_procurement_says_so(client, users, station, o15, django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    response = enter_procurement(client, period="m11", no_procurement=True, note="ไม่มีความต้องการพัสดุในเดือนนี้")
    assert response.status_code == 302
    ask_for(client, "procurement_summary", "m11", django_capture_on_commit_callbacks)
    ask_for(client, "procurement_announcements", "m11", django_capture_on_commit_callbacks)
    assert set(RenderJob.objects.filter(month=NOV).values_list("state", flat=True)) == {RenderJob.DONE}

    statement = translation_of("No procurement this month (%(month)s).") % {"month": "พฤศจิกายน 2566"}
    for evidence in o15_evidence(station, o15, NOV):
        content = stored(evidence)
        text = pdf_text(content) if evidence.format == "pdf" else "\n".join(
            str(c) for row in workbook(content).worksheets[0].iter_rows(values_only=True) for c in row if c)
        assert in_pdf(statement, text) and in_pdf("ไม่มีความต้องการพัสดุในเดือนนี้", text)
    with translation.override("th"):
        if gettext("No procurement this month (%(month)s).") != "No procurement this month (%(month)s).":
            assert "ไม่มีการจัดซื้อจัดจ้าง" in statement  # once the Thai catalogue is merged


def test_declaring_no_procurement_beside_purchases_is_refused(client, users):
    client.force_login(users["responsible"])
    response = enter_procurement(client, purchases=PURCHASES[:1], no_procurement=True)
    assert response.status_code == 400
    assert not ProcurementMonth.objects.exists()


def test_a_bid_line_without_a_price_is_refused_and_the_form_keeps_what_was_typed(client, users):
    client.force_login(users["responsible"])
    broken = dict(PURCHASES[0], bids_text="ร้านน้ำใสบึงกุ่ม ราคาไม่ระบุ")
    response = enter_procurement(client, purchases=[broken])
    assert response.status_code == 400
    assert "ร้านน้ำใสบึงกุ่ม ราคาไม่ระบุ" in response.content.decode()
    assert not Purchase.objects.exists()
