"""The O17 (police) / O16 (immigration) statistics: received, in progress and finished per month,
each by its own date; the public page, its JSON and its CSV fresh on every complaint change, with
the cache or without it."""

import csv
import datetime
import io
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from oit_items.channels import stats
from oit_items.channels.forms import SALT
from oit_items.channels.models import Complaint

O17 = "/u/sn-buengkum/ita/2567/o17/"
API = "/api/v1/units/sn-buengkum/ita/2567/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def file(client, **fields):
    data = {"subject": "เจ้าหน้าที่เรียกรับเงิน", "text": "มีการเรียกเงินที่จุดตรวจ", "anonymous": "on", "website": "",
            "started": signing.dumps(time.time() - 10, salt=SALT), **fields}
    assert client.post("/u/sn-buengkum/complaints/new/", data).status_code == 302
    return Complaint.objects.order_by("-pk").first()


def make(station, received, finished=None):
    complaint = Complaint.objects.create(unit=station, subject="ร้องเรียน", text="รายละเอียด",
                                         status=Complaint.FINISHED if finished else Complaint.RECEIVED)
    Complaint.objects.filter(pk=complaint.pk).update(created_at=received, finished_at=finished)
    return complaint


def figures(station):
    return {s.month.strftime("%Y-%m"): (s.received, s.in_progress, s.finished, s.none) for s in stats.monthly(station, 2567)}


def test_each_figure_is_counted_by_its_own_date(station):
    make(station, at(2023, 10, 3), finished=at(2023, 12, 20))  # received Oct, finished Dec
    make(station, at(2023, 9, 28))  # received before the fiscal year, still open
    make(station, at(2024, 2, 2), finished=at(2024, 2, 9))
    assert figures(station) == {
        "2023-10": (1, 2, 0, False), "2023-11": (0, 2, 0, False), "2023-12": (0, 1, 1, False),
        "2024-01": (0, 1, 0, False), "2024-02": (1, 1, 1, False), "2024-03": (0, 1, 0, False)}


def test_a_month_with_only_a_finished_complaint_is_not_none(station):
    make(station, at(2023, 10, 3), finished=at(2023, 11, 15))
    assert figures(station)["2023-11"] == (0, 0, 1, False)  # finished in November: not "no complaints"
    assert figures(station)["2023-12"] == (0, 0, 0, True)


def _month(body, month):
    start = body.index(f'data-month="{month}"')
    return body[start:body.index("</p>", start)]


def test_the_cached_page_changes_when_a_complaint_is_filed_and_again_when_it_is_finished(
        client, users, django_capture_on_commit_callbacks, django_assert_num_queries):
    client.get(O17)
    with django_assert_num_queries(0):  # cached
        assert "ไม่มีเรื่องร้องเรียน" in _month(client.get(O17).content.decode(), "2023-11")
    with django_capture_on_commit_callbacks(execute=True):
        filed = file(client)
    # Dated into FY2567 behind the portal's back (no save: the stamp moved with the filing itself).
    Complaint.objects.filter(pk=filed.pk).update(created_at=at(2023, 11, 7))
    page = client.get(O17).content.decode()
    assert 'data-figure="received">1<' in _month(page, "2023-11") and 'data-figure="in_progress">1<' in _month(page, "2024-03")
    client.force_login(users["commander"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/units/sn-buengkum/complaints/{filed.pk}/", {"status": "finished", "note": "", "public_note": ""})
    client.logout()
    Complaint.objects.filter(pk=filed.pk).update(finished_at=at(2024, 1, 5))
    page = client.get(O17).content.decode()
    assert 'data-figure="in_progress">1<' in _month(page, "2023-12")
    assert 'data-figure="finished">1<' in _month(page, "2024-01") and 'data-figure="in_progress">0<' in _month(page, "2024-01")
    assert "ไม่มีเรื่องร้องเรียน" in _month(page, "2024-02")


def test_a_change_the_portal_was_not_told_of_waits_for_the_cache(client, station):
    client.get(O17)
    make(station, at(2023, 10, 3))  # .update() only: no save, so no stamp moved
    assert "ไม่มีเรื่องร้องเรียน" in _month(client.get(O17).content.decode(), "2023-10")


def test_json_and_csv_carry_the_same_figures(client, station):
    make(station, at(2023, 10, 3), finished=at(2023, 12, 20))
    item = client.get(API + "o17/").json()["item"]
    assert item["statistics"][0] == {"month": "2023-10", "received": 1, "in_progress": 1, "finished": 0}
    assert item["statistics"][2] == {"month": "2023-12", "received": 0, "in_progress": 0, "finished": 1}
    rows = [r for r in csv.DictReader(io.StringIO(client.get(API + "items.csv").content.decode("utf-8-sig")))
            if r["code"] == "O17"]
    assert [(r["month"], r["received"], r["in_progress"], r["finished"]) for r in rows][:3] == [
        ("2023-10", "1", "1", "0"), ("2023-11", "0", "1", "0"), ("2023-12", "0", "0", "1")]
    unit = client.get(API).json()
    assert next(i for i in unit["items"] if i["code"] == "O17")["statistics"] == item["statistics"]


def test_open_data_follows_a_new_complaint_too(client, station, django_capture_on_commit_callbacks):
    before = client.get(API + "o17/")
    with django_capture_on_commit_callbacks(execute=True):
        make(station, at(2023, 10, 3))  # created (the stamp moves), then dated
    after = client.get(API + "o17/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after.json()["item"]["statistics"][0]["received"] == 1


def test_without_a_cache_the_figures_are_still_right(client, station, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.get(O17)
    make(station, at(2023, 10, 3))  # a change that nobody announced: the database is the truth
    assert 'data-figure="received">1<' in _month(client.get(O17).content.decode(), "2023-10")


def test_immigration_o16_has_its_own_statistics(client, other_unit):
    make(other_unit, at(2023, 10, 3))
    body = client.get("/u/imm-buengkan/ita/2567/o16/").content.decode()
    assert 'data-figure="received">1<' in _month(body, "2023-10")
    assert "ไม่มีเรื่องร้องเรียน" in client.get(O17).content.decode()  # the station has none


def test_pages_with_the_statistics_are_revalidated_on_every_view(client, db):
    for url in (O17, API + "o17/", API, API + "items.csv", "/u/imm-buengkan/ita/2567/o16/"):
        assert client.get(url)["Cache-Control"] == "public, no-cache", url
    for url in ("/u/sn-buengkum/ita/2567/o7/", API + "o7/", "/u/sn-buengkum/"):
        assert client.get(url)["Cache-Control"] == "public, max-age=60", url  # proxies may keep the others a minute
