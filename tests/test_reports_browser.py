"""Monthly procurement on a phone, in a real browser: two purchases typed in (the second through
"add a purchase"), saved, the documents asked for with htmx, the files listed when done."""

import pytest

from reports.models import Purchase
from tests.conftest import log_in

pytestmark = [pytest.mark.browser]

PAGE = "/staff/units/sn-buengkum/reports/2567/data/procurement/m10/"


def fill_purchase(page, n, item, price, bidder):
    page.fill(f"[name=purchases-{n}-item]", item)
    page.fill(f"[name=purchases-{n}-budget]", price)
    page.fill(f"[name=purchases-{n}-bids_text]", f"{bidder} {price}")
    page.fill(f"[name=purchases-{n}-winner]", bidder)
    page.fill(f"[name=purchases-{n}-agreed_price]", price)


def test_procurement_entered_on_a_phone_becomes_documents(phone, live_server, committed_demo):
    log_in(phone, live_server.url, "bk-responsible")
    phone.goto(live_server.url + PAGE)
    fill_purchase(phone, 0, "จัดซื้อน้ำดื่มสำหรับผู้มาติดต่อราชการ", "12,500.00", "ร้านน้ำใสบึงกุ่ม")
    phone.locator(".formset[data-prefix=purchases] .formset-add").click()
    fill_purchase(phone, 1, "จ้างซ่อมแซมรถยนต์สายตรวจ", "48,150.75", "อู่ช่างเก่งยนตรการ")
    phone.locator("form.report-form button.btn-primary").last.click()
    phone.wait_for_selector(".alert-success")
    assert set(Purchase.objects.values_list("item", flat=True)) == {"จ้างซ่อมแซมรถยนต์สายตรวจ",
                                                                   "จัดซื้อน้ำดื่มสำหรับผู้มาติดต่อราชการ"}

    phone.locator("#job-procurement_summary button[data-action=render]").click()
    phone.wait_for_selector("#job-procurement_summary[data-state=done]", timeout=60000)
    links = phone.locator("#job-procurement_summary a[data-format]")
    assert sorted(links.evaluate_all("els => els.map(e => e.dataset.format)")) == ["pdf", "xlsx"]
    assert "ต.ค.66" in links.first.inner_text()
