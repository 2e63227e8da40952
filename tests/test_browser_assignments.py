"""The station admin assigns officers in Chromium (issue 19, point 10), at desktop and phone size:
adds an officer to an item without dropping the one there, finds an officer's items by name, and
assigns two ticked items at once. Screenshots go to /work/helpers/shots-D when it exists."""

from pathlib import Path

import pytest

from oit_items.evidence.models import Assignment
from tests.conftest import log_in
from units.models import Officer, Unit

pytestmark = [pytest.mark.browser]

PAGE = "/staff/units/sn-buengkum/assignments/2567/"
SHOTS = Path("/work/helpers/shots-D")
# Each size works on its own items, so both run on one loaded demo.
SIZES = {1280: {"item": "O7", "bulk": ("O1", "O2")}, 390: {"item": "O8", "bulk": ("O3", "O4")}}


def officers(code, relation):
    assignment = Assignment.objects.get(unit__slug="sn-buengkum", item__framework__fiscal_year=2567, item__code=code)
    return set(getattr(assignment, relation).values_list("pk", flat=True))


def shot(page, name):
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visible_rows(page):
    return set(page.eval_on_selector_all("#assign-form tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.item)"))


def test_the_admin_assigns_on_one_screen(browser, live_server, committed_demo):
    station = Unit.objects.get(slug="sn-buengkum")
    for width, plan in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
        page = context.new_page()
        page.set_default_timeout(20000)
        log_in(page, live_server.url, "bk-admin")
        page.goto(live_server.url + PAGE)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{width}: scrolls sideways"
        print(f"{width}px: page height {page.evaluate('document.documentElement.scrollHeight')} px")
        shot(page, f"assignments-{width}")

        # Add a second responsible officer: the one there stays.
        code = plan["item"]
        before = officers(code, "responsible")
        row = page.locator(f"#assign-form tr[data-item={code}]")
        picker = row.locator(".officer-picker").first
        picker.locator("summary").click()
        new = picker.locator("input:not(:checked)").first
        added = int(new.get_attribute("value"))
        picker.locator(f"label[for='{new.get_attribute('id')}']").click()
        assert picker.locator(".chips .badge").count() == len(before) + 1
        assert "1 ข้อ" in page.locator("[data-changed]").inner_text()
        shot(page, f"assignments-{width}-picker")
        page.locator("#assign-form button", has_text="บันทึกการมอบหมาย").click()
        page.wait_for_load_state("load")
        assert "บันทึกการมอบหมายงานแล้ว" in page.locator(".alert").first.inner_text()
        assert officers(code, "responsible") == before | {added}

        # Find the officer's items by name: only theirs are shown.
        officer = Officer.objects.get(pk=added)
        theirs = {a.item.code for a in Assignment.objects.for_unit(station, 2567)
                  if added in {o.pk for o in a.responsible.all()} | {o.pk for o in a.controllers.all()}}
        page.fill("[data-assign-filter]", officer.last_name)
        assert code in theirs and visible_rows(page) == theirs
        assert f"แสดง {len(theirs)} จาก" in page.locator("[data-shown]").inner_text()
        shot(page, f"assignments-{width}-search")
        page.fill("[data-assign-filter]", "")

        # Tick two rows and assign them a controller at once; their controllers stay.
        first, second = plan["bulk"]
        kept = {c: officers(c, "controllers") for c in plan["bulk"]}
        for c in plan["bulk"]:
            page.locator(f"#assign-form tr[data-item={c}] input[name=chosen]").check()
        assert page.locator("#bulk-form select[name=items]").input_value() == "chosen"
        assert "ติ๊กไว้ 2 ข้อ" in page.locator("[data-ticked]").inner_text()
        shot(page, f"assignments-{width}-ticked")
        page.locator("#bulk-form select[name=officer]").select_option(str(added))
        page.locator("#bulk-form select[name=relation]").select_option("controllers")
        page.locator("#bulk-form button", has_text="มอบหมาย").click()
        page.wait_for_load_state("load")
        assert officers(first, "controllers") == kept[first] | {added}
        assert officers(second, "controllers") == kept[second] | {added}
        assert added not in officers("O5", "controllers")
        context.close()
