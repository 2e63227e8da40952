"""WCAG 2.1 A/AA (axe-core in Chromium) on the pages with which units run themselves and
national admins onboard them, at phone size."""

import pytest

from tests.conftest import admin_of, log_in
from tests.test_accessibility import violations

pytestmark = [pytest.mark.browser]

UNIT = ["/staff/units/sn-buengkum/edit/", "/staff/units/sn-buengkum/officers/", "/staff/units/sn-buengkum/officers/new/",
        "/staff/units/sn-buengkum/roles/", "/staff/units/sn-buengkum/assignments/2567/", "/staff/units/sn-buengkum/history/",
        "/staff/invitations/"]
NATIONAL = ["/staff/import/", "/staff/frameworks/"]


def test_unit_pages(live_server, committed_demo, phone):
    log_in(phone, live_server.url, "bk-admin")
    problems = {path: v for path in UNIT if (v := violations(phone, live_server.url + path))}
    assert problems == {}, problems


def test_national_pages(live_server, committed_demo, phone):
    admin_of("rtp", "axe-national")
    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "axe-national")
    phone.fill("input[name=password]", "pw-admin-2567")
    phone.click("button:has-text('เข้าสู่ระบบ')")
    problems = {path: v for path in NATIONAL if (v := violations(phone, live_server.url + path))}
    assert problems == {}, problems
