"""Word-level Thai search: the same tokeniser for texts and queries, whole words and word prefixes
(never pieces cut out of words), over item titles, guidance, sub-requirements and approved
evidence; ranked and highlighted; the index built by the Celery job a publication queues."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ita_portal.lib import queue
from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.permissions import period_of
from oit_items.public import publication, search
from oit_items.public.models import SearchEntry, SearchIndexState
from oit_items.rulebook.models import Item
from tests.conftest import IMMIGRATION_SEED, POLICE_SEED, approve_period, make_docx, make_pdf
from units.models import Unit
from units.signals import published_record_changed, unit_details_changed

SEARCH = "/u/sn-buengkum/ita/2567/search/"
# The search page is cached under stamps this process remembers; a test's rolled-back publication
# must not leave the next test a page rendered for it.
pytestmark = pytest.mark.usefixtures("empty_caches")
NOV = datetime.date(2023, 11, 1)

# Words of the seed documents that the frameworks transcribe: each must be found.
MUST_FIND = [
    "ช่องทาง", "ร้องเรียน", "ทุจริต", "จัดซื้อจัดจ้าง", "จัดซื้อ", "งบประมาณ", "รายงาน", "ประจำเดือน", "สถิติ",
    "คู่มือ", "การให้บริการ", "ข้อมูลการติดต่อ", "แผนที่", "โครงสร้าง", "อำนาจหน้าที่", "กฎหมาย", "ผู้บริหาร",
    "ประชาสัมพันธ์", "สินบน", "ความเสี่ยง", "จริยธรรม", "มาตรการ", "คุณธรรม", "ความโปร่งใส", "ทรัพย์สิน", "ราชการ",
    "ผลการดำเนินงาน", "แผนการใช้จ่าย", "การมีส่วนร่วม", "หัวหน้า", "ปฏิบัติ", "ตรวจคนเข้าเมือง", "สขร.๑", "ITA",
    # word prefixes of whole syllables
    "ร้อง", "ช่อง",
]
# Pieces cut out of the middle of those words: a substring search finds every one in the seeds.
MUST_NOT_FIND = [
    "ดซื้อจั", "อง", "งเรีย", "ทุจ", "ฏิบัติ", "ัดซื้อ", "บประมา", "ารเปิด", "ียนการ", "ช่องท", "ริต", "้องเรียน",
    "ีงบประมาณ", "ระมาณ", "ระจำเดือ", "ถิติ", "ู่มือ", "ารให้บริ", "อมูล", "นที่", "ครงสร้", "ำนาจ", "ริหาร", "ชาสัมพัน", "นบน",
    "วามเสี่ย", "ริยธรร", "าตรกา", "ุณธรร", "วามโปร่ง", "รัพย์สิ", "าชกา", "ปฏิบั", "งเรียนการทุ", "ระกอบ",
]


def _units(station, other_unit):
    return [(station, 2567), (other_unit, 2567)]


def test_the_lists_come_from_the_seeds(seed_text):
    seeds = seed_text(POLICE_SEED) + seed_text(IMMIGRATION_SEED)
    assert len(MUST_FIND) >= 20 and len(MUST_NOT_FIND) >= 20
    assert [w for w in MUST_FIND + MUST_NOT_FIND if w not in seeds] == []


@pytest.mark.parametrize("word", MUST_FIND)
def test_words_are_found(word, station, other_unit):
    assert any(search.search(unit, year, word) for unit, year in _units(station, other_unit)), word


@pytest.mark.parametrize("fragment", MUST_NOT_FIND)
def test_pieces_of_words_are_not_found(fragment, station, other_unit):
    # The texts do contain the piece: only a word-level search refuses it.
    assert SearchEntry.objects.filter(text__contains=search.normalise(fragment)).exists()
    assert all(search.search(unit, year, fragment) == [] for unit, year in _units(station, other_unit)), fragment


def test_a_dictionary_word_inside_a_compound_is_found(station):
    """งบประมาณ inside ปีงบประมาณ (ปี + งบประมาณ: a two-letter word beside it), as the README says."""
    compounds = set(SearchEntry.objects.filter(unit=None, text__contains="ปีงบประมาณ", item__in=Item.objects.for_unit(
        station, 2567)).values_list("item__code", flat=True))
    found = {h.item_code for h in search.search(station, 2567, "งบประมาณ")}
    assert len(compounds) >= 5 and compounds <= found
    hit = next(h for h in search.search(station, 2567, "งบประมาณ") if h.item_code in compounds)
    assert any(text == "งบประมาณ" and marked for text, marked in hit.title_parts + hit.snippet)
    # The two letters beside it are not a word of their own there (ชน in ประชาชน, ปี in ปีงบประมาณ).
    assert search.analyse("ปีงบประมาณ")["starts"] == [0, 2, 4] and 2 not in search.analyse("ปีงบประมาณ")["ends"]
    assert search.analyse("ประชาชน")["ends"] == [5, 7] and 5 not in search.analyse("ประชาชน")["starts"]


def _plan(queryset) -> str:
    """The database's plan of a query, with sequential scans priced out on PostgreSQL: whatever
    index the condition allows is used, so a plan that still scans the table proves none does."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_a_query_for_one_unit_reads_its_rows_and_the_shared_ones_through_the_index(station):
    items = Item.objects.for_unit(station, 2567).values("pk")
    plan = _plan(SearchEntry.objects.of_unit(station, items).filter(text__contains="งบประมาณ"))
    assert re.search(r"search_entry_unit_item|searchentry_unit_id", plan), plan  # (unit, item) or (unit)
    assert "Seq Scan on oit_items_searchentry" not in plan and "SCAN oit_items_searchentry" not in plan, plan


def test_a_query_reads_only_its_units_rows(station, other_unit, approved_o7):
    search.rebuild(station)
    # Another unit's entries of the very same items: what the query used to scan item by item.
    theirs = [SearchEntry(**{f.attname: getattr(e, f.attname) for f in SearchEntry._meta.concrete_fields if not f.primary_key})
              for e in SearchEntry.objects.filter(unit=station)]
    for entry in theirs:
        entry.unit = other_unit
    SearchEntry.objects.bulk_create(theirs)
    items = Item.objects.for_unit(station, 2567).values("pk")
    assert set(SearchEntry.objects.of_unit(station, items).values_list("unit_id", flat=True)) == {station.pk, None}
    assert theirs and all(h.kind != "file" for h in search.search(other_unit, 2567, "ปฏิบัติราชการ"))


def test_the_search_page_has_a_heading_and_a_description(client, db):
    body = client.get(SEARCH, {"q": "ช่องทาง"}).content.decode()
    assert '<h1 class="h4">ค้นหาข้อมูลที่สถานีตำรวจนครบาลบึงกุ่มเผยแพร่ ปีงบประมาณ 2567</h1>' in body
    described = re.findall(r'<meta name="description" content="([^"]*)">', body)
    assert len(described) == 1 and described[0].startswith("ค้นหาข้อมูลที่สถานีตำรวจนครบาลบึงกุ่มเผยแพร่เพื่อการประเมิน ITA")


def test_channel_is_found_in_the_titles_and_highlighted(client, db):
    body = client.get(SEARCH, {"q": "ช่องทาง"}).content.decode()
    assert "<strong>O5</strong> ข้อมูลการติดต่อและ<mark>ช่องทาง</mark>การถาม-ตอบ" in body
    assert "<strong>O17</strong> <mark>ช่องทาง</mark>การแจ้งเรื่องร้องเรียน" in body
    assert "<mark>" not in client.get(SEARCH, {"q": "ดซื้อจั"}).content.decode()


def test_same_tokeniser_for_query_and_text():
    assert search.words("รายงานการปฏิบัติราชการประจำเดือน") == ["รายงาน", "การปฏิบัติ", "ราชการ", "ประจำเดือน"]
    assert search.query_terms("รายงานการปฏิบัติราชการประจำเดือน") == ["รายงาน", "การปฏิบัติ", "ราชการ", "ประจำเดือน"]
    assert search.query_terms("สขร.๑") == search.query_terms("สขร.1") == ["สขร.1"]
    assert search.query_terms("ดซื้อจั") == ["ดซื้อจั"]  # not words: searched as typed, in one piece


def test_words_apart_in_the_text_are_all_required(station):
    # A substring search would miss this: the words are apart in the title.
    assert [h.item_code for h in search.search(station, 2567, "รายงานประจำเดือน") if h.kind == "item"] == ["O7"]
    assert search.search(station, 2567, "รายงาน ไม่มีคำนี้แน่นอน") == []


def test_guidance_and_sub_requirements_are_searched(station):
    # "แผนที่ตั้งสถานีตำรวจ" is only in O5's guidance and sub-requirements, not in its title.
    hits = search.search(station, 2567, "แผนที่ตั้ง")
    assert [h.item_code for h in hits] == ["O5"] and "แผนที่" not in Item.objects.get(
        framework__fiscal_year=2567, framework__unit_type=station.unit_type, code="O5").title_th
    assert any(text == "แผนที่ตั้ง" and marked for text, marked in hits[0].snippet)
    assert [h.item_code for h in search.search(station, 2567, "e-mail")] == ["O5"]  # the English guidance too


def test_titles_rank_above_the_rest(station):
    codes = [h.item_code for h in search.search(station, 2567, "ร้องเรียน")]
    assert codes[0] == "O17" and "O18" in codes  # O17 says it in its title, O18 in its guidance


def test_published_evidence_is_found_and_drafts_are_not(users, station, o7, approved_o7,
                                                        django_capture_on_commit_callbacks):
    o15 = Item.objects.for_unit(station, 2567).get(code="O15")
    draft = period_of(station, o15, NOV)
    evidence_service.add_files(draft, [validate_upload(SimpleUploadedFile("จัดซื้อวัสดุสำนักงานลับ.pdf", make_pdf()))],
                               {"about_date": NOV}, users["responsible"])
    with django_capture_on_commit_callbacks(execute=True):
        published_record_changed.send(sender=None, unit=station)
    hits = search.search(station, 2567, "ปฏิบัติราชการ ต.ค.")
    assert {(h.item_code, h.kind) for h in hits} >= {("O7", "file")}
    assert search.search(station, 2567, "วัสดุสำนักงานลับ") == []


def test_descriptions_are_searched_and_other_units_evidence_is_not(users, station, other_unit, o7,
                                                                   django_capture_on_commit_callbacks):
    period = period_of(station, o7, NOV)
    files = [validate_upload(SimpleUploadedFile(name, content))
             for name, content in (("รายงาน พ.ย.66.pdf", make_pdf()), ("รายงาน พ.ย.66.docx", make_docx()))]
    evidence_service.add_files(period, files, {"about_date": NOV, "description": "กิจกรรมตั้งจุดตรวจวัดแอลกอฮอล์"},
                               users["responsible"])
    approve_period(users, station, o7, NOV, [])
    with django_capture_on_commit_callbacks(execute=True):
        published_record_changed.send(sender=None, unit=station)
    assert [(h.kind, h.month) for h in search.search(station, 2567, "แอลกอฮอล์")] == [("file", NOV)] * 2
    assert search.search(other_unit, 2567, "แอลกอฮอล์") == []


def test_the_index_is_built_by_the_job_a_publication_queues(client, users, station, approved_o7,
                                                           django_capture_on_commit_callbacks):
    o11 = Item.objects.for_unit(station, 2567).get(code="O11")
    approve_period(users, station, o11, datetime.date(2023, 10, 1),
                   [("สถิติคดีอาญา ต.ค.66.pdf", make_pdf()), ("สถิติคดีอาญา ต.ค.66.docx", make_docx())])
    with django_capture_on_commit_callbacks() as queued:
        published_record_changed.send(sender=None, unit=station)
    # Published, not indexed yet: the page says so and serves the index it has; a request builds nothing.
    before = SearchEntry.objects.count()
    page = client.get(SEARCH, {"q": "สถิติคดีอาญา"}).content.decode()
    assert 'data-index="updating"' in page and "สถิติคดีอาญา ต.ค.66" not in page
    assert SearchEntry.objects.count() == before
    for callback in queued:  # what the worker does: oit_items.tasks.rebuild_search_index
        callback()
    assert [h.item_code for h in search.search(station, 2567, "สถิติคดีอาญา") if h.kind == "file"] == ["O11", "O11"]
    page = client.get(SEARCH, {"q": "สถิติคดีอาญา"}).content.decode()
    assert 'data-index="' not in page and "<mark>สถิติคดีอาญา</mark> ต.ค.66" in page


def test_before_the_first_build_the_page_says_it_is_being_built(client, station, approved_o7):
    SearchIndexState.objects.filter(unit=station).delete()
    assert 'data-index="building"' in client.get(SEARCH, {"q": "ช่องทาง"}).content.decode()


def test_a_unit_that_published_nothing_has_nothing_to_build(client, station):
    """Never indexed, nothing published: no evidence of its own to find, and the items' texts are
    shared (built with the frameworks), so the page promises no build that nothing would start."""
    SearchIndexState.objects.filter(unit=station).delete()
    page = client.get(SEARCH, {"q": "ช่องทาง"}).content.decode()
    assert 'data-index="' not in page and search.state(station) == "ready"


def test_the_rebuild_is_idempotent(station, approved_o7):
    first = search.rebuild(station)
    assert search.rebuild(station) == first
    assert SearchEntry.objects.filter(unit=station).count() == first
    items = Item.objects.filter(framework__unit_type=station.unit_type, retired=False).count()
    assert SearchEntry.objects.filter(unit=None, item__framework__unit_type=station.unit_type).count() == items


def test_search_page_queries_do_not_grow(client, db, django_assert_num_queries):
    client.get(SEARCH, {"q": "ร้องเรียน"})
    with django_assert_num_queries(4):  # unit, years, entries, index state (the stamps are in the cache)
        client.get(SEARCH, {"q": "การ"})
    with django_assert_num_queries(0):  # the same query again: the page as cached
        assert "<mark>การ</mark>" in client.get(SEARCH, {"q": "การ"}).content.decode()


def test_a_cached_result_follows_the_query_and_the_index(client, station, approved_o7):
    first = client.get(SEARCH, {"q": "ร้องเรียน"})
    assert client.get(SEARCH, {"q": "ร้องเรียน"})["ETag"] == first["ETag"]
    assert client.get(SEARCH, {"q": "ช่องทาง"})["ETag"] != first["ETag"]
    assert client.get(SEARCH, {"q": "ร้องเรียน"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    search.rebuild(station)  # the job, after a publication: the cached results are not served again
    assert client.get(SEARCH, {"q": "ร้องเรียน"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_empty_and_silly_queries(client, db):
    assert client.get(SEARCH, {"q": ""}).status_code == 200
    assert client.get(SEARCH, {"q": "!!! ..."}).status_code == 200
    assert client.get(SEARCH, {"q": "ก" * 500}).status_code == 200
    assert client.get("/u/sn-buengkum/ita/2590/search/", {"q": "การ"}).status_code == 404


def test_the_command_builds_every_units_index(station, other_unit):
    from io import StringIO

    from django.core.management import call_command

    SearchIndexState.objects.all().delete()
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "2 units" in out.getvalue() and search.state(station) == search.state(other_unit) == "ready"
    assert search.search(other_unit, 2567, "ตรวจคนเข้าเมือง")


@pytest.mark.services
def test_two_rebuilds_at_once_take_turns_and_nothing_is_doubled(committed_demo, users):
    """Two workers rebuild the same unit's index at the same moment (two approvals in a row) on
    PostgreSQL, while a third builds another unit of the same framework: no error, no duplicate."""
    from django.db import connection

    from tests.conftest import require
    from tests.together import errors_of, run_together
    from units.models import Unit

    require(connection.vendor == "postgresql", "two connections need PostgreSQL")
    station, immigration = Unit.objects.get(slug="sn-buengkum"), Unit.objects.get(slug="imm-buengkan")
    o7 = Item.objects.for_unit(station, 2567).get(code="O7")
    approve_period(users, station, o7, NOV, [("รายงาน พ.ย.66.pdf", make_pdf()), ("รายงาน พ.ย.66.docx", make_docx())])
    SearchEntry.objects.all().delete()
    SearchIndexState.objects.all().delete()
    units = [station, station, immigration]
    assert errors_of(run_together(*[lambda u=u: search.rebuild(u) for u in units], timeout=120)) == []
    assert SearchEntry.objects.filter(unit=station).count() == 2
    assert SearchIndexState.objects.count() == 2 and search.state(Unit.objects.get(pk=station.pk)) == "ready"
    items = Item.objects.filter(framework__unit_type=station.unit_type, retired=False).count()
    assert SearchEntry.objects.filter(unit=None, item__framework__unit_type=station.unit_type).count() == items


@pytest.fixture
def sent(monkeypatch):
    """The names of the tasks handed to the broker (after commit), instead of sending them."""
    names = []
    monkeypatch.setattr(queue, "send", lambda name, args, on_hold=None: names.append(name))
    return names


def test_a_change_of_details_renders_the_pages_again_and_keeps_the_index(station, sent, django_capture_on_commit_callbacks):
    """Contacts, head, emblem, EIT address: announced as details, so the unit's pages get a new stamp
    but the index — which holds none of them — is neither rebuilt nor said to be behind."""
    search.rebuild(station)
    station.refresh_from_db()
    before = publication.stamp(station.slug)
    assert search.state(station) == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        unit_details_changed.send(sender=Unit, unit=station)
    station.refresh_from_db()
    assert publication.stamp(station.slug) != before
    assert search.state(station) == "ready" and "oit_items.tasks.rebuild_search_index" not in sent


def test_a_changed_published_record_renders_and_reindexes(station, sent, django_capture_on_commit_callbacks):
    search.rebuild(station)
    before = publication.stamp(station.slug)
    with django_capture_on_commit_callbacks(execute=True):
        published_record_changed.send(sender=Unit, unit=station)
    station.refresh_from_db()
    assert publication.stamp(station.slug) != before
    assert search.state(station) == "updating" and sent == ["oit_items.tasks.rebuild_search_index"]


def test_a_change_of_details_never_builds_an_index(station, sent, django_capture_on_commit_callbacks):
    """Not even a unit's first: with Celery in-process (`make run`) the build ran inside the save of its
    contacts (6 s). Its first publication builds it; the score follows the details in a job."""
    SearchIndexState.objects.filter(unit=station).delete()
    with django_capture_on_commit_callbacks(execute=True):
        unit_details_changed.send(sender=Unit, unit=station)
    assert sent == ["oit_items.tasks.refresh_unit_scores"]
    assert not SearchIndexState.objects.filter(unit=station).exists()
