"""The readiness overview in Chromium, as headquarters use it: filter, sort, drill down, download
the Excel; at desktop and phone size, in Thai (screenshots kept in the test's directory)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import approve_period, log_in, make_pdf

pytestmark = [pytest.mark.browser]


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="th-TH", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def some_progress(committed_demo, users):
    from units.models import Unit

    station = Unit.objects.get(slug="sn-buengkum")
    from oit_items.rulebook.models import Item

    o7 = Item.objects.for_unit(station, 2567).get(code="O7")
    approve_period(users, station, o7, datetime.date(2023, 10, 1), [("รายงาน ต.ค.66.pdf", make_pdf())])


def test_headquarters_filter_sort_drill_down_and_download(live_server, some_progress, desktop, tmp_path):
    page = desktop
    log_in(page, live_server.url, "hq-supervisor")
    assert page.url.endswith("/staff/work/")  # supervisors start on my work, which leads to their overview
    page.click("a:has-text('ภาพรวม · ')")
    assert "/staff/units/rtp/overview/" in page.url
    assert page.locator("tr[data-unit]").count() == 2  # บช.น. and สตม.

    page.check("input[name=overdue]")
    page.click("form[role=search] button")
    page.wait_for_load_state("networkidle")
    assert "overdue=on" in page.url
    page.click("a.sort-link[data-sort=readiness]")
    page.wait_for_load_state("networkidle")
    assert "sort=readiness" in page.url and "overdue=on" in page.url
    values = [int(v) for v in page.locator("td[data-readiness]").evaluate_all(
        "cells => cells.map(c => c.dataset.readiness).filter(v => v !== '')")]
    assert values == sorted(values)
    page.screenshot(path=str(tmp_path / "overview-national-desktop.png"), full_page=True)

    page.click("tr[data-unit=mpb] th a")
    page.wait_for_load_state("networkidle")
    page.click("tr[data-unit=mpd-4] th a")
    page.wait_for_load_state("networkidle")
    assert "/staff/units/mpd-4/overview/" in page.url
    crumbs = page.inner_text("nav[aria-label=breadcrumb]")
    assert "ตร." in crumbs and "บช.น." in crumbs and "บก.น.4" in crumbs
    page.screenshot(path=str(tmp_path / "overview-division-desktop.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("a[data-export=xlsx]")
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(load_workbook(io.BytesIO(target.read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][0] == "หน่วย" and [r[1] for r in rows[1:]] == ["sn-buengkum"]
    assert rows[1][0] == "สถานีตำรวจนครบาลบึงกุ่ม" and rows[1][7] == 0 and rows[1][11] > 0  # nothing whole yet, overdue

    page.click("tr[data-unit=sn-buengkum] th a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/staff/units/sn-buengkum/")
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in page.inner_text("main")


def test_the_overview_fits_a_phone(live_server, some_progress, phone, tmp_path):
    log_in(phone, live_server.url, "hq-supervisor")
    phone.goto(f"{live_server.url}/staff/units/mpd-4/overview/2567/")
    phone.wait_for_load_state("networkidle")
    assert "ความพร้อม" in phone.inner_text("main")
    # The page itself does not scroll sideways; only the wide table does, inside its frame.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(tmp_path / "overview-division-phone.png"), full_page=True)
    phone.goto(f"{live_server.url}/staff/units/rtp/overview/2567/heatmap/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(tmp_path / "heatmap-phone.png"), full_page=True)
