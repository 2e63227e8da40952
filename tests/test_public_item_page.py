import datetime
import urllib.parse

from django.core.files.uploadedfile import SimpleUploadedFile

from oit_items import evidence as evidence_service
from oit_items.models import Revision
from oit_items.permissions import period_of
from oit_items.uploads import validate_upload
from tests.conftest import approve_period, make_docx, make_pdf

ITEM = "/u/sn-buengkum/ita/2567/o7/"
NOV = datetime.date(2023, 11, 1)


def test_the_public_sees_approved_evidence_only(client, users, station, o7, approved_o7):
    draft_period = period_of(station, o7, NOV)
    evidence_service.add_files(draft_period, [validate_upload(SimpleUploadedFile("ร่าง พ.ย.66.pdf", make_pdf()))],
                               {"about_date": NOV}, users["responsible"])
    body = client.get(ITEM).content.decode()
    assert "รายงานผลการปฏิบัติราชการ ต.ค.66" in body and "ตุลาคม 2566" in body
    assert "ร่าง พ.ย.66" not in body
    draft = Revision.objects.get(original_name="ร่าง พ.ย.66.pdf")
    assert client.get(f"/u/sn-buengkum/files/{draft.pk}/").status_code == 404


def test_approved_files_download_with_their_thai_names(client, approved_o7):
    for revision in Revision.objects.filter(evidence__item_period=approved_o7):
        response = client.get(f"/u/sn-buengkum/files/{revision.pk}/")
        assert response.status_code == 200
        assert "filename*=utf-8''" + urllib.parse.quote(revision.original_name) in response["Content-Disposition"]
        assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")


def test_a_file_of_another_unit_or_path_is_404(client, approved_o7):
    revision = Revision.objects.filter(evidence__item_period=approved_o7).first()
    assert client.get(f"/u/imm-buengkan/files/{revision.pk}/").status_code == 404
    assert client.get("/u/sn-buengkum/files/999999/").status_code == 404


def test_public_keeps_the_approved_state_while_a_change_is_drafted(client, users, approved_o7):
    old = Revision.objects.get(evidence__item_period=approved_o7, extension="pdf")
    evidence_service.replace_file(old.evidence, validate_upload(SimpleUploadedFile("แก้ไขใหม่.pdf", make_pdf(3))),
                                  users["responsible"])
    new = Revision.objects.get(original_name="แก้ไขใหม่.pdf")
    assert client.get(f"/u/sn-buengkum/files/{old.pk}/").status_code == 200
    assert client.get(f"/u/sn-buengkum/files/{new.pk}/").status_code == 404
    assert "แก้ไขใหม่" not in client.get(ITEM).content.decode()


def test_pages_that_never_change_address(client, approved_o7):
    assert client.get("/u/sn-buengkum/").status_code == 200
    index = client.get("/u/sn-buengkum/ita/2567/").content.decode()
    assert index.count('href="/u/sn-buengkum/ita/2567/o') == 25
    assert client.get("/u/sn-buengkum/ita/2567/O7/")["Location"] == ITEM
    assert client.get("/u/sn-buengkum/ita/2590/").status_code == 404
    assert client.get("/u/rtp/").status_code == 404  # HQ levels publish no OIT


def test_empty_item_says_so(client, db):
    assert "ยังไม่มีการเผยแพร่" in client.get("/u/sn-buengkum/ita/2567/o1/").content.decode()


def test_item_page_advertises_its_open_data(client, approved_o7):
    body = client.get(ITEM).content.decode()
    assert '<link rel="alternate" type="application/json" href="/api/v1/units/sn-buengkum/ita/2567/o7/">' in body


def test_english_beside_thai(client, approved_o7):
    client.get("/lang/en/", {"next": ITEM})
    body = client.get(ITEM).content.decode()
    assert '<html lang="en">' in body and "Monthly" in body and "October 2023" in body


def test_cached_pages_make_no_queries_and_change_on_approval(client, users, station, o7, approved_o7,
                                                             django_assert_num_queries):
    client.get(ITEM)
    with django_assert_num_queries(0):
        assert client.get(ITEM).status_code == 200
    approve_period(users, station, o7, NOV, [("รายงาน พ.ย.66.pdf", make_pdf()), ("รายงาน พ.ย.66.docx", make_docx())])
    from oit_items import publication
    from units.models import Unit

    publication.bump(Unit.objects.get(pk=station.pk))
    assert "รายงาน พ.ย.66" in client.get(ITEM).content.decode()


def test_signed_in_staff_are_never_served_a_cached_page(client, users, approved_o7):
    client.get(ITEM)
    client.force_login(users["viewer"])
    assert "ออกจากระบบ" in client.get(ITEM).content.decode()
    client.logout()
    assert "ออกจากระบบ" not in client.get(ITEM).content.decode()


def test_index_queries_do_not_grow(client, users, station, approved_o7, django_assert_num_queries):
    from oit_items.models import Item

    index = "/u/sn-buengkum/ita/2567/"
    with django_assert_num_queries(4):  # unit, items, periods, years (the stamp is in the cache)
        client.get(index)
    for code in ("O11", "O15"):
        item = Item.objects.for_unit(station, 2567).get(code=code)
        approve_period(users, station, item, datetime.date(2023, 10, 1), [(f"{code}.pdf", make_pdf())] + (
            [(f"{code}.xlsx", _xlsx())]))
    from oit_items import publication

    publication.bump(station)
    with django_assert_num_queries(4):
        client.get(index)


def _xlsx():
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


