"""Thai pages in Thai: error pages with the site's navigation, English subtitles only in English
mode, a favicon."""

from django.urls import reverse

ITEM = "/staff/units/sn-buengkum/ita/2567/o7/"


def test_404_is_thai_with_the_navigation(client, db):
    response = client.get("/u/no-such-unit/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in body and 'class="navbar' in body and "Not Found" not in body


def test_403_is_thai_with_the_navigation(client, users):
    client.force_login(users["other-admin"])
    response = client.get(ITEM)
    body = response.content.decode()
    assert response.status_code == 403
    assert "ท่านไม่มีสิทธิ์เปิดหน้านี้" in body and reverse("my-work") in body and "Forbidden" not in body


def test_500_is_thai_and_needs_no_database(db, rf):
    from django.views.defaults import server_error

    body = server_error(rf.get("/")).content.decode()
    assert "ระบบขัดข้อง" in body and 'class="navbar' in body


def test_english_subtitles_and_dates_only_in_english(client, users):
    client.force_login(users["viewer"])
    thai = client.get(ITEM).content.decode()
    assert "Monthly operations report" not in thai and "Oct 2023" not in thai
    english = client.get("/en" + ITEM).content.decode()
    assert "Oct 2023" in english and 'lang="en"' in english


def test_a_favicon(client, db):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_pages_carry_thai_validation_texts_for_the_browser(client, users):
    """The browser's own bubbles speak the browser's language; static/js/forms.js gives each invalid
    field one of these instead (checked in Chromium in tests/test_browser_my_work.py)."""
    client.force_login(users["responsible"])
    body = client.get(ITEM).content.decode()
    assert 'data-required="โปรดกรอกช่องนี้"' in body and 'data-required-file="โปรดเลือกไฟล์"' in body
