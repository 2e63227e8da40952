"""The channels' QR codes and the search page in a real browser: a tap on a QR opens it larger in
the page (no download, no navigation) and the PNG download is a link of its own; the search page
has its heading and finds งบประมาณ inside ปีงบประมาณ. Screenshots at 1280 and 390 px."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

SHOTS = Path("/work/helpers/shots-C")
DIALOG = "dialog#qr-usn-buengkumquestions"


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def page(request, browser):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844}, locale="th-TH",
                                  accept_downloads=True, has_touch=width < 500)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.width = width
    yield page
    context.close()


def _shot(page, name):
    if SHOTS.parent.exists():  # on the project's machine: kept for a person to look at
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{page.width}.png"), full_page=True)


def test_a_tap_on_a_qr_opens_it_larger_and_downloads_nothing(live_server, committed_demo, page):
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    url = f"{live_server.url}/u/sn-buengkum/"
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator(DIALOG).is_hidden()
    thumb = page.locator('a.qr-open[data-qr-dialog="qr-usn-buengkumquestions"]')
    thumb.tap() if page.width < 500 else thumb.click()  # a thumb on a phone
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible")
    big = dialog.locator("img.qr-large").bounding_box()
    assert big["width"] >= 200 and big["width"] <= page.width  # larger than the 72 px thumb, within the screen
    assert page.evaluate("document.querySelector('img.qr-large').complete && "
                         "document.querySelector('img.qr-large').naturalWidth > 0")
    assert page.url == url and downloads == []
    assert "QR Code ของ" in dialog.inner_text() and "ถาม-ตอบ" in dialog.inner_text()
    _shot(page, "qr-dialog")
    with page.expect_download() as download:
        dialog.locator("a", has_text="PNG").click()
    assert download.value.suggested_filename.endswith(".png")
    dialog.locator("button", has_text="ปิด").click()
    assert page.locator(DIALOG).is_hidden()


def test_the_search_page_has_its_heading_and_finds_words_in_compounds(live_server, committed_demo, page):
    page.goto(f"{live_server.url}/u/sn-buengkum/ita/2567/search/?q=งบประมาณ")
    assert "ค้นหาข้อมูลที่" in page.locator("h1").inner_text()
    assert page.locator("main mark", has_text="งบประมาณ").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "search")
