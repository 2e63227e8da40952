import datetime
import urllib.parse

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import Revision
from oit_items.evidence.permissions import period_of
from oit_items.public import item as public_item
from oit_items.public import pages as public
from oit_items.rulebook.models import Item
from tests.conftest import approve_period, make_docx, make_pdf
from units.signals import published_record_changed

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
    body = client.get("/u/sn-buengkum/ita/2567/o1/").content.decode()
    assert 'data-status="missing"' in body and "ยังไม่เผยแพร่" in body


def test_item_page_advertises_its_open_data(client, approved_o7):
    body = client.get(ITEM).content.decode()
    assert '<link rel="alternate" type="application/json" href="/api/v1/units/sn-buengkum/ita/2567/o7/">' in body


def test_english_beside_thai(client, approved_o7):
    assert client.get("/lang/en/", {"next": ITEM})["Location"] == "/en" + ITEM
    body = client.get("/en" + ITEM).content.decode()
    assert '<html lang="en">' in body and "Monthly" in body and "October 2023" in body
    # The requirements in English: guidance and sub-requirements.
    assert "What this item requires" in body and "Published both as PDF and as Word" in body
    assert "เปิดเผยทั้งไฟล์ PDF และไฟล์ Word" not in body


def test_cached_pages_make_no_queries_and_change_on_approval(client, users, station, o7, approved_o7,
                                                             django_assert_num_queries):
    client.get(ITEM)
    with django_assert_num_queries(0):
        assert client.get(ITEM).status_code == 200
    approve_period(users, station, o7, NOV, [("รายงาน พ.ย.66.pdf", make_pdf()), ("รายงาน พ.ย.66.docx", make_docx())])
    from units.models import Unit

    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
    assert "รายงาน พ.ย.66" in client.get(ITEM).content.decode()


def test_signed_in_staff_are_never_served_a_cached_page(client, users, approved_o7):
    client.get(ITEM)
    client.force_login(users["viewer"])
    assert "ออกจากระบบ" in client.get(ITEM).content.decode()
    client.logout()
    assert "ออกจากระบบ" not in client.get(ITEM).content.decode()


def test_index_queries_do_not_grow(client, users, station, approved_o7, django_assert_num_queries):
    from oit_items.rulebook.models import Item

    index = "/u/sn-buengkum/ita/2567/"
    with django_assert_num_queries(4):  # unit, items, periods, years (the stamp is in the cache)
        client.get(index)
    for code in ("O11", "O15"):
        item = Item.objects.for_unit(station, 2567).get(code=code)
        approve_period(users, station, item, datetime.date(2023, 10, 1), [(f"{code}.pdf", make_pdf())] + (
            [(f"{code}.xlsx", _xlsx())]))

    published_record_changed.send(sender=None, unit=station)
    with django_assert_num_queries(4):
        client.get(index)


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


def _xlsx():
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()




# --- the assessor's checklist -------------------------------------------------------------------

def _periods(body) -> list[tuple[str, str]]:
    import re

    return re.findall(r'data-period="([^"]+)" data-status="([^"]+)"', body)


def _item(station, code):
    from oit_items.rulebook.models import Item

    return Item.objects.for_unit(station, 2567).get(code=code)


def test_requirements_come_first_in_thai(client, approved_o7):
    body = client.get(ITEM).content.decode()
    required = body.index("สิ่งที่ข้อนี้กำหนด")
    assert required < body.index("ตุลาคม 2566")
    assert "แยกรายเดือนและเผยแพร่เป็นประจำทุกเดือน" in body  # the guidance
    assert "<li>ระบุระยะเวลาดำเนินการ</li>" in body  # a sub-requirement
    assert "Published both as PDF and as Word" not in body


def test_every_month_is_a_row_published_none_or_not_yet(client, users, station):
    from oit_items.evidence import edits as evidence_service

    o15 = _item(station, "O15")
    approve_period(users, station, o15, datetime.date(2023, 10, 1), [("สขร.1 ต.ค.66.pdf", make_pdf()), ("สขร.1 ต.ค.66.xlsx", _xlsx())])
    evidence_service.declare_none(period_of(station, o15, NOV), "ไม่มีการจัดซื้อจัดจ้างในเดือนพฤศจิกายน 2566", NOV,
                                  users["responsible"])
    approve_period(users, station, o15, NOV, [])
    published_record_changed.send(sender=None, unit=station)
    body = client.get("/u/sn-buengkum/ita/2567/o15/").content.decode()
    assert _periods(body) == [("2023-10", "published"), ("2023-11", "none"), ("2023-12", "missing"),
                              ("2024-01", "missing"), ("2024-02", "missing"), ("2024-03", "missing")]
    assert "ไม่มีในช่วงนี้</strong>: ไม่มีการจัดซื้อจัดจ้างในเดือนพฤศจิกายน 2566" in body
    assert body.count("ยังไม่เผยแพร่") == 4


def test_pdfs_show_their_page_count_and_a_thumbnail_of_page_one(client, approved_o7):
    from PIL import Image

    pdf = Revision.objects.get(evidence__item_period=approved_o7, extension="pdf")
    assert pdf.thumbnail  # made once, on upload
    body = client.get(ITEM).content.decode()
    assert "2 หน้า" in body and f"/u/sn-buengkum/files/{pdf.pk}/thumbnail.jpg" in body
    response = client.get(f"/u/sn-buengkum/files/{pdf.pk}/thumbnail.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    import io

    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert max(image.size) <= 320 and image.size[1] > image.size[0]  # an A4 page, upright


def test_news_photos_are_inline_with_captions_dates_and_a_larger_view(client, users, station):
    from oit_items.evidence import edits as evidence_service
    from tests.data.measures_files import jpeg

    o19 = _item(station, "O19")
    period = period_of(station, o19, None)
    photo = validate_upload(SimpleUploadedFile("ข่าว.jpg", jpeg((800, 600))))
    evidence_service.add_files(period, [photo], {"title": "ผกก. ประชุมชี้แจงการประเมิน ITA", "description": "ณ ห้องประชุม",
                                                 "about_date": datetime.date(2023, 11, 8), "is_news": True}, users["responsible"])
    draft = validate_upload(SimpleUploadedFile("ร่างข่าว.jpg", jpeg()))
    approve_period(users, station, o19, None, [])
    evidence_service.add_files(period_of(station, o19, None), [draft], {"about_date": NOV}, users["responsible"])
    published_record_changed.send(sender=None, unit=station)
    body = client.get("/u/sn-buengkum/ita/2567/o19/").content.decode()
    published = Revision.objects.get(original_name="ข่าว.jpg")
    assert f'src="/u/sn-buengkum/files/{published.pk}/thumbnail.jpg" alt="ผกก. ประชุมชี้แจงการประเมิน ITA"' in body
    assert f'href="/u/sn-buengkum/files/{published.pk}/"' in body  # the larger view
    assert "<figcaption" in body and "8 พฤศจิกายน 2566" in body and "ณ ห้องประชุม" in body
    assert client.get(f"/u/sn-buengkum/files/{published.pk}/").status_code == 200
    unpublished = Revision.objects.get(original_name="ร่างข่าว.jpg")
    assert client.get(f"/u/sn-buengkum/files/{unpublished.pk}/thumbnail.jpg").status_code == 404
    assert "ร่างข่าว" not in body


def test_last_updated_on_every_public_page(client, approved_o7):
    for path in ("/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", ITEM, "/u/sn-buengkum/ita/2567/o1/", "/u/sn-buengkum/questions/"):
        assert "data-updated" in client.get(path).content.decode(), path
    assert "ปรับปรุงล่าสุด: <time datetime=" in client.get(ITEM).content.decode()


def test_contact_item_shows_the_units_own_data_and_map(client, station):
    from units.models import Unit

    Unit.objects.filter(pk=station.pk).update(address="ถนนนวมินทร์ แขวงคลองกุ่ม เขตบึงกุ่ม กรุงเทพมหานคร 10240",
                                              phone="02 123 4567", email="bk@example.go.th", latitude="13.809000",
                                              longitude="100.651000")
    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
    body = client.get("/u/sn-buengkum/ita/2567/o5/").content.decode()
    assert "ถนนนวมินทร์" in body and 'href="tel:021234567"' in body and "bk@example.go.th" in body
    assert "https://www.openstreetmap.org/?mlat=13.809000&amp;mlon=100.651000" in body
    assert 'href="/u/sn-buengkum/questions/"' in body
    assert _periods(body) == [("year", "live")] and "ยังไม่เผยแพร่" not in body


def test_complaint_item_never_says_not_published_under_its_statistics(client, db):
    body = client.get("/u/sn-buengkum/ita/2567/o17/").content.decode()
    assert "ยังไม่เผยแพร่" not in body and "ข้อนี้ยังไม่มีการเผยแพร่ข้อมูล" not in body
    assert {status for _month, status in _periods(body)} == {"live"} and body.count("<strong>ไม่มีเรื่องร้องเรียน</strong>") == 6 + 1  # each month, and the total


def test_item_page_queries_do_not_grow(client, users, station, o7, approved_o7, django_assert_num_queries):

    def count():
        published_record_changed.send(sender=None, unit=station)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(ITEM).status_code == 200
        return len(queries)

    before = count()
    approve_period(users, station, o7, NOV, [("รายงาน พ.ย.66.pdf", make_pdf()), ("รายงาน พ.ย.66.docx", make_docx())])
    assert count() == before


def test_index_numbers_each_row_once_with_aligned_titles(client, approved_o7):
    body = client.get("/u/sn-buengkum/ita/2567/").content.decode()
    assert "list-group-numbered" not in body
    assert '<span class="oit-code">O7</span>' in body and body.count('class="list-group-item oit-row"') == 25


def test_the_unit_emblem_on_its_public_pages(client, station):
    from django.core.files.base import ContentFile

    from tests.data.measures_files import jpeg
    from units.models import Unit

    assert client.get("/u/sn-buengkum/emblem/").status_code == 404  # none yet
    unit = Unit.objects.get(pk=station.pk)
    unit.emblem.save("ตรา.jpg", ContentFile(jpeg()), save=True)
    published_record_changed.send(sender=None, unit=unit)
    for path in ("/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", ITEM):
        assert 'src="/u/sn-buengkum/emblem/?v=' in client.get(path).content.decode(), path
    emblem = client.get("/u/sn-buengkum/emblem/")  # anonymous: the public emblem of a publishing unit
    assert emblem.status_code == 200 and emblem["Content-Type"] == "image/jpeg"
    Unit.objects.filter(slug="rtp").update(emblem=unit.emblem.name)
    assert client.get("/u/rtp/emblem/").status_code == 404  # HQ levels have no public pages


def test_a_published_framework_edit_reaches_the_public_page_and_the_search(client, national_admin, station,
                                                                          django_capture_on_commit_callbacks):
    from oit_items.public import search
    from oit_items.rulebook import editing as framework_edit
    from oit_items.rulebook.models import Framework

    client.get(ITEM)  # cached before the edit
    framework = Framework.objects.get(unit_type=station.unit_type, fiscal_year=2567)
    draft = framework_edit.draft_for(framework, national_admin)
    entry = dict(draft.item("O7"))
    entry["sub_requirements"] = entry["sub_requirements"] + [{"th": "แนบภาพกิจกรรมอย่างน้อยสี่ภาพ", "en": "At least four photos"}]
    framework_edit.save_entry(draft, entry, national_admin, code="O7")
    with django_capture_on_commit_callbacks(execute=True):
        framework_edit.publish(framework, national_admin, note="เพิ่มประเด็น")
    assert "<li>แนบภาพกิจกรรมอย่างน้อยสี่ภาพ</li>" in client.get(ITEM).content.decode()
    assert [h.item_code for h in search.search(station, 2567, "สี่ภาพ")] == ["O7"]
