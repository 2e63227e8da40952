"""In a real browser, on a phone-sized screen: log in, find the unit, switch language in place."""

import pytest

from tests.conftest import log_in

pytestmark = [pytest.mark.browser]


def test_officer_logs_in_and_reads_the_unit_on_a_phone(live_server, committed_demo, phone):
    log_in(phone, live_server.url, "bk-viewer")
    assert phone.url.endswith("/staff/work/")  # everyone starts on my work
    phone.goto(live_server.url + "/staff/")
    phone.click("text=สถานีตำรวจนครบาลบึงกุ่ม")
    phone.wait_for_load_state("networkidle")
    body = phone.inner_text("main")
    assert "พ.ต.ท.วิทยา ภูษะมา" in body and "ผู้ควบคุม" in body
    assert "O25" in body
    # Works on a phone: nothing wider than the screen, the Thai web font really loaded.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.evaluate("document.fonts.check('16px Sarabun')")
    assert phone.evaluate("[...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded')")

    unit_url = phone.url
    phone.click("nav button[data-bs-toggle=collapse]")
    phone.click("a:has-text('English')")
    phone.wait_for_load_state("networkidle")
    assert phone.url == unit_url.replace(live_server.url, live_server.url + "/en", 1)  # English at its own address
    assert "Responsible officers" in phone.inner_text("main")
    assert phone.get_attribute("html", "lang") == "en"


def test_wrong_password_says_so_in_thai(live_server, committed_demo, phone):
    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "bk-viewer")
    phone.fill("input[name=password]", "wrong-password")
    phone.click("button:has-text('เข้าสู่ระบบ')")
    assert "กรุณาใส่" in phone.inner_text("main")  # Django's own Thai message
    assert phone.input_value("input[name=username]") == "bk-viewer"  # what was typed is kept
