"""The record as submitted to ITAP (issue 18, point 3): each item frozen as an assessor saw it, with
every file's name, size and SHA-256; permanent public pages that never change afterwards (but by a
PDPA takedown, which leaves when, why and the hash); the commander's submission, the deadline's beat
task and the command; the ITAP sheet with both addresses; the headquarters' progress."""

import datetime
import hashlib
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ita_portal.lib import pagecache
from ita_portal.lib.uploads import validate_upload
from oit_items import tasks
from oit_items.assessment import freezing
from oit_items.assessment.models import FrozenFile, FrozenItem, ItapRecord
from oit_items.evidence import edits, takedown, workflow
from oit_items.evidence.models import Assignment, Evidence, ItemPeriod, Revision
from oit_items.evidence.permissions import item_access
from tests.conftest import approve_period, make_docx, make_pdf
from units.models import Unit
from units.permissions import unit_access
from units.signals import published_record_changed

OCT, NOV = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1)
LIVE = "/u/sn-buengkum/ita/2567/o7/"
INDEX = "/u/sn-buengkum/ita/2567/submitted/"
FROZEN_O7 = "/u/sn-buengkum/ita/2567/submitted/o7/"
SUBMIT = "/staff/units/sn-buengkum/ita/2567/itap/submit/"
ITAP_PAGE = "/staff/units/sn-buengkum/ita/2567/itap/"


def clear_caches():
    cache.clear()
    pagecache.local.stamps.clear(), pagecache.local.pages.clear()


def fresh(client, path) -> bytes:
    """The page as anonymous visitors get it, rendered again (nothing from the cache)."""
    clear_caches()
    client.logout()
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content


@pytest.fixture
def frozen(users, station, approved_o7):
    record, created = freezing.freeze(station, 2567, ItapRecord.SUBMITTED, users["commander"])
    assert created
    return record


def test_freezing_keeps_each_item_as_the_public_saw_it_with_hashes(users, station, approved_o7, frozen):
    assert frozen.items.count() == 25
    assert frozen.trigger == ItapRecord.SUBMITTED and frozen.frozen_by == users["commander"] and frozen.frozen_by_name
    o7 = frozen.items.get(code="O7")
    assert o7.live_url.endswith(LIVE) and o7.title_th == o7.item.title_th
    content = o7.content
    assert content["title_th"] == o7.item.title_th and content["sub_requirements"] == o7.item.sub_requirements
    assert [p["month"] for p in content["periods"]] == ["2023-10-01", "2023-11-01", "2023-12-01", "2024-01-01",
                                                         "2024-02-01", "2024-03-01"]
    october = content["periods"][0]
    assert october["status"] == "published" and october["approved_at"] == approved_o7.approved_at.isoformat()
    assert {e["original_name"] for e in october["entries"]} == {"รายงานผลการปฏิบัติราชการ ต.ค.66.pdf",
                                                                 "รายงานผลการปฏิบัติราชการ ต.ค.66.docx"}
    assert content["periods"][1]["status"] == "missing" and content["periods"][1]["entries"] == []
    files = list(o7.files.select_related("revision"))
    assert len(files) == 2
    for frozen_file in files:
        with frozen_file.revision.file.open("rb") as stream:
            data = stream.read()
        assert frozen_file.sha256 == hashlib.sha256(data).hexdigest() and frozen_file.size == len(data)
        assert frozen_file.month == OCT and frozen_file.original_name == frozen_file.revision.original_name
    # The items whose page shows live data keep it: contact details, complaint statistics.
    assert frozen.items.get(code="O5").content["contact"]["name_th"] == station.name_th
    assert len(frozen.items.get(code="O17").content["statistics"]) == 6


def test_freezing_twice_says_so_and_changes_nothing(users, station, frozen):
    counts = (ItapRecord.objects.count(), FrozenItem.objects.count(), FrozenFile.objects.count())
    again, created = freezing.freeze(station, 2567, ItapRecord.DEADLINE)
    assert not created and again == frozen
    again.refresh_from_db()
    assert again.frozen_at == frozen.frozen_at and again.trigger == ItapRecord.SUBMITTED
    assert (ItapRecord.objects.count(), FrozenItem.objects.count(), FrozenFile.objects.count()) == counts


def test_a_batch_costs_the_same_queries_whatever_its_size(station, other_unit, approved_o7):
    def queries(unit_ids, fiscal_year):
        with CaptureQueriesContext(connection) as captured:
            outcome = freezing.freeze_many(unit_ids, fiscal_year, ItapRecord.DEADLINE)
        assert len(outcome.frozen) == len(unit_ids)
        return len(captured)

    one = queries([station.pk], 2567)
    FrozenFile.objects.all().delete(), FrozenItem.objects.all().delete(), ItapRecord.objects.all().delete()
    more = [Unit.objects.create(parent=station.parent, unit_type=station.unit_type, slug=f"sn-test-{n}",
                                name_th=f"สน.ทดสอบ {n}").pk for n in range(3)]
    assert queries([station.pk, other_unit.pk, *more], 2567) == one  # two unit types, five units


def test_the_frozen_pages_never_change_after_a_later_approval_or_replacement(client, users, station, o7, approved_o7,
                                                                              frozen):
    item_page, index = fresh(client, FROZEN_O7), fresh(client, INDEX)
    assert "รายงานผลการปฏิบัติราชการ ต.ค.66.pdf".encode() in item_page
    assert b"csrfmiddlewaretoken" not in item_page
    pdf = frozen.items.get(code="O7").files.get(original_name__endswith=".pdf")
    download = reverse("itap-submitted-file", args=["sn-buengkum", 2567, "o7", pdf.pk])
    original = b"".join(client.get(download).streaming_content)
    # A new month approved …
    approve_period(users, station, o7, NOV, [("รายงาน พ.ย.66.pdf", make_pdf()), ("รายงาน พ.ย.66.docx", make_docx())])
    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
    assert "รายงาน พ.ย.66".encode() in fresh(client, LIVE)
    assert fresh(client, FROZEN_O7) == item_page and fresh(client, INDEX) == index
    # … and October's PDF replaced by another file, approved again.
    evidence = Evidence.objects.get(current_revision_id=pdf.revision_id)
    replacement = edits.replace_file(evidence, validate_upload(SimpleUploadedFile("แก้ไข ต.ค.66.pdf", make_pdf(3))),
                                     users["responsible"])
    period = ItemPeriod.objects.get(pk=approved_o7.pk)
    assignment = Assignment.objects.get(unit=station, item=o7)
    for action, role in (("submit", "responsible"), ("check", "controller"), ("approve", "commander")):
        user = users[role]
        period = workflow.transition(period, action, user, item_access(user, unit_access(user, station), assignment),
                                     override="ทดสอบ")
    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))
    live = fresh(client, LIVE).decode()
    assert reverse("public-file", args=["sn-buengkum", replacement.pk]) in live
    assert reverse("public-file", args=["sn-buengkum", pdf.revision_id]) not in live
    assert fresh(client, FROZEN_O7) == item_page and fresh(client, INDEX) == index
    assert b"".join(client.get(download).streaming_content) == original  # the file as it was, not its replacement
    assert hashlib.sha256(original).hexdigest() == pdf.sha256


def test_the_live_page_links_to_the_record_at_once(client, users, station, approved_o7,
                                                    django_capture_on_commit_callbacks):
    assert "ฉบับที่ส่ง ITAP" not in client.get(LIVE).content.decode()  # now cached under the unit's stamp
    with django_capture_on_commit_callbacks(execute=True):
        freezing.freeze(Unit.objects.get(pk=station.pk), 2567, ItapRecord.SUBMITTED, users["commander"])
    page = client.get(LIVE).content.decode()
    assert "ฉบับที่ส่ง ITAP เมื่อ" in page and f'href="{FROZEN_O7}"' in page


def test_a_takedown_removes_the_file_from_the_record_keeping_when_why_and_hash(client, users, station, approved_o7,
                                                                                frozen):
    pdf_entry = next(e for e in approved_o7.published if e["extension"] == "pdf")
    frozen_file = FrozenFile.objects.get(revision_id=pdf_entry["revision"])
    download = reverse("itap-submitted-file", args=["sn-buengkum", 2567, "o7", frozen_file.pk])
    assert client.get(download).status_code == 200
    reason = "ไฟล์มีเลขบัตรประชาชนของผู้ต้องหา (PDPA)"
    takedown.take_down(approved_o7, users["commander"], reason, [pdf_entry["evidence"]])
    frozen_file.refresh_from_db()
    assert frozen_file.taken_down_at is not None and frozen_file.takedown_reason == reason
    assert frozen_file.sha256 == Revision.objects.get(pk=pdf_entry["revision"]).sha256 and frozen_file.original_name == ""
    entries = FrozenItem.objects.get(pk=frozen_file.frozen_item_id).content["periods"][0]["entries"]
    gone = next(e for e in entries if e["revision"] == pdf_entry["revision"])
    assert "title" not in gone and "original_name" not in gone and gone["taken_down_at"]
    page = fresh(client, FROZEN_O7).decode()
    assert "ต.ค.66.pdf" not in page and reason in page and frozen_file.sha256 in page
    assert "รายงานผลการปฏิบัติราชการ ต.ค.66.docx" in page  # the other file stays
    assert client.get(download).status_code == 410


def test_a_file_outside_the_record_is_404(client, frozen, other_unit):
    frozen_file = FrozenFile.objects.filter(frozen_item__record=frozen).first()
    for slug, code in (("imm-buengkan", "o7"), ("sn-buengkum", "o8")):
        assert client.get(reverse("itap-submitted-file", args=[slug, 2567, code, frozen_file.pk])).status_code == 404
    assert client.get(reverse("itap-submitted-file", args=["sn-buengkum", 2567, "o7", 999999])).status_code == 404
    assert client.get("/u/imm-buengkan/ita/2567/submitted/").status_code == 404  # never frozen
    assert client.get("/u/sn-buengkum/ita/2567/submitted/o99/").status_code == 404
    assert client.get("/u/sn-buengkum/ita/2567/submitted/O7/").status_code == 301


@pytest.mark.parametrize("role, status", [("commander", 302), ("admin", 403), ("responsible", 403), ("controller", 403),
                                          ("viewer", 403), ("other-commander", 403), ("division-supervisor", 403),
                                          ("hq-supervisor", 403)])
def test_only_the_commander_submits_to_itap(client, users, role, status):
    client.force_login(users[role])
    response = client.post(SUBMIT)
    assert response.status_code == status
    assert ItapRecord.objects.filter(unit__slug="sn-buengkum").exists() == (status == 302)
    if status == 302:
        assert response["Location"] == ITAP_PAGE
        assert ItapRecord.objects.get(unit__slug="sn-buengkum").trigger == ItapRecord.SUBMITTED
        page = client.get(ITAP_PAGE).content.decode()
        assert 'data-itap-record="frozen"' in page and reverse("itap-submitted", args=["sn-buengkum", 2567]) in page
        client.post(SUBMIT)
        assert ItapRecord.objects.filter(unit__slug="sn-buengkum").count() == 1


def test_submitting_is_a_post_and_anonymous_is_sent_to_login(client, users):
    assert client.post(SUBMIT)["Location"].startswith("/login/")
    client.force_login(users["commander"])
    assert client.get(SUBMIT).status_code == 405
    assert 'data-submit-itap' in client.get(ITAP_PAGE).content.decode()
    client.force_login(users["admin"])
    assert 'data-submit-itap' not in client.get(ITAP_PAGE).content.decode()  # the admin sees who submits
    assert not ItapRecord.objects.exists()


def test_submitting_needs_the_second_factor_like_an_approval(client, users):
    TOTPDevice.objects.create(user=users["commander"], name="phone", confirmed=True)
    client.force_login(users["commander"])  # password only: the device is not verified in this session
    response = client.post(SUBMIT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-verify"))
    assert not ItapRecord.objects.exists()


def test_the_command_says_what_it_froze_and_what_was_frozen_already(station, approved_o7):
    out = io.StringIO()
    call_command("freeze_itap_record", "2567", "--unit", "sn-buengkum", stdout=out)
    assert "frozen: sn-buengkum 2567" in out.getvalue() and "1 frozen now, 0 already frozen" in out.getvalue()
    assert ItapRecord.objects.get(unit=station).trigger == ItapRecord.COMMAND
    out = io.StringIO()
    call_command("freeze_itap_record", "2567", stdout=out)
    assert "already frozen: sn-buengkum 2567" in out.getvalue()
    publishing = Unit.objects.filter(unit_type__publishes_oit=True).count()
    assert f"{publishing - 1} frozen now, 1 already frozen" in out.getvalue()


def test_the_beat_freezes_only_units_not_yet_frozen_after_the_deadline(users, station, other_unit, frozen,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.freeze_due_records("2024-04-30") == 0  # the deadline's own day: not passed yet
    assert ItapRecord.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.freeze_due_records("2024-05-01")  # eager in tests: the chunks run at commit
    publishing = Unit.objects.filter(unit_type__publishes_oit=True).count()
    assert queued == publishing - 1
    assert ItapRecord.objects.filter(fiscal_year=2567).count() == publishing
    kept = ItapRecord.objects.get(unit=station)
    assert kept.trigger == ItapRecord.SUBMITTED and kept.frozen_at == frozen.frozen_at
    assert ItapRecord.objects.get(unit=other_unit).trigger == ItapRecord.DEADLINE
    assert not ItapRecord.objects.exclude(fiscal_year=2567).exists()  # later years' deadlines are ahead
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.freeze_due_records("2024-05-02") == 0


def test_the_beat_schedule_names_the_task(settings):
    assert any(e["task"] == "oit_items.tasks.freeze_due_records" for e in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_record_page_lists_the_items_in_a_fixed_number_of_queries(client, users, station, o7, approved_o7, frozen,
                                                                      django_assert_num_queries):
    clear_caches()
    with django_assert_num_queries(4):  # the record's stamp, the unit, the record, its items with their files
        page = client.get(INDEX).content.decode()
    assert page.count("data-item=") == 25 and 'data-trigger="submitted"' in page
    # Another unit's record with more files lists in as many.
    for month in (NOV, datetime.date(2023, 12, 1)):
        approve_period(users, station, o7, month, [("a.pdf", make_pdf()), ("b.pdf", make_pdf()), ("c.docx", make_docx())])
    ItapRecord.objects.filter(pk=frozen.pk).update(fiscal_year=2566)  # make room for a second freeze of 2567
    freezing.freeze(Unit.objects.get(pk=station.pk), 2567, ItapRecord.COMMAND)
    assert FrozenFile.objects.filter(frozen_item__record__fiscal_year=2567).count() == 8
    clear_caches()
    with django_assert_num_queries(4):
        client.get(INDEX)
    clear_caches()
    with django_assert_num_queries(4):  # the stamp, the unit, the item with its record, its files
        client.get(FROZEN_O7)


def test_headquarters_see_how_many_units_are_frozen(client, users, station, frozen):
    client.force_login(users["hq-supervisor"])
    page = client.get(reverse("overview-year", args=["rtp", 2567])).content.decode()
    assert 'data-itap-frozen="1"' in page and "frozen 1 of " not in page  # in Thai
    units = Unit.objects.filter(unit_type__publishes_oit=True).count()
    assert f"บันทึกฉบับแล้ว 1 จาก {units} หน่วย" in page


def test_a_year_without_items_has_nothing_to_freeze(client, users, station):
    with pytest.raises(ValueError):
        freezing.freeze(station, 2500, ItapRecord.COMMAND)
    client.force_login(users["commander"])
    assert client.post("/staff/units/sn-buengkum/ita/2500/itap/submit/").status_code == 404
    assert not ItapRecord.objects.exists()
