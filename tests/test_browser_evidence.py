"""The evidence journey in a real browser: upload, submit, check, approve — and what the
workspace then shows for October and November."""

import pytest

from tests.conftest import log_in, make_docx, make_pdf

pytestmark = [pytest.mark.browser]

ITEM = "/staff/units/sn-buengkum/ita/2567/o7/"


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in(page, live_server.url, username)
    return context, page


def test_o7_october_from_upload_to_approval(browser, live_server, committed_demo, tmp_path):
    pdf = tmp_path / "รายงานผลการปฏิบัติราชการ ต.ค.66.pdf"
    pdf.write_bytes(make_pdf(2))
    word = tmp_path / "รายงานผลการปฏิบัติราชการ ต.ค.66.docx"
    word.write_bytes(make_docx())

    context, page = as_user(browser, live_server, "bk-responsible")
    page.goto(live_server.url + ITEM)
    october = page.locator("section#m10")
    october.locator("summary", has_text="อัปโหลดไฟล์").click()
    october.locator("input[name=files]").set_input_files([str(pdf), str(word)])
    october.locator("form.upload-form button", has_text="อัปโหลด").click()
    # Each file shows its own progress bar, then the page reloads with both files listed.
    listed = page.locator("section#m10 .list-group-item a", has_text="รายงานผลการปฏิบัติราชการ ต.ค.66")
    listed.nth(1).wait_for()
    assert listed.count() == 2
    page.locator("section#m10 button[data-action=submit]").click()
    page.wait_for_selector("section#m10 [data-state=submitted]")
    context.close()

    context, page = as_user(browser, live_server, "bk-controller")
    page.goto(live_server.url + ITEM)
    page.locator("section#m10 button[data-action=check]").click()
    page.wait_for_selector("section#m10 [data-state=checked]")
    context.close()

    context, page = as_user(browser, live_server, "bk-commander")
    page.goto(live_server.url + ITEM)
    page.locator("section#m10 a[data-action=approve]").click()  # the page that shows what becomes public
    assert page.locator("[data-snapshot-entry]").count() == 2 and page.locator("[data-checks=pass]").count() == 1
    page.locator("button[data-action=approve]").click()
    page.wait_for_selector("section#m10 [data-state=approved]")

    page.goto(live_server.url + "/staff/units/sn-buengkum/ita/2567/")
    october_cell = page.locator("td[data-cell=O7-m10]")
    november_cell = page.locator("td[data-cell=O7-m11]")
    assert october_cell.get_attribute("data-state") == "approved"
    assert october_cell.get_attribute("data-passed") == "1"
    assert "อนุมัติแล้ว" in october_cell.inner_text()
    assert november_cell.get_attribute("data-passed") == "0"
    assert "ไม่มีหลักฐาน ของเดือน พ.ย. 2566" in november_cell.inner_text()
    # The downloaded file keeps its Thai name.
    with page.expect_download() as download_info:
        page.goto(live_server.url + ITEM)
        page.locator("section#m10 a", has_text="รายงานผลการปฏิบัติราชการ ต.ค.66").first.click()
    assert download_info.value.suggested_filename.startswith("รายงานผลการปฏิบัติราชการ ต.ค.66.")
    context.close()
