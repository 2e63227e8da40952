"""The CKAN-compatible read API (/api/3/action/…, /api/action/…): the CKAN project's own client,
`ckanapi`, against a served portal lists, pages, searches (fq on organisation and modification
time) and shows datasets and organisations; CKAN's envelope and errors; the thai_gdc metadata;
a fixed number of queries whatever the number of units; only publishing units and approved
evidence ever show."""

import csv
import datetime
import io
import json

import ckanapi
import pytest
from django.utils import timezone

from oit_items.rulebook.models import Framework
from tests.conftest import approve_period, make_pdf
from units.models import Unit, UnitType
from units.signals import published_record_changed

THAI_GDC = ("data_type", "objective", "update_frequency_unit", "update_frequency_interval", "geo_coverage",
            "data_source", "data_format", "data_category", "license_id", "maintainer", "maintainer_email",
            "allow_harvest", "accessible_condition", "data_language", "created_date", "last_updated_date")


def expected_names():
    years = {}
    for unit_type_id, year in Framework.objects.values_list("unit_type_id", "fiscal_year"):
        years.setdefault(unit_type_id, []).append(year)
    return sorted(f"{u.slug}-oit-{y}" for u in Unit.objects.filter(unit_type__publishes_oit=True)
                  for y in years.get(u.unit_type_id, []))


@pytest.fixture
def portal(live_server, committed_demo):
    from oit_items.demo.evidence import publish_all

    publish_all(2567)  # real approvals: the datasets have something published and a modified time
    with ckanapi.RemoteCKAN(live_server.url, user_agent="ita-portal-tests") as ckan:
        yield ckan  # closed after: a kept-alive connection would hold the served thread's database session


def test_ckanapi_against_a_served_portal(portal, live_server):
    """One served portal (loading the demo into it is the slow part) for datasets and organisations."""
    datasets_through_ckanapi(portal, live_server)
    organisations_through_ckanapi(portal)


def datasets_through_ckanapi(portal, live_server):
    import requests

    names = expected_names()
    assert "sn-buengkum-oit-2567" in names and "imm-buengkan-oit-2567" in names
    assert portal.action.status_show()["ckan_version"].startswith("2.")
    listed = portal.action.package_list()  # in the units' order, then the years'
    assert sorted(listed) == names and listed[:2] == ["imm-buengkan-oit-2567", f"imm-buengkan-oit-{names[1][-4:]}"]
    assert portal.action.package_list(limit=1, offset=1) == listed[1:2]

    paged, start = [], 0
    while True:
        page = portal.action.package_search(rows=1, start=start)
        assert page["count"] == len(names)
        if not page["results"]:
            break
        paged += [p["name"] for p in page["results"]]
        start += 1
    assert paged == listed

    police = portal.action.package_search(fq="organization:sn-buengkum", rows=100)
    assert police["count"] >= 1 and {p["organization"]["name"] for p in police["results"]} == {"sn-buengkum"}
    both = portal.action.package_search(fq="organization:(sn-buengkum OR imm-buengkan)", rows=100)
    assert both["count"] == len(names)
    future = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert portal.action.package_search(fq=f"metadata_modified:[{future} TO *]")["count"] == 0
    assert portal.action.package_search(fq="metadata_modified:[2000-01-01T00:00:00Z TO *]")["count"] == len(names)
    assert portal.action.package_search(q="บึงกุ่ม 2567")["count"] == 1

    dataset = portal.action.package_show(id="sn-buengkum-oit-2567")
    assert dataset["organization"]["name"] == "sn-buengkum" and dataset["title"].startswith("สถานีตำรวจนครบาลบึงกุ่ม")
    assert all(dataset.get(key) not in (None, "", []) for key in THAI_GDC if key != "maintainer_email")
    assert dataset["data_category"] == "ข้อมูลสาธารณะ" and dataset["update_frequency_unit"] == "เดือน"
    assert dataset["license_id"] == "Creative Commons Attributions"
    resources = {r["url"].removeprefix(live_server.url): r for r in dataset["resources"]}
    assert len(resources) == 3 + 3 * 25 and dataset["num_resources"] == len(resources)
    evidence = resources["/api/v1/units/sn-buengkum/ita/2567/evidence.csv"]
    assert evidence["format"] == "CSV" and evidence["mimetype"] == "text/csv"
    for path in ("/u/sn-buengkum/ita/2567/o7/", "/api/v1/units/sn-buengkum/ita/2567/o7/",
                 "/api/v1/units/sn-buengkum/ita/2567/o7/evidence.csv", "/api/v1/units/sn-buengkum/ita/2567/evidence.csv"):
        assert path in resources and requests.get(live_server.url + path, timeout=30).status_code == 200, path
    rows = list(csv.DictReader(io.StringIO(requests.get(evidence["url"], timeout=30).content.decode("utf-8-sig"))))
    assert {"O7", "O15", "O19"} <= {r["code"] for r in rows}

    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="sn-buengkum-oit-2400")
    with pytest.raises(ckanapi.ValidationError):
        portal.action.package_search(rows="many")
    with pytest.raises(ckanapi.SearchQueryError):
        portal.action.package_search(fq="secret_field:1")

    with ckanapi.RemoteCKAN(live_server.url, get_only=True) as by_get:
        by_get.base_url = "api/3/action/"  # CKAN's versioned address too
        found = by_get.action.package_search(fq="organization:imm-buengkan -fiscal_year:2567")["results"]
    assert found and {p["organization"]["name"] for p in found} == {"imm-buengkan"}
    assert "imm-buengkan-oit-2567" not in {p["name"] for p in found}


def organisations_through_ckanapi(portal):
    assert portal.action.organization_list() == ["imm-buengkan", "sn-buengkum"]
    assert portal.action.organization_list(limit=1, offset=1) == ["sn-buengkum"]
    organisations = {o["name"]: o for o in portal.action.organization_list(all_fields=True)}
    extras = {e["key"]: e["value"] for e in organisations["sn-buengkum"]["extras"]}
    assert extras["parent"] == "mpd-4" and extras["unit_type"] == "police_station"
    assert [a["name"] for a in json.loads(extras["hierarchy"])][-1] == "mpd-4"
    assert json.loads(extras["hierarchy"])[0]["name"] == Unit.objects.get(parent=None).slug
    police = portal.action.organization_show(id="sn-buengkum", include_datasets=True)
    assert police["title"] == "สถานีตำรวจนครบาลบึงกุ่ม" and police["package_count"] == len(police["packages"]) >= 1
    assert {p["name"] for p in police["packages"]} == {n for n in expected_names() if n.startswith("sn-buengkum-")}
    with pytest.raises(ckanapi.NotFound):
        portal.action.organization_show(id="mpd-4")  # a supervising level: not a publisher


# ---- through Django's test client: the envelope, the queries, who may be seen ---------------

ACTION = "/api/3/action/"


def test_envelope_and_errors_are_ckans(client, db):
    ok = client.get(ACTION + "package_show", {"id": "sn-buengkum-oit-2567"})
    assert ok.status_code == 200 and ok.json()["success"] is True and "help_show" in ok.json()["help"]
    missing = client.get(ACTION + "package_show", {"id": "nothing-oit-2567"})
    assert missing.status_code == 404
    assert missing.json()["success"] is False and missing.json()["error"]["__type"] == "Not Found Error"
    invalid = client.get(ACTION + "package_search", {"rows": "-3"})
    assert invalid.status_code == 409 and invalid.json()["error"] == {"__type": "Validation Error",
                                                                      "rows": ["Must be a natural number"]}
    unknown = client.get(ACTION + "package_create")
    assert unknown.status_code == 400 and unknown.json()["success"] is False
    assert client.get("/api/action/status_show").json()["result"]["locale_default"] == "th"


def test_posting_json_needs_no_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/action/package_search", json.dumps({"fq": "organization:sn-buengkum", "rows": 5}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["result"]["count"] >= 1


@pytest.fixture
def many_stations(station):
    """Forty more police stations beside the demo's: national scale in miniature."""
    police = UnitType.objects.get(code=UnitType.POLICE_STATION)
    for n in range(40):
        Unit.objects.create(unit_type=police, parent=station.parent, slug=f"extra-{n:02d}", name_th=f"สถานีทดสอบ {n}")
    return 42


def test_a_fixed_number_of_queries_whatever_the_number_of_units(client, many_stations, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = client.get(ACTION + "package_list").json()["result"]
    assert len(names) == len(expected_names()) and len(names) >= many_stations
    with django_assert_num_queries(3):  # the count, the page, the page's items
        found = client.get(ACTION + "package_search", {"rows": 1000}).json()["result"]
    assert found["count"] == len(names) and len(found["results"]) == len(names)
    with django_assert_num_queries(3):  # the units, their fiscal years, the units above them
        organisations = client.get(ACTION + "organization_list", {"all_fields": "true"}).json()["result"]
    assert len(organisations) == many_stations


def test_only_publishing_units_and_approved_evidence_show(client, users, station, o7):
    supervising = list(Unit.objects.filter(unit_type__publishes_oit=False).values_list("slug", flat=True))
    assert "mpd-4" in supervising
    names = client.get(ACTION + "package_list").json()["result"]
    organisations = client.get(ACTION + "organization_list").json()["result"]
    assert not any(name.startswith(f"{slug}-oit-") for slug in supervising for name in names)
    assert not set(supervising) & set(organisations)
    assert client.get(ACTION + "package_show", {"id": "mpd-4-oit-2567"}).status_code == 404

    def police_2567():
        return client.get(ACTION + "package_show", {"id": "sn-buengkum-oit-2567"}).json()["result"]

    before = police_2567()["metadata_modified"]
    october = datetime.date(2023, 10, 1)
    approve_period(users, station, o7, october, [("ร่างที่ยังไม่อนุมัติ.pdf", make_pdf())], publish=False)
    evidence = "/api/v1/units/sn-buengkum/ita/2567/evidence.csv"
    assert "ร่างที่ยังไม่อนุมัติ" not in client.get(evidence).content.decode("utf-8-sig")
    assert police_2567()["metadata_modified"] == before  # checked but not approved: nothing published

    everything = client.get(ACTION + "package_search", {"rows": 100}).json()["result"]["results"]
    latest = max(datetime.datetime.fromisoformat(p["metadata_modified"]) for p in everything)
    since = (latest + datetime.timedelta(microseconds=1)).isoformat() + "Z"  # after every dataset's time so far
    from oit_items.evidence import workflow
    from oit_items.evidence.models import Assignment, ItemPeriod
    from oit_items.evidence.permissions import item_access
    from units.permissions import unit_access

    period = ItemPeriod.objects.get(unit=station, item=o7, month=october)
    commander = users["commander"]
    workflow.transition(period, "approve", commander, item_access(commander, unit_access(commander, station),
                        Assignment.objects.get(unit=station, item=o7)), override="ทดสอบ")
    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
    assert police_2567()["metadata_modified"] > before
    assert "ร่างที่ยังไม่อนุมัติ" in client.get(evidence).content.decode("utf-8-sig")
    newer = client.get(ACTION + "package_search", {"fq": f"metadata_modified:[{since} TO *]", "rows": 100}).json()
    assert "sn-buengkum-oit-2567" in [p["name"] for p in newer["result"]["results"]]
    assert "imm-buengkan-oit-2567" not in [p["name"] for p in newer["result"]["results"]]
