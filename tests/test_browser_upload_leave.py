"""Leaving the item page while files upload (issue 19): three files chosen, upload pressed, then
"งานของฉัน" tapped mid-upload. The files are sent one by one; the page holds the tap until the
last is stored (saying so, with "stay" and "leave now"), so nothing is lost without a word."""

import pytest

from oit_items.evidence.models import Evidence
from tests.conftest import log_in, make_pdf

pytestmark = [pytest.mark.browser]

ITEM = "/staff/units/sn-buengkum/ita/2567/o7/"
SHOTS = "/work/helpers/shots-D"


def stored():
    return Evidence.objects.filter(item_period__unit__slug="sn-buengkum", item_period__item__code="O7",
                                   item_period__month__month=10, kind=Evidence.FILE, removed_at=None).count()


def start_three_uploads(browser, live_server, tmp_path, width, last=None):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in(page, live_server.url, "bk-responsible")
    page.goto(live_server.url + ITEM)
    # Each request waits 700 ms on the wire, so the three files take about two seconds.
    page.context.new_cdp_session(page).send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 700, "downloadThroughput": -1, "uploadThroughput": -1})
    files = []
    for n in (1, 2, 3):
        path = tmp_path / f"รายงาน ต.ค.66 ฉบับที่ {n}.pdf"
        path.write_bytes(make_pdf(1, marker=f"file {n}"))
        files.append(str(path))
    if last:
        files[-1] = str(last)
    october = page.locator("section#m10")
    october.locator("summary", has_text="อัปโหลดไฟล์").click()
    october.locator("input[name=files]").set_input_files(files)
    october.locator("form.upload-form button", has_text="อัปโหลด").click()
    october.locator(".upload-progress .progress-bar.bg-success").first.wait_for()  # the first is stored
    return context, page


def tap_my_work(page, width):
    if width < 768:
        page.locator("button.navbar-toggler").click()
    page.locator("nav a.nav-link", has_text="งานของฉัน").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_leaving_mid_upload_waits_for_every_file_then_goes(browser, live_server, committed_demo, tmp_path, width):
    before = stored()
    context, page = start_three_uploads(browser, live_server, tmp_path, width)
    tap_my_work(page, width)
    notice = page.locator(".upload-leaving")
    notice.wait_for()
    assert "ไฟล์ยังอัปโหลดไม่เสร็จ (เหลืออีก 2 ไฟล์)" in notice.locator(".words").inner_text()
    page.screenshot(path=f"{SHOTS}/upload-leaving-{width}.png")
    page.wait_for_url("**/staff/work/")  # the tapped page opens once the last file is stored
    assert stored() == before + 3
    context.close()


def test_staying_keeps_the_page_and_every_file(browser, live_server, committed_demo, tmp_path):
    before = stored()
    context, page = start_three_uploads(browser, live_server, tmp_path, 390)
    tap_my_work(page, 390)
    page.locator(".upload-leaving button.stay").click()
    listed = page.locator("section#m10 .list-group-item a", has_text="รายงาน ต.ค.66 ฉบับที่")
    listed.nth(2).wait_for()  # the page reloads with the three files listed
    assert "/ita/2567/o7/" in page.url and stored() == before + 3
    context.close()


def test_closing_the_tab_mid_upload_asks_first(browser, live_server, committed_demo, tmp_path):
    before = stored()
    context, page = start_three_uploads(browser, live_server, tmp_path, 1280)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)  # the user answers "stay"
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"] and not page.is_closed()
    page.locator("section#m10 .list-group-item a", has_text="รายงาน ต.ค.66 ฉบับที่").nth(2).wait_for()
    assert stored() == before + 3
    context.close()


def test_a_refused_file_keeps_the_user_here_with_the_reason(browser, live_server, committed_demo, tmp_path):
    before = stored()
    notes = tmp_path / "บันทึก.txt"
    notes.write_text("ไม่ใช่ไฟล์ที่รับ")
    context, page = start_three_uploads(browser, live_server, tmp_path, 1280, last=notes)
    tap_my_work(page, 1280)
    notice = page.locator(".upload-leaving")
    notice.wait_for()
    notice.locator(".leave-now").wait_for(state="detached")  # every file answered, one refused
    assert "มีไฟล์ที่อัปโหลดไม่สำเร็จ" in notice.inner_text()
    assert "/ita/2567/o7/" in page.url and stored() == before + 2
    assert page.locator("section#m10 .upload-progress .text-danger").count() == 1
    context.close()


def test_logging_out_mid_upload_waits_too(browser, live_server, committed_demo, tmp_path):
    """A form elsewhere on the page (here "log out") is held like a link, then sent as pressed."""
    before = stored()
    context, page = start_three_uploads(browser, live_server, tmp_path, 1280)
    page.locator("nav form button", has_text="ออกจากระบบ").click()
    page.locator(".upload-leaving").wait_for()
    page.wait_for_url(lambda url: "/ita/2567/o7/" not in url)
    assert stored() == before + 3
    page.goto(live_server.url + ITEM)
    assert "/login/" in page.url  # logged out indeed
    context.close()
