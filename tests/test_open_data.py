import csv
import io

import jsonschema
import pytest
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.public.opendata import CATALOGUE_SCHEMA_PATH, load_schema
from units.signals import published_record_changed

UNIT_JSON = "/api/v1/units/sn-buengkum/ita/2567/"


def validate(data):
    jsonschema.validate(data, load_schema(), format_checker=jsonschema.FormatChecker())


def test_unit_json_validates_against_the_documented_schema(client, approved_o7):
    data = client.get(UNIT_JSON).json()
    validate(data)
    assert len(data["items"]) == 25 and data["unit"]["name_th"] == "สถานีตำรวจนครบาลบึงกุ่ม"
    o7 = next(i for i in data["items"] if i["code"] == "O7")
    october = o7["periods"][0]
    assert october["month"] == "2023-10"
    assert {e["original_name"] for e in october["evidence"]} == {
        "รายงานผลการปฏิบัติราชการ ต.ค.66.pdf", "รายงานผลการปฏิบัติราชการ ต.ค.66.docx"}
    for entry in october["evidence"]:
        assert client.get(entry["url"].replace("http://testserver", "")).status_code == 200


def test_schema_refuses_what_it_should(client, approved_o7):
    data = client.get(UNIT_JSON).json()
    data["items"][0]["code"] = "7"
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_item_json_and_csv(client, approved_o7):
    item = client.get(UNIT_JSON + "o7/").json()
    validate(item)
    assert item["item"]["code"] == "O7"
    text = client.get(UNIT_JSON + "o7/evidence.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 and rows[0]["month"] == "2023-10" and "ต.ค.66" in rows[0]["title"]


def _csv_rows(client, url):
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"), newline="")))


def test_items_csv_lists_every_item_with_its_status_and_url(client, approved_o7):
    rows = _csv_rows(client, UNIT_JSON + "items.csv")
    assert {r["code"] for r in rows} == {f"O{n}" for n in range(1, 26)}
    o7 = [r for r in rows if r["code"] == "O7"]
    assert [r["month"] for r in o7] == ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
    assert [r["status"] for r in o7] == ["published"] + ["missing"] * 5 and o7[0]["evidence"] == "2"
    assert o7[0]["url"] == "http://testserver/u/sn-buengkum/ita/2567/o7/"
    o1 = [r for r in rows if r["code"] == "O1"]
    assert len(o1) == 1 and o1[0]["month"] == "" and o1[0]["status"] == "missing"
    assert {r["status"] for r in rows if r["code"] in ("O5", "O17")} == {"live"}


def test_evidence_csv_lists_only_approved_evidence(client, approved_o7):
    assert {r["code"] for r in _csv_rows(client, UNIT_JSON + "evidence.csv")} == {"O7"}


def test_json_carries_requirements_every_period_licence_publisher_and_dates(client, approved_o7):
    data = client.get(UNIT_JSON).json()
    validate(data)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["publisher"] == {"name": "สถานีตำรวจนครบาลบึงกุ่ม", "url": "http://testserver/u/sn-buengkum/"}
    assert data["modified"]
    o7 = next(i for i in data["items"] if i["code"] == "O7")
    assert o7["guidance_th"].startswith("รายงานผลการปฏิบัติราชการ") and "Monthly operations report" in o7["guidance_en"]
    assert o7["sub_requirements"][-1] == {"th": "เปิดเผยทั้งไฟล์ PDF และไฟล์ Word", "en": "Published both as PDF and as Word"}
    assert [(p["month"], p["status"]) for p in o7["periods"]] == [("2023-10", "published")] + [
        (m, "missing") for m in ("2023-11", "2023-12", "2024-01", "2024-02", "2024-03")]
    assert o7["modified"] == o7["periods"][0]["approved_at"]


def test_open_data_has_etag_last_modified_and_answers_304(client, approved_o7):
    for url in ("/api/v1/", UNIT_JSON, UNIT_JSON + "items.csv", UNIT_JSON + "o7/"):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"], url
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, url


def test_catalogue_lists_both_units_with_level_parent_years_and_datasets(client, approved_o7, django_assert_num_queries):
    response = client.get("/api/v1/")
    data = response.json()
    jsonschema.validate(data, load_schema(CATALOGUE_SCHEMA_PATH), format_checker=jsonschema.FormatChecker())
    units = {u["slug"]: u for u in data["units"]}
    assert set(units) == {"sn-buengkum", "imm-buengkan"}  # publishing units only, not the HQ levels
    newest = thaidate.fiscal_year(timezone.localdate())
    police = units["sn-buengkum"]
    assert police["level"]["code"] == "police_station" and police["parent"]["slug"] == "mpd-4"
    assert police["fiscal_years"] == sorted({2567, newest}, reverse=True) and police["modified"]
    assert units["imm-buengkan"]["parent"]["name_th"] == "กองบังคับการตรวจคนเข้าเมือง 4"
    datasets = {d["identifier"]: d for d in data["datasets"]}
    assert {"sn-buengkum/2567", "imm-buengkan/2567"} <= set(datasets)
    dataset = datasets["sn-buengkum/2567"]
    assert dataset["license"] == data["license"] and dataset["publisher"]["name"] == "สถานีตำรวจนครบาลบึงกุ่ม"
    assert dataset["modified"] and {d["media_type"] for d in dataset["distributions"]} == {"application/json", "text/csv"}
    for distribution in dataset["distributions"]:
        assert client.get(distribution["download_url"].replace("http://testserver", "")).status_code == 200
    assert data["@context"]["license"]["@id"] == "dct:license" and data["@type"] == "dcat:Catalog"
    with django_assert_num_queries(1):  # cached whole; the one query counts the units (a new one changes it)
        assert client.get("/api/v1/").status_code == 200


def test_public_pages_describe_themselves_in_json_ld(client, approved_o7):
    import json
    import re

    for path, kind in (("/u/sn-buengkum/", "dcat:Catalog"), ("/u/sn-buengkum/ita/2567/", "dcat:Dataset"),
                       ("/u/sn-buengkum/ita/2567/o7/", "dcat:Dataset")):
        body = client.get(path).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
        data = json.loads(block)
        assert data["@type"] == kind and data["license"] and data["publisher"]["name"] == "สถานีตำรวจนครบาลบึงกุ่ม", path
    item = json.loads(re.search(r'ld\+json">(.*?)</script>', client.get("/u/sn-buengkum/ita/2567/o7/").content.decode(),
                                re.S).group(1))
    assert item["modified"] and item["distributions"][0]["download_url"].endswith("/api/v1/units/sn-buengkum/ita/2567/o7/")


def test_json_ld_cannot_close_its_element():
    from oit_items.public.catalogue import json_ld

    assert "</script>" not in json_ld({"title": "</script><script>alert(1)</script>"})


def test_schema_is_served(client, db):
    response = client.get("/api/v1/schema/unit-ita.json")
    assert response.status_code == 200 and response.json()["title"].startswith("ITA Portal")


def test_sitemap_lists_every_public_page(client, db):
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemaps/sn-buengkum-2567.xml" in index and "/sitemaps/imm-buengkan-2567.xml" in index
    assert "rtp" not in index
    police = client.get("/sitemaps/sn-buengkum-2567.xml").content.decode()
    immigration = client.get("/sitemaps/imm-buengkan-2567.xml").content.decode()
    assert police.count("<loc>http://testserver/u/sn-buengkum/ita/2567/o") == 25
    assert police.count("<loc>http://testserver/en/u/sn-buengkum/ita/2567/o") == 25  # each item in English too
    assert immigration.count("<url>") == 2 * (24 + 1)  # the items and the index, in Thai and in English
    newest = thaidate.fiscal_year(timezone.localdate())  # the newest year's part also lists the unit's pages
    police = client.get(f"/sitemaps/sn-buengkum-{newest}.xml").content.decode()
    for page in ("/u/sn-buengkum/", "/u/sn-buengkum/questions/", "/u/sn-buengkum/complaints/new/",
                 "/u/sn-buengkum/complaints/track/"):
        assert f"{page}</loc>" in police


FORMULAS = ['=HYPERLINK("http://evil.example/","คลิก")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tข้อความ", "\rข้อความ"]
THAI_LINK = "https://www.bangkok.go.th/ข่าวประชาสัมพันธ์/ประกาศ?เรื่อง=จัดซื้อ#ส่วนที่ 2"


@pytest.fixture
def hostile_titles(users, station, o7):
    import datetime

    from oit_items.evidence import edits as evidence_service
    from oit_items.evidence.permissions import period_of
    from tests.conftest import approve_period, make_pdf

    october = datetime.date(2023, 10, 1)
    period = period_of(station, o7, october)
    for title in FORMULAS:
        evidence_service.add_link(period, {"title": title, "url": THAI_LINK, "about_date": october}, users["responsible"])
    approve_period(users, station, o7, october, [("รายงาน ต.ค.66.pdf", make_pdf())])
    published_record_changed.send(sender=None, unit=station)


def test_csv_cells_never_start_a_formula(client, hostile_titles):
    for url in (UNIT_JSON + "evidence.csv", UNIT_JSON + "o7/evidence.csv"):
        rows = _csv_rows(client, url)
        titles = {r["title"] for r in rows if r["kind"] == "link"}
        assert titles == {"'" + t for t in FORMULAS}
    for url in (UNIT_JSON + "evidence.csv", UNIT_JSON + "o7/evidence.csv", UNIT_JSON + "items.csv"):
        for row in _csv_rows(client, url):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values() if cell)


def test_json_links_are_valid_uris_even_with_thai(client, hostile_titles):
    from urllib.parse import unquote

    data = client.get(UNIT_JSON).json()
    validate(data)  # format "uri" is checked (rfc3986-validator)
    links = [e for i in data["items"] for p in i["periods"] for e in p["evidence"] if e["kind"] == "link"]
    assert len(links) == len(FORMULAS)
    assert all(link["url"].isascii() and unquote(link["url"]) == THAI_LINK for link in links)
    assert {link["title"] for link in links} == set(FORMULAS)  # JSON carries the text as typed
