import datetime

from oit_items import search
from oit_items.models import Item
from oit_items.permissions import period_of
from tests.conftest import approve_period, make_pdf

SEARCH = "/u/sn-buengkum/ita/2567/search/"


def test_words_are_segmented():
    assert search.words("รายงานการปฏิบัติราชการประจำเดือน") == ["รายงาน", "การปฏิบัติ", "ราชการ", "ประจำเดือน"]
    assert search.words("สขร.๑") == search.words("สขร.1")


def test_thai_query_finds_words_apart_in_the_text(client, approved_o7):
    # A substring search would miss this: the words are apart in the title.
    assert "รายงานประจำเดือน" not in "รายงานผลการปฏิบัติราชการ ต.ค.66"
    body = client.get(SEARCH, {"q": "รายงานประจำเดือน"}).content.decode()
    assert "O7 รายงานการปฏิบัติราชการประจำเดือน" in body


def test_published_evidence_is_found_and_drafts_are_not(client, users, station, approved_o7):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oit_items import evidence as evidence_service
    from oit_items.uploads import validate_upload

    o15 = Item.objects.for_unit(station, 2567).get(code="O15")
    draft = period_of(station, o15, datetime.date(2023, 11, 1))
    evidence_service.add_files(draft, [validate_upload(SimpleUploadedFile("จัดซื้อวัสดุสำนักงานลับ.pdf", make_pdf()))],
                               {"about_date": datetime.date(2023, 11, 1)}, users["responsible"])
    hits = search.search(station, 2567, "ปฏิบัติราชการ ต.ค.")
    assert any(h.kind == "file" and h.item_code == "O7" for h in hits)
    assert search.search(station, 2567, "วัสดุสำนักงานลับ") == []


def test_search_follows_approval(client, users, station, approved_o7):
    o11 = Item.objects.for_unit(station, 2567).get(code="O11")
    assert search.search(station, 2567, "สถิติคดีอาญา") == []
    approve_period(users, station, o11, datetime.date(2023, 10, 1),
                   [("สถิติคดีอาญา ต.ค.66.pdf", make_pdf()), ("สถิติคดีอาญา ต.ค.66.docx", _docx())])
    from oit_items import publication

    publication.bump(station)
    assert [h.item_code for h in search.search(station, 2567, "สถิติคดีอาญา") if h.kind == "file"] == ["O11", "O11"]


def test_empty_and_silly_queries(client, db):
    assert client.get(SEARCH, {"q": ""}).status_code == 200
    assert client.get(SEARCH, {"q": "!!! ..."}).status_code == 200
    assert client.get(SEARCH, {"q": "ก" * 500}).status_code == 200


def _docx():
    from tests.conftest import make_docx

    return make_docx()
