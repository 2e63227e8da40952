"""English at its own addresses (/en/…), Thai unchanged at the old ones: hreflang alternates, the
language switcher, Thai text marked lang="th" on English pages, English names of the units above,
the page cache per language, meta descriptions, `<time datetime>`, an `<h1>` on every page."""

import re

import pytest
from django.core.cache import cache

UNIT = "/u/sn-buengkum/"
INDEX = "/u/sn-buengkum/ita/2567/"
ITEM = "/u/sn-buengkum/ita/2567/o7/"
PAGES = ["/", "/units/?q=บึงกุ่ม", UNIT, INDEX, ITEM, "/u/sn-buengkum/complaints/track/"]


pytestmark = pytest.mark.usefixtures("empty_caches")  # pages are cached per language: each test starts empty


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response, response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_english_at_its_own_address_thai_unchanged(client, approved_o7, path):
    thai, thai_body = _page(client, path)
    english, english_body = _page(client, "/en" + path)
    assert '<html lang="th">' in thai_body and thai["Content-Language"] == "th"
    assert "Accept-Language" not in thai.get("Vary", "")  # the language is in the address, never the browser's
    assert '<html lang="en">' in english_body and english["Content-Language"] == "en"
    assert "เข้าสู่ระบบ" in thai_body and "Log in" in english_body and "เข้าสู่ระบบ" not in english_body
    assert thai_body.count("<h1") == 1 and english_body.count("<h1") == 1  # the unit finder too


@pytest.mark.parametrize("path", ["/en/api/v1/", "/en/sitemap.xml", "/en/robots.txt", "/en/healthz/",
                                  "/en/u/sn-buengkum/files/1/", "/en/lang/th/", "/en/line/webhook/"])
def test_machine_addresses_have_no_english_copy(client, db, path):
    assert client.get(path).status_code == 404
    assert client.get(path[3:]).status_code != 404 or path.endswith("/files/1/")


def test_hreflang_alternates_are_absolute_and_the_same_in_both_languages(client, approved_o7):
    expected = {("th", "http://testserver" + ITEM), ("en", "http://testserver/en" + ITEM),
                ("x-default", "http://testserver" + ITEM)}
    for path in (ITEM, "/en" + ITEM):
        links = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', _page(client, path)[1]))
        assert links == expected


def test_the_switcher_goes_to_the_same_page_in_the_other_language(client, approved_o7):
    english = _page(client, "/en" + ITEM)[1]
    assert f'href="/lang/th/?next=/en{ITEM}"' in english
    switched = client.get("/lang/th/", {"next": "/en" + ITEM + "?x=1"})
    assert switched["Location"] == ITEM + "?x=1" and switched.cookies["django_language"].value == "th"
    assert client.get("/lang/en/", {"next": ITEM})["Location"] == "/en" + ITEM


def test_a_reader_who_chose_english_is_sent_from_thai_addresses(client, approved_o7):
    client.cookies["django_language"] = "en"
    response = client.get(ITEM + "?x=1")
    assert response.status_code == 302 and response["Location"] == "/en" + ITEM + "?x=1"
    assert "Cookie" in response["Vary"] and response["Cache-Control"] == "private, no-cache"
    assert client.get("/api/v1/").status_code == 200  # machine addresses are the same in every language
    assert client.get("/en" + ITEM).status_code == 200
    client.cookies["django_language"] = "th"
    assert client.get("/en" + ITEM).status_code == 200  # an English address is always English


def test_thai_names_are_marked_thai_on_english_pages_only(client, approved_o7):
    english = _page(client, "/en" + ITEM)[1]
    assert '<span lang="th">รายงานผลการปฏิบัติราชการ ต.ค.66</span>' in english  # an evidence name
    assert "Bueng Kum Metropolitan Police Station" in english
    thai = _page(client, ITEM)[1]
    assert "รายงานผลการปฏิบัติราชการ ต.ค.66" in thai and thai.count(' lang="th"') == 1  # <html> only
    unit = _page(client, "/en" + UNIT)[1]
    assert '<h1 class="h3 mb-1">Bueng Kum Metropolitan Police Station</h1>' in unit
    assert '<p class="lead text-muted mb-0" lang="th">สถานีตำรวจนครบาลบึงกุ่ม</p>' in unit


def test_bureaus_and_divisions_by_their_english_names(client, approved_o7):
    english = _page(client, "/en/")[1]
    for name in ("Metropolitan Police Bureau", "Metropolitan Police Division 4", "Immigration Bureau", "Bueng Kum MPS"):
        assert name in english
    assert "กองบัญชาการตำรวจนครบาล" not in english and "สน.บึงกุ่ม" not in english
    thai = _page(client, "/")[1]
    assert "กองบัญชาการตำรวจนครบาล" in thai and "Metropolitan Police Bureau" not in thai
    found = _page(client, "/en/units/?q=บึงกุ่ม")[1]
    assert "Bueng Kum Metropolitan Police Station" in found and "Metropolitan Police Division 4" in found


def test_a_unit_without_an_english_name_keeps_its_thai_one_marked(client, approved_o7, station):
    type(station).objects.filter(pk=station.pk).update(name_en="")
    unit = _page(client, "/en" + UNIT)[1]
    assert '<h1 class="h3 mb-1"><span lang="th">สถานีตำรวจนครบาลบึงกุ่ม</span></h1>' in unit
    assert "<title>สถานีตำรวจนครบาลบึงกุ่ม</title>" in unit  # no markup inside <title>


def test_each_language_is_cached_under_its_own_key(client, approved_o7, django_assert_num_queries):
    thai, english = _page(client, ITEM)[1], _page(client, "/en" + ITEM)[1]
    keys = [k for k in cache._cache if "public-page" in k]
    assert len(keys) == 2 and any(":th:" in k for k in keys) and any(":en:" in k for k in keys)
    with django_assert_num_queries(0):
        assert client.get(ITEM).content.decode() == thai
        assert client.get("/en" + ITEM).content.decode() == english
    assert '<html lang="en">' in english and '<html lang="th">' in thai


def _description(body):
    found = re.findall(r'<meta name="description" content="([^"]*)">', body)
    assert len(found) == 1
    return found[0]


def test_each_page_describes_its_content(client, approved_o7):
    home, unit, index, item = (_description(_page(client, p)[1]) for p in ("/", UNIT, INDEX, ITEM))
    assert len({home, unit, index, item}) == 4 and all(20 < len(d) <= 300 for d in (home, unit, index, item))
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in unit and "2567" in unit
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in index and "2567" in index
    assert item.startswith("O7 ") and "สถานีตำรวจนครบาลบึงกุ่ม" in item and "\n" not in item
    english = _description(_page(client, "/en" + ITEM)[1])
    assert english.startswith("O7 ") and "Bueng Kum Metropolitan Police Station" in english and "<" not in english
    assert "units" in _description(_page(client, "/en/")[1])
    track = _description(_page(client, "/u/sn-buengkum/complaints/track/")[1])
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in track and track != home


def test_time_elements_carry_a_valid_datetime(client, approved_o7):
    for path in (UNIT, INDEX, ITEM, "/en" + ITEM):
        stamps = re.findall(r'<time datetime="([^"]+)">', _page(client, path)[1])
        assert stamps, path
        # The HTML standard's global date and time: at most three digits of fractional seconds.
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", s) for s in stamps), stamps


def test_staff_pages_under_en_still_need_a_login_and_the_right_unit(client, users, approved_o7):
    staff = "/en/staff/units/sn-buengkum/ita/2567/o7/"
    response = client.get(staff)
    assert response.status_code == 302 and response["Location"] == f"/en/login/?next={staff}"
    client.force_login(users["other-viewer"])
    assert client.get(staff).status_code in (403, 404)
    client.force_login(users["viewer"])
    body = client.get(staff).content.decode()
    assert '<html lang="en">' in body and "Log out" in body
    assert client.get("/staff/units/sn-buengkum/ita/2567/o7/").status_code == 200  # the Thai address too


def test_two_step_verification_pages_are_reachable_in_english(client, settings, users):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(users["commander"])
    response = client.get("/en/staff/")
    assert response.status_code == 302 and response["Location"] == "/en/account/2fa/setup/"
    assert client.get("/en/account/2fa/setup/").status_code == 200  # not sent round in a circle


def test_the_qr_codes_of_an_english_page_answer(client, approved_o7):
    sources = re.findall(r'<img class="qr-code" src="(/u/sn-buengkum/qr\.svg\?path=[^"]+)"', _page(client, "/en" + UNIT)[1])
    assert len(sources) == 3 and all("path=/en/u/" in s for s in sources)
    assert all(client.get(s.replace("&amp;", "&")).status_code == 200 for s in sources)
