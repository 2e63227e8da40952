"""The public index agrees with the item page; pages listing fiscal years follow a new framework."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.public import item as public_item
from oit_items.public import pages as public
from oit_items.public import publication
from oit_items.rulebook.models import Framework, Item


@pytest.fixture(autouse=True)
def empty_caches():
    def clear():
        cache.clear()
        publication.local.stamps.clear(), publication.local.pages.clear()

    clear()
    yield
    clear()


def test_index_status_counts_only_the_required_months_as_the_item_page_does():
    item = Item(code="O9", topic="reports", rules=[{"type": "periods", "months": [10, 11]}])
    file = [{"kind": "file", "title": "รายงาน"}]
    periods = [(datetime.date(2023, 10, 1), timezone.now(), file),
               (datetime.date(2023, 12, 1), timezone.now(), file),  # approved, but not a month the item asks for
               (None, timezone.now(), file)]
    page = {month: public_item.status(item, entries) for month, _at, entries in public_item.every_period(item, 2567, periods)}
    assert page[datetime.date(2023, 11, 1)] == public_item.MISSING  # the item page shows November missing
    assert public.index_status(item, 2567, periods) == {"status": "partial", "done": 1, "total": 2}
    none = [{"kind": "none", "reason": "ไม่มีการจัดซื้อ"}]  # "none this period" is a published period
    periods.append((datetime.date(2023, 11, 1), timezone.now(), none))
    assert public.index_status(item, 2567, periods)["status"] == "published"


def _next_framework(station):
    newest = thaidate.fiscal_year(timezone.localdate())
    return Framework.objects.get(unit_type=station.unit_type, fiscal_year=newest).clone_to(newest + 1)


def _requirements_changed():
    publication.touch_live(publication.FRAMEWORKS, "*")  # as loading.requirements_changed does, on commit


def test_a_new_fiscal_year_refreshes_the_unit_home_catalogue_and_sitemaps(client, station, approved_o7):
    newest = thaidate.fiscal_year(timezone.localdate())
    pages = ["/u/sn-buengkum/", "/api/v1/", "/sitemap.xml", f"/sitemaps/sn-buengkum-{newest}.xml"]
    before = {path: client.get(path) for path in pages}
    _next_framework(station)
    _requirements_changed()
    for path in pages:
        after = client.get(path, HTTP_IF_NONE_MATCH=before[path]["ETag"])
        assert after.status_code == 200 and after["ETag"] != before[path]["ETag"], path
    assert f"/u/sn-buengkum/ita/{newest + 1}/" in client.get("/u/sn-buengkum/").content.decode()
    assert f"/sitemaps/sn-buengkum-{newest + 1}.xml" in client.get("/sitemap.xml").content.decode()
    assert newest + 1 in {u["slug"]: u for u in client.get("/api/v1/").json()["units"]}["sn-buengkum"]["fiscal_years"]
    # The unit's own pages move to the newest year's part.
    assert "/u/sn-buengkum/questions/" not in client.get(f"/sitemaps/sn-buengkum-{newest}.xml").content.decode()


def test_complaint_codes_follow_a_new_framework(station):
    assert not public.shows_statistics("o99")  # the codes are now kept
    Item.objects.filter(framework=_next_framework(station), topic=public_item.COMPLAINTS).update(code="O99")
    _requirements_changed()
    assert public.shows_statistics("o99")
