"""Forgot your password, in Chromium at desktop and phone size, in Thai (issue 19, point 3): from the
login page's link to the e-mail, a new password, and a login with it; the used link then refuses.
Screenshots go to /work/helpers/shots-main when it exists."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

pytestmark = [pytest.mark.browser]

SHOTS = Path("/work/helpers/shots-main")


def shot(page, name):
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_commander_who_forgot_sets_a_new_password(browser, live_server, committed_demo, width):
    cache.clear()  # the rate limits count in the cache
    get_user_model().objects.filter(username="bk-commander").update(email="commander@police.go.th")
    mail.outbox.clear()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_role("link", name="ลืมรหัสผ่าน?").click()
    page.fill("input[name=email]", "Commander@police.go.th")
    shot(page, f"reset-ask-{width}")
    page.get_by_role("button", name="ส่งลิงก์ให้ฉัน").click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["commander@police.go.th"]
    shot(page, f"reset-sent-{width}")
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)

    page.goto(live_server.url + urlsplit(link).path)
    password = page.locator("input[type=password]")
    password.nth(0).fill("Ch0ose-a-n3w-one")
    password.nth(1).fill("Ch0ose-a-n3w-one")
    shot(page, f"reset-choose-{width}")
    page.get_by_role("button", name="บันทึกรหัสผ่านใหม่").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="ตั้งรหัสผ่านใหม่เรียบร้อยแล้ว").is_visible()
    shot(page, f"reset-done-{width}")

    page.get_by_role("link", name="เข้าสู่ระบบ").last.click()
    page.fill("input[name=username]", "bk-commander")
    page.fill("input[name=password]", "Ch0ose-a-n3w-one")
    page.locator("main button").click()
    page.wait_for_load_state()
    assert "/staff/work/" in page.url  # in, with the new password, on my work
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sideways on a phone
    context.close()

    again = browser.new_page(locale="th-TH")
    again.goto(live_server.url + urlsplit(link).path)
    assert again.locator("[data-reset-invalid]").count() == 1  # the link worked once
    again.close()
