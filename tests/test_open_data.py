import csv
import io

import jsonschema
import pytest
from django.utils import timezone

from ita_portal import thaidate

from oit_items.opendata import load_schema

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


def test_unit_csv_lists_only_approved_evidence(client, approved_o7):
    rows = list(csv.DictReader(io.StringIO(client.get(UNIT_JSON + "items.csv").content.decode("utf-8-sig"))))
    assert {r["code"] for r in rows} == {"O7"}


def test_schema_is_served(client, db):
    response = client.get("/api/v1/schema/unit-ita.json")
    assert response.status_code == 200 and response.json()["title"].startswith("ITA Portal")


def test_sitemap_lists_every_public_page(client, db):
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemaps/sn-buengkum-2567.xml" in index and "/sitemaps/imm-buengkan-2567.xml" in index
    assert "rtp" not in index
    police = client.get("/sitemaps/sn-buengkum-2567.xml").content.decode()
    immigration = client.get("/sitemaps/imm-buengkan-2567.xml").content.decode()
    assert police.count("/u/sn-buengkum/ita/2567/o") == 25 and immigration.count("/u/imm-buengkan/ita/2567/o") == 24
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

    from oit_items import evidence as evidence_service
    from oit_items import publication
    from oit_items.permissions import period_of
    from tests.conftest import approve_period, make_pdf

    october = datetime.date(2023, 10, 1)
    period = period_of(station, o7, october)
    for title in FORMULAS:
        evidence_service.add_link(period, {"title": title, "url": THAI_LINK, "about_date": october}, users["responsible"])
    approve_period(users, station, o7, october, [("รายงาน ต.ค.66.pdf", make_pdf())])
    publication.bump(station)


def test_csv_cells_never_start_a_formula(client, hostile_titles):
    for url in (UNIT_JSON + "items.csv", UNIT_JSON + "o7/evidence.csv"):
        rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"), newline="")))
        titles = {r["title"] for r in rows if r["kind"] == "link"}
        assert titles == {"'" + t for t in FORMULAS}
        for row in rows:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values() if cell)


def test_json_links_are_valid_uris_even_with_thai(client, hostile_titles):
    from urllib.parse import unquote

    data = client.get(UNIT_JSON).json()
    validate(data)  # format "uri" is checked (rfc3986-validator)
    links = [e for i in data["items"] for p in i["periods"] for e in p["evidence"] if e["kind"] == "link"]
    assert len(links) == len(FORMULAS)
    assert all(link["url"].isascii() and unquote(link["url"]) == THAI_LINK for link in links)
    assert {link["title"] for link in links} == set(FORMULAS)  # JSON carries the text as typed
