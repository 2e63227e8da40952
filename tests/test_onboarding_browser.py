"""The rollout journey in a real browser, from an empty portal, never through /admin/:
a national admin (created by the command) imports the sample spreadsheet (dry run, then apply);
the new unit's admin receives the invitation, chooses a password, edits the unit's contacts,
adds an officer with a photo, makes them head, assigns O7 to another officer and grants that
officer the responsible role."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from units import reference
from units.models import LineOfWork, Officer, Role, Unit, UnitType

pytestmark = [pytest.mark.browser]
PASSWORD = "Ch0ose-a-g00d-one"


def invitation_link(address) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return re.search(r"https?://\S+/invite/\S+/", message.body).group(0)


def accept(page, base_url, link):
    page.goto(base_url + "/" + link.split("/", 3)[3])
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.click("button:has-text('ตั้งรหัสผ่านและเข้าสู่ระบบ')")
    page.wait_for_load_state("networkidle")


def photo(path):
    from PIL import Image

    Image.new("RGB", (300, 400), (40, 80, 140)).save(path, "JPEG")
    return path


def test_national_rollout_journey(browser, live_server, transactional_db, tmp_path, settings):
    settings.SITE_URL = live_server.url
    call_command("flush", interactive=False, verbosity=0)  # an empty portal, as after `migrate` …
    reference.ensure(UnitType, LineOfWork)  # … which loads the reference data
    call_command("load_frameworks", stdout=io.StringIO())
    call_command("ensure_fiscal_year", stdout=io.StringIO())
    call_command("create_national_admin", "national-admin", email="national@police.go.th", stdout=io.StringIO())
    year = thaidate.fiscal_year(timezone.localdate())

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    accept(page, live_server.url, invitation_link("national@police.go.th"))
    page.goto(live_server.url + "/staff/units/rtp/")
    page.click("text=นำเข้าจากไฟล์ตาราง")
    with page.expect_download() as download:
        page.click("text=ดาวน์โหลดไฟล์ตัวอย่าง")
    sample = tmp_path / "sample.xlsx"
    download.value.save_as(sample)
    page.set_input_files("input[name=files]", str(sample))
    page.click("button:has-text('ตรวจไฟล์')")
    page.wait_for_selector("#import-batch[data-state=checked]")
    assert "ตรวจแล้ว (ยังไม่บันทึก)" in page.content() and not Unit.objects.filter(slug="sn-buengkum").exists()
    page.click("button:has-text('นำเข้าตามนี้')")
    page.wait_for_selector("#import-batch[data-state=applied]")
    assert Unit.objects.filter(slug="sn-buengkum").exists() and len(mail.outbox) == 1 + 12
    context.close()

    # The new unit's admin: the invitation e-mail, a password of their own, then the unit.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(20000)
    accept(page, live_server.url, invitation_link("bk-admin@demo.ita-portal.local"))
    assert "ยินดีต้อนรับ bk-admin" in page.content()
    page.goto(live_server.url + "/staff/units/sn-buengkum/")
    page.click("text=ข้อมูลติดต่อและตราหน่วย")
    page.fill("textarea[name=address]", "ถนนนวมินทร์ แขวงคลองกุ่ม เขตบึงกุ่ม กรุงเทพมหานคร 10240")
    page.fill("input[name=phone]", "02 377 3301")
    page.fill("input[name=latitude]", "13.785612")
    page.fill("input[name=longitude]", "100.664812")
    page.click("button:has-text('บันทึก')")
    page.wait_for_selector("text=บันทึกข้อมูลของ")

    page.goto(live_server.url + "/staff/units/sn-buengkum/officers/")
    page.click("text=เพิ่มเจ้าหน้าที่")
    page.select_option("select[name=rank]", "พ.ต.อ.")
    page.fill("input[name=first_name]", "ประเสริฐ")
    page.fill("input[name=last_name]", "มั่นคง")
    page.fill("input[name=position]", "ผกก.สน.บึงกุ่ม")
    page.set_input_files("input[name=photo]", str(photo(tmp_path / "ผกก.jpg")))
    page.click("button:has-text('บันทึก')")
    newcomer = page.locator("li.list-group-item", has_text="พ.ต.อ.ประเสริฐ มั่นคง")
    newcomer.locator("img.officer-photo").wait_for()
    newcomer.locator("button:has-text('ตั้งเป็นหัวหน้าหน่วย')").click()
    page.wait_for_selector("text=เป็นหัวหน้าหน่วยของ")

    o7 = Item.objects.for_unit(Unit.objects.get(slug="sn-buengkum"), year).get(code="O7")
    chaiyakorn = Officer.objects.get(key="bk-chaiyakorn")
    page.goto(live_server.url + "/staff/units/sn-buengkum/")
    page.click(f"text=การมอบหมายงาน {year}")
    picker = page.locator("#assign-form tr[data-item=O7] .officer-picker").first  # O7's responsible officers
    picker.locator("summary").click()
    for box in picker.locator("input:checked").all():
        box.uncheck()
    picker.locator(f"input[value='{chaiyakorn.pk}']").check()
    page.click("button:has-text('บันทึกการมอบหมายงาน')")
    page.wait_for_selector("text=บันทึกการมอบหมายงานแล้ว")

    page.goto(live_server.url + "/staff/units/sn-buengkum/roles/")
    page.select_option("select[name=person]", f"o{chaiyakorn.pk}")
    page.select_option("select[name=role]", "responsible")
    page.fill("input[name=username]", "bk-chaiyakorn")
    page.fill("input[name=email]", "chaiyakorn@police.go.th")
    page.click("form button:has-text('มอบบทบาท')")
    page.wait_for_selector("text=ส่งคำเชิญให้ตั้งรหัสผ่านไปที่ chaiyakorn@police.go.th")
    assert "/admin/" not in page.url
    context.close()

    unit = Unit.objects.get(slug="sn-buengkum")
    assert unit.phone == "02 377 3301" and str(unit.latitude) == "13.785612"
    assert unit.head.display_name == "พ.ต.อ.ประเสริฐ มั่นคง" and unit.head.photo
    assert list(Assignment.objects.get(unit=unit, item=o7).responsible.all()) == [chaiyakorn]
    chaiyakorn.refresh_from_db()
    assert Role.objects.filter(user=chaiyakorn.user, unit=unit, role="responsible").exists()
    assert not chaiyakorn.user.has_usable_password() and invitation_link("chaiyakorn@police.go.th")
