"""Budget (O12 police / O11 immigration) and the investigation fund (O13 / O12): whole-year
items, so each month's report is attached to the year's period; money is Decimal to the satang."""

from decimal import Decimal

from oit_items.evidence.models import Evidence
from reports.models import BudgetLine, BudgetMonth, BudgetSpending, FundMonth, FundSpending, RenderJob
from tests.test_reports_support import NOV, OCT, ask_for, docx_tables, edit_url, formset, in_pdf, pdf_text, stored, workbook


def post_budget(client, period, lines, problems="", initial=0):
    return client.post(edit_url("budget", period), {"problems": problems, "suggestions": "",
                                                     **formset("lines", lines, initial=initial)})


def test_budget_plan_and_monthly_spending_become_o12_pdf_and_excel(client, users, station,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    lines = [{"source": "operating", "description": "ค่าตอบแทน ใช้สอยและวัสดุ", "planned": "500,000.00", "spent": "41,250.50"},
             {"source": "investment", "description": "ครุภัณฑ์สำนักงาน", "planned": "1,250,000.25", "spent": ""}]
    assert post_budget(client, "m10", lines).status_code == 302
    plan_lines = list(BudgetLine.objects.order_by("pk"))
    november = [{"id": plan_lines[0].pk, **lines[0], "spent": "38,000.00"},
                {"id": plan_lines[1].pk, **lines[1], "spent": "250,000.00"}]
    response = post_budget(client, "m11", november, problems="การเบิกจ่ายครุภัณฑ์ล่าช้าเนื่องจากรอผลการจัดซื้อ", initial=2)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BudgetSpending.objects.get(line=plan_lines[0], month=OCT).amount == Decimal("41250.50")
    assert BudgetMonth.objects.get(month=NOV).problems.startswith("การเบิกจ่ายครุภัณฑ์")

    ask_for(client, "budget", "m11", django_capture_on_commit_callbacks)
    assert RenderJob.objects.get().state == RenderJob.DONE
    evidence = Evidence.objects.current().filter(item_period__item__code="O12")
    assert {e.item_period.month for e in evidence} == {None}  # the whole-year period
    files = {e.format: stored(e) for e in evidence}
    assert set(files) == {"pdf", "xlsx"}
    text = pdf_text(files["pdf"])
    for value in ("ผกก.สน.บึงกุ่ม", "ค่าตอบแทน ใช้สอยและวัสดุ", "1,250,000.25", "79,250.50", "329,250.50",
                  "1,750,000.25", "การเบิกจ่ายครุภัณฑ์ล่าช้าเนื่องจากรอผลการจัดซื้อ", "พฤศจิกายน 2566"):
        assert in_pdf(value, text), value

    sheet = workbook(files["xlsx"]).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[2], (int, float)) or r[2] is None and r[4]]
    by_line = {r[1]: r for r in rows if r[1]}
    assert Decimal(str(by_line["ค่าตอบแทน ใช้สอยและวัสดุ"][4])) == Decimal("79250.50")  # spent to date
    assert Decimal(str(by_line["ครุภัณฑ์สำนักงาน"][5])) == Decimal("1000000.25")  # remaining
    total = rows[-1]
    assert Decimal(str(total[2])) == Decimal("1750000.25") and Decimal(str(total[4])) == Decimal("329250.50")


def test_fund_balance_is_carried_from_month_to_month(client, users, station, django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    october = FundMonth.objects.create(unit=station, month=OCT, allocated=Decimal("30000.00"))
    FundSpending.objects.create(fund_month=october, date=OCT.replace(day=12), description="ค่าใช้จ่ายสืบสวนคดียาเสพติด",
                                amount=Decimal("8500.25"))
    response = client.post(edit_url("fund", "m11"), {
        "allocated": "20,000.00", "note": "", **formset("spending", [
            {"date": "3/11/2566", "description": "ค่าเดินทางสืบสวนคดีฉ้อโกงออนไลน์", "amount": "4,200.00"},
            {"date": "15/11/2566", "description": "ค่าตอบแทนสายลับคดีลักทรัพย์", "amount": "3,000.50"}])})
    assert response.status_code == 302, response.content.decode()[:2000]

    ask_for(client, "investigation_fund", "m11", django_capture_on_commit_callbacks)
    files = {e.format: stored(e) for e in Evidence.objects.current().filter(item_period__item__code="O13")}
    assert set(files) == {"pdf", "xlsx", "docx"}  # police O13: PDF, Excel and Word
    summary, spending, _signatures = docx_tables(files["docx"])
    amounts = [row[1] for row in summary[1:]]
    assert amounts == ["21,499.75", "20,000.00", "7,200.50", "34,299.25"]  # brought forward, in, out, balance
    assert spending[1][2] == "ค่าเดินทางสืบสวนคดีฉ้อโกงออนไลน์" and spending[-1][-1] == "7,200.50"
    assert in_pdf("ค่าตอบแทนสายลับคดีลักทรัพย์", pdf_text(files["pdf"]))
