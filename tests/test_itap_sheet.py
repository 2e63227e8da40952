import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from tests.conftest import require

SHEET = "/staff/units/sn-buengkum/ita/2567/itap.xlsx"


def test_itap_sheet_lists_25_urls_that_all_answer(client, users, approved_o7):
    client.force_login(users["admin"])
    response = client.get(SHEET)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 25
    assert sheet.freeze_panes == "A2"
    o7 = next(r for r in rows if r[0] == "O7")
    assert o7[3] == "http://testserver/u/sn-buengkum/ita/2567/o7/" and o7[5] == "1/6"
    client.logout()
    for row in rows:
        path = row[3].replace("http://testserver", "")
        assert client.get(path).status_code == 200, path


def test_itap_csv(client, users, approved_o7):
    client.force_login(users["commander"])
    text = client.get("/staff/units/sn-buengkum/ita/2567/itap.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 26 and rows[1][0] == "O1"


@pytest.mark.parametrize("role, status", [("admin", 200), ("commander", 200), ("responsible", 403), ("viewer", 403),
                                          ("division-supervisor", 403), ("other-admin", 403)])
def test_who_may_prepare_the_itap_sheet(client, users, role, status):
    client.force_login(users[role])
    assert client.get(SHEET).status_code == status
    assert client.get("/staff/units/sn-buengkum/ita/2567/itap/").status_code == status


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(SHEET)["Location"].startswith("/login/")


def test_qr_codes_decode_to_the_public_pages(client, db, tmp_path):
    require(shutil.which("zbarimg") is not None, "zbarimg not installed (apt-get install zbar-tools)")
    for path in ("/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", "/u/sn-buengkum/ita/2567/o7/"):
        png = client.get("/u/sn-buengkum/qr.png", {"path": path})
        assert png.status_code == 200 and png["Content-Type"] == "image/png"
        image = tmp_path / "qr.png"
        image.write_bytes(png.content)
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True).stdout.strip()
        assert decoded == "http://testserver" + path
        svg = client.get("/u/sn-buengkum/qr.svg", {"path": path})
        root = ET.fromstring(svg.content)
        assert root.tag.endswith("svg") and svg["Content-Type"] == "image/svg+xml"


def test_qr_only_for_the_units_public_pages(client, db):
    for path in ("/admin/", "/u/imm-buengkan/", "/staff/", "/nowhere/"):
        assert client.get("/u/sn-buengkum/qr.png", {"path": path}).status_code == 404
    assert client.get("/u/sn-buengkum/qr.gif").status_code == 404


def test_the_sheet_lists_the_live_and_the_submitted_address_once_frozen(client, users, station, approved_o7):
    from oit_items.assessment import freezing
    from oit_items.assessment.models import ItapRecord

    client.force_login(users["admin"])
    rows = list(load_workbook(io.BytesIO(client.get(SHEET).content)).active.iter_rows(values_only=True))
    assert rows[0][7] == "ฉบับที่ส่ง ITAP" and all(not r[7] for r in rows[1:])
    freezing.freeze(station, 2567, ItapRecord.SUBMITTED, users["commander"])
    sheet = load_workbook(io.BytesIO(client.get(SHEET).content)).active
    o7 = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "O7")
    assert o7[3].value == "http://testserver/u/sn-buengkum/ita/2567/o7/"
    assert o7[7].value == o7[7].hyperlink.target == "http://testserver/u/sn-buengkum/ita/2567/submitted/o7/"
    text = client.get("/staff/units/sn-buengkum/ita/2567/itap.csv").content.decode("utf-8-sig")
    o7_csv = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "O7")
    assert o7_csv[3].endswith("/u/sn-buengkum/ita/2567/o7/") and o7_csv[7].endswith("/ita/2567/submitted/o7/")
    page = client.get("/staff/units/sn-buengkum/ita/2567/itap/").content.decode()
    assert 'href="http://testserver/u/sn-buengkum/ita/2567/submitted/o7/"' in page
    client.logout()
    for row in sheet.iter_rows(min_row=2, values_only=True):
        assert client.get(row[7].replace("http://testserver", "")).status_code == 200, row[7]
