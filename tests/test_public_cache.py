"""Public pages at national scale: cache keys, ETag/Last-Modified/304, Cache-Control, the
sitemap index and its parts, robots.txt, the public home."""

import datetime

import pytest
from django.core.cache import cache

from ita_portal.lib import pagecache
from oit_items.public import item as public_item
from oit_items.public import pages as public
from oit_items.public import publication
from oit_items.rulebook.models import Item
from tests.conftest import approve_period, make_pdf
from tests.test_fiscal_year import _next_framework, _requirements_changed
from units.models import Unit
from units.signals import published_record_changed

ITEM = "/u/sn-buengkum/ita/2567/o7/"
API = "/api/v1/units/sn-buengkum/ita/2567/o7/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _page_keys():
    return [k for k in cache._cache if "public-page" in k]  # the local-memory cache of the tests


def test_made_up_query_strings_neither_miss_nor_fill_the_cache(client, approved_o7, django_assert_num_queries):
    first = client.get(ITEM + "?v=1")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(ITEM + "?v=2&utm_source=line")
    assert again.content == first.content
    assert len(_page_keys()) == 1


@pytest.mark.parametrize("path", [ITEM, API, API + "evidence.csv", "/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/"])
def test_conditional_get_answers_304(client, approved_o7, path):
    response = client.get(path)
    assert response.status_code == 200
    etag, modified = response["ETag"], response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=60" and "Cookie" in response["Vary"]
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_approval_changes_the_etag_and_the_page(client, users, station, o7, approved_o7):
    before = client.get(ITEM)
    approve_period(users, station, o7, datetime.date(2023, 11, 1), [("พ.ย.66.pdf", make_pdf())])
    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))  # on commit in a real request
    after = client.get(ITEM, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "พ.ย.66" in after.content.decode()


def test_languages_have_their_own_etag(client, approved_o7):
    thai = client.get(ITEM)
    english = client.get("/en" + ITEM, HTTP_IF_NONE_MATCH=thai["ETag"])
    assert english.status_code == 200 and english["ETag"] != thai["ETag"]


def test_staff_pages_are_private_and_not_stored(client, users, approved_o7):
    client.force_login(users["viewer"])
    response = client.get(ITEM)
    assert response["Cache-Control"] == "private, no-cache" and not response.has_header("ETag")
    assert _page_keys() == []


def test_sitemap_index_parts_and_robots(client, users, station, o7, approved_o7):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots and "Disallow: /staff/" in robots
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    from oit_items.rulebook.models import Framework

    years = Framework.objects.values("fiscal_year").distinct().count()  # 2567 and the current year
    assert years == 2 and index.content.decode().count("<sitemap>") == 2 * years  # a part per publishing unit and year
    part = client.get("/sitemaps/sn-buengkum-2567.xml")
    lastmod = Unit.objects.get(pk=station.pk).published_at.date().isoformat()
    assert f"<lastmod>{lastmod}</lastmod>" in part.content.decode()
    assert client.get("/sitemaps/sn-buengkum-2566.xml").status_code == 404
    assert client.get("/sitemaps/mpd-4-2567.xml").status_code == 404
    # Approval replaces the cached part (its stamp changes) and the index.
    Unit.objects.filter(pk=station.pk).update(published_at=None)
    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
    fresh = client.get("/sitemaps/sn-buengkum-2567.xml", HTTP_IF_NONE_MATCH=part["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != part["ETag"]
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 200


def test_sitemap_parts_list_both_languages_with_their_alternates(client, approved_o7):
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(client.get("/sitemaps/sn-buengkum-2567.xml").content)
    urls = {u.find("s:loc", ns).text: {(link.get("hreflang"), link.get("href")) for link in u.findall("x:link", ns)}
            for u in root.findall("s:url", ns)}
    site, item = "http://testserver", "/u/sn-buengkum/ita/2567/o7/"
    alternates = {("th", site + item), ("en", site + "/en" + item), ("x-default", site + item)}
    assert urls[site + item] == alternates and urls[site + "/en" + item] == alternates
    thai = [loc for loc in urls if not loc.startswith(site + "/en/")]
    assert len(urls) == 2 * len(thai) and all(site + "/en" + loc[len(site):] in urls for loc in thai)
    assert client.get("/sitemaps/sn-buengkum-2567.xml", HTTP_COOKIE="django_language=en").status_code == 200
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /en/staff/" in robots and "Disallow: /en/login/" in robots


def test_home_lists_units_by_level_with_links_and_is_cached(client, db, django_assert_num_queries):
    body = client.get("/").content.decode()
    assert 'href="/u/sn-buengkum/"' in body and 'href="/u/imm-buengkan/"' in body
    assert "กองบัญชาการตำรวจนครบาล" in body and "กองบังคับการตำรวจนครบาล 4" in body  # the levels above
    assert 'action="/units/"' in body
    with django_assert_num_queries(1):  # the shape of the tree; the page itself comes from the cache
        assert client.get("/?x=1").content.decode() == body
    parent = Unit.objects.get(slug="mpd-4")
    Unit.objects.create(unit_type=Unit.objects.get(slug="sn-buengkum").unit_type, parent=parent, slug="sn-new",
                        name_th="สถานีตำรวจนครบาลทดสอบ", short_name_th="สน.ทดสอบ")
    assert 'href="/u/sn-new/"' in client.get("/").content.decode()  # a new unit shows at once


def test_unit_search(client, db):
    body = client.get("/units/", {"q": "บึงกุ่ม"}).content.decode()
    assert 'href="/u/sn-buengkum/"' in body and "/u/imm-buengkan/" not in body
    assert "/u/imm-buengkan/" in client.get("/units/", {"q": "imm-"}).content.decode()
    assert "ไม่พบหน่วย" in client.get("/units/", {"q": "ไม่มีหน่วยนี้"}).content.decode()


def test_each_worker_remembers_stamps_and_pages_for_a_few_seconds(client, settings, station, approved_o7,
                                                                 django_assert_num_queries):
    settings.PUBLIC_LOCAL_CACHE_SECONDS = 30
    local = pagecache.local
    local.stamps.clear(), local.pages.clear()
    try:
        first = client.get(ITEM)
        cache.clear()  # not even the shared cache is asked: no Redis round trip per request
        with django_assert_num_queries(0):
            assert client.get(ITEM).content == first.content
        # Another worker approves: the shared stamp moves; this worker follows once its seconds are up.
        cache.set(publication.STAMP_KEY.format(slug=station.slug), "2024-05-01T10:00:00+07:00")
        assert client.get(ITEM)["ETag"] == first["ETag"]
        local.stamps.clear()  # the seconds have passed
        assert client.get(ITEM)["ETag"] != first["ETag"]
        # An approval in this worker shows at once.
        before = client.get(ITEM)["ETag"]
        published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
        assert client.get(ITEM)["ETag"] != before
    finally:
        local.stamps.clear(), local.pages.clear()


@pytest.mark.usefixtures("empty_caches")
def test_complaint_codes_follow_a_new_framework(station):
    assert not public.shows_statistics("o99")  # the codes are now kept
    Item.objects.filter(framework=_next_framework(station), topic=public_item.COMPLAINTS).update(code="O99")
    _requirements_changed()
    assert public.shows_statistics("o99")
