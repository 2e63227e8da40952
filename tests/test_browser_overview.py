"""The readiness overview in Chromium, as headquarters use it: filter, sort, drill down, download
the Excel; at desktop and phone size, in Thai (screenshots kept in the test's directory)."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import approve_period, log_in, make_pdf

pytestmark = [pytest.mark.browser]
SHOTS = Path("/work/helpers/shots-E")  # kept for a person to look at; the test's own directory otherwise


def shot(page, tmp_path, name):
    folder = SHOTS if SHOTS.parent.is_dir() else tmp_path
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
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
    # Whom to call today, on the first screen: the stations and units themselves, the most overdue
    # first, each with its admin and commander.
    assert page.locator("tr[data-unit]").count() == 2
    assert set(page.locator("tr[data-unit]").evaluate_all("rows => rows.map(r => r.dataset.unit)")) == {
        "sn-buengkum", "imm-buengkan"}
    overdue = [int(v) for v in page.locator("td[data-overdue]").evaluate_all("cells => cells.map(c => c.dataset.overdue)")]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] > 0
    assert "bk-admin" in page.inner_text("tr[data-unit=sn-buengkum] td[data-admins]")
    assert page.locator("a[data-view=worst].active").count() == 1
    for cell in ("td[data-overdue]", "td[data-admins]", "td[data-commanders]"):  # no scrolling to whom to call
        box = page.locator(f"tr[data-unit=sn-buengkum] {cell}").bounding_box()
        assert box and box["x"] + box["width"] <= 1280, (cell, box)
    shot(page, tmp_path, "overview-national-default-1280.png")
    page.click("a[data-view=levels]")  # the bureaus, one tap away
    page.wait_for_load_state("networkidle")
    assert page.locator("tr[data-unit]").count() == 2 and page.locator("tr[data-unit=mpb]").count() == 1

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
    shot(page, tmp_path, "overview-national-filtered-1280.png")

    page.click("tr[data-unit=mpb] th a")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr[data-unit=sn-buengkum]").count() == 1  # a bureau opens on its stations too
    page.click("a[data-view=levels]")
    page.wait_for_load_state("networkidle")
    page.click("tr[data-unit=mpd-4] th a")
    page.wait_for_load_state("networkidle")
    assert "/staff/units/mpd-4/overview/" in page.url
    crumbs = page.inner_text("nav[aria-label=breadcrumb]")
    assert "ตร." in crumbs and "บช.น." in crumbs and "บก.น.4" in crumbs
    shot(page, tmp_path, "overview-division-1280.png")

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
    page.goto(f"{live_server.url}/staff/units/rtp/overview/2567/heatmap/")
    assert page.locator("span:has-text('ล้าหลังที่สุด'), .badge.text-bg-danger").count() >= 1
    shot(page, tmp_path, "heatmap-1280.png")


def test_the_overview_fits_a_phone(live_server, some_progress, phone, tmp_path):
    from units.models import Officer, Unit

    Officer.objects.filter(user__username="bk-commander").update(phone="081 234 5678")
    Unit.objects.filter(slug="imm-buengkan").update(phone="042 491 000")
    log_in(phone, live_server.url, "hq-supervisor")
    phone.goto(f"{live_server.url}/staff/units/rtp/overview/2567/")
    phone.wait_for_load_state("networkidle")
    assert "ความพร้อม" in phone.inner_text("main")
    # Each unit is a card: nothing scrolls sideways, and its overdue count and whom to call are on screen.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for slug in ("sn-buengkum", "imm-buengkan"):
        for cell in ("td[data-overdue]", "td[data-admins]", "td[data-commanders]", "td[data-score]"):
            box = phone.locator(f"tr[data-unit={slug}] {cell}").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (slug, cell, box)
    label = phone.locator("tr[data-unit=sn-buengkum] td[data-overdue]").evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert "เกินกำหนด" in label  # each value labelled on the card
    assert phone.locator("tr[data-unit=sn-buengkum] a[href='tel:0812345678']").is_visible()
    assert phone.locator("tr[data-unit=imm-buengkan] a[href='tel:042491000']").is_visible()
    shot(phone, tmp_path, "overview-national-default-390.png")
    phone.goto(f"{live_server.url}/staff/units/mpd-4/overview/2567/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, tmp_path, "overview-division-390.png")
    phone.goto(f"{live_server.url}/staff/units/rtp/overview/2567/heatmap/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, tmp_path, "heatmap-390.png")
