"""WCAG 2.1 A and AA rules checked by axe-core (npm, served from node_modules, never a CDN) in
Chromium, on the public pages and the main staff pages."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import log_in

pytestmark = [pytest.mark.browser]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLIC = ["/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", "/u/sn-buengkum/ita/2567/o7/", "/u/sn-buengkum/ita/2567/o17/",
          "/u/sn-buengkum/ita/2567/search/?q=รายงาน", "/u/sn-buengkum/questions/", "/u/sn-buengkum/complaints/new/",
          "/u/sn-buengkum/complaints/track/", "/u/sn-buengkum/questions/track/?code=AAAA-BBBB-CCCC", "/units/?q=บึงกุ่ม",
          # English at its own addresses: Thai names inside marked lang="th".
          "/en/", "/en/units/?q=บึงกุ่ม", "/en/u/sn-buengkum/", "/en/u/sn-buengkum/ita/2567/", "/en/u/sn-buengkum/ita/2567/o7/"]
STAFF = ["/staff/", "/staff/units/sn-buengkum/", "/staff/units/sn-buengkum/ita/2567/",
         "/staff/units/sn-buengkum/ita/2567/o7/", "/staff/units/sn-buengkum/ita/2567/itap/",
         "/staff/units/sn-buengkum/questions/", "/staff/units/sn-buengkum/complaints/",
         "/staff/units/sn-buengkum/reports/2567/", "/staff/units/sn-buengkum/measures/2567/",
         "/staff/units/sn-buengkum/measures/2567/calendar/", "/staff/units/sn-buengkum/measures/2567/quotas/",
         "/staff/work/", "/staff/units/sn-buengkum/ita/2567/o7/m10/takedown/", "/staff/no-such-page/",
         "/staff/units/sn-buengkum/measures/2567/eit-link/", "/staff/units/sn-buengkum/measures/2567/documents/"]
# The commander's pages, with a month checked and waiting (O7 November, a PDF without its Word file).
COMMANDER = ["/staff/work/", "/staff/units/sn-buengkum/approvals/", "/staff/units/sn-buengkum/ita/2567/o7/m11/approve/confirm/",
             "/staff/units/sn-buengkum/ita/2567/o7/"]
# The assessor's pages with the demo's sample evidence (monthly files, a "none" month, news photos).
CHECKLIST = ["/u/sn-buengkum/ita/2567/o5/", "/u/sn-buengkum/ita/2567/o7/", "/u/sn-buengkum/ita/2567/o15/",
             "/u/sn-buengkum/ita/2567/o17/", "/u/sn-buengkum/ita/2567/o19/", "/u/sn-buengkum/ita/2567/",
             "/u/sn-buengkum/ita/2567/search/?q=ช่องทาง", "/u/sn-buengkum/", "/u/imm-buengkan/ita/2567/o18/", "/"]


def violations(page, url):
    page.goto(url)
    # Evaluated through the DevTools protocol: the portal's CSP (no inline scripts) rightly refuses a
    # <script> tag injected into the page.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", TAGS)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_public_pages(live_server, committed_demo, approved_o7, phone):
    problems = {path: v for path in PUBLIC if (v := violations(phone, live_server.url + path))}
    assert problems == {}, problems


def test_staff_pages(live_server, committed_demo, approved_o7, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "bk-admin")
    problems = {path: v for path in STAFF if (v := violations(page, live_server.url + path))}
    context.close()
    assert problems == {}, problems


def test_commander_pages(live_server, committed_demo, approved_o7, users, browser):
    import datetime

    from oit_items.evidence.models import Evidence
    from tests.conftest import approve_period, make_pdf

    approve_period(users, approved_o7.unit, approved_o7.item, datetime.date(2023, 11, 1), [("พ.ย.pdf", make_pdf())],
                   publish=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "bk-commander")
    piece = Evidence.objects.filter(item_period=approved_o7).first()
    problems = {path: v for path in COMMANDER if (v := violations(page, live_server.url + path))}
    log_in(page, live_server.url, "bk-responsible")
    edit = f"/staff/evidence/{piece.pk}/edit/"  # an approved file's details: the "returns to draft" note
    problems |= {edit: v for v in [violations(page, live_server.url + edit)] if v}
    context.close()
    assert problems == {}, problems


def test_checklist_pages_with_sample_evidence(live_server, committed_demo, browser):
    from oit_items.demo.evidence import publish_all

    publish_all(2567)
    problems = {}
    for size in ({"width": 390, "height": 844}, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=size, locale="th-TH")
        page = context.new_page()
        problems.update({f"{path} @{size['width']}": v for path in CHECKLIST if (v := violations(page, live_server.url + path))})
        context.close()
    assert problems == {}, problems
