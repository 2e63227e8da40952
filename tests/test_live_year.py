"""The live year told honestly (issue 18, point 6): a year whose criteria are copied says so, and marks
the dates its copied texts carry, until headquarters publish the NACC's; a period not begun is "not
yet due", never failing; statistics stop at the current month; an item whose own data is empty is
never called current.

`today` is given explicitly where the code takes it; the pages use the real day, so their tests use
years whose every month is past (2567) or not yet begun (the year after the current one)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ita_portal.lib import thaidate
from ita_portal.lib.uploads import validate_upload
from oit_items.channels import stats
from oit_items.channels.models import Complaint
from oit_items.evidence import checks, my_work, workspace
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import ItemReadiness
from oit_items.evidence.permissions import period_of
from oit_items.public import item as public_item
from oit_items.public import publication
from oit_items.rulebook import copied, editing, fiscal_year, portal_data
from oit_items.rulebook.models import Framework, Item
from reports.models import StatisticsReport
from tests.conftest import make_pdf
from units.models import Unit

pytestmark = pytest.mark.django_db
DEC_2566 = datetime.date(2023, 12, 7)  # FY2567: October overdue, November and December under way, Jan–Mar ahead


def current_year():
    return thaidate.fiscal_year(timezone.localdate())


@pytest.fixture
def next_year(db):
    """The year after the current one, copied (provisional) like every new year: none of its months has begun."""
    year = current_year() + 1
    fiscal_year.ensure(year)
    return year


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def index_row(body: str, code: str) -> str:
    return next(row for row in body.split('<li class="list-group-item oit-row">')[1:] if f'oit-code">{code}<' in row)


# --- 1. a copied year says so -----------------------------------------------------------------------

def test_a_copied_year_says_so_on_staff_and_public_pages_until_the_final_criteria(
        client, users, station, national_admin, empty_caches, django_capture_on_commit_callbacks):
    year = current_year()
    framework = Framework.objects.get(unit_type=station.unit_type, fiscal_year=year)
    assert framework.provisional and framework.criteria_year == 2567
    notice = f"คัดลอกจากปี 2567 และจะปรับปรุงเมื่อส่วนกลางประกาศเกณฑ์ของ ป.ป.ช. สำหรับปีงบประมาณ {year}"
    public = [f"/u/sn-buengkum/ita/{year}/o7/", f"/u/sn-buengkum/ita/{year}/"]
    for path in public:
        body = client.get(path).content.decode()
        assert 'data-provisional="2567"' in body and notice in text_of(body), path
    o7_page = client.get(public[0]).content.decode()
    # The NACC's text stays as written; its FY2567 dates are marked, with this year's period beside them.
    assert '<mark class="copied-date" data-copied-date>ต.ค.๖๖</mark>' in o7_page
    start, end = framework.window
    assert f"{thaidate.thai_date(start, 'medium')} – {thaidate.thai_date(end, 'medium')}" in text_of(o7_page)
    assert 'data-copied-dates="2567"' in o7_page
    client.force_login(users["responsible"])
    for path in (reverse("item-detail", args=[station.slug, year, "o7"]), reverse("workspace", args=[station.slug, year])):
        body = client.get(path).content.decode()
        assert 'data-provisional="2567"' in body and notice in text_of(body), path
    assert '<mark class="copied-date"' in client.get(reverse("item-detail", args=[station.slug, year, "o7"])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        editing.draft_for(framework, national_admin)
        editing.publish(framework, national_admin, "เกณฑ์ของ ป.ป.ช. ประจำปี", final=True)
    framework.refresh_from_db()
    assert not framework.provisional and framework.criteria_year is None
    for path in (reverse("item-detail", args=[station.slug, year, "o7"]), reverse("workspace", args=[station.slug, year])):
        body = client.get(path).content.decode()
        assert "data-provisional" not in body and "คัดลอกจากปี" not in body and "copied-date" not in body, path
    client.logout()
    for path in public:
        body = client.get(path).content.decode()
        assert "data-provisional" not in body and "คัดลอกจากปี" not in body and "copied-date" not in body, path


def test_only_the_source_years_dates_are_marked():
    text = "รายงานรอบ ๖ เดือนแรก พ.ศ.๒๕๖๗ (ต.ค.๖๖ – มี.ค.๖๗) ข้อมูล ณ 1 มกราคม 2567 ตามประมวลจริยธรรม พ.ศ. 2564 ปี 2570"
    assert copied.mentions(text, 2567) == ["๒๕๖๗", "ต.ค.๖๖", "มี.ค.๖๗", "2567"]
    assert "".join(piece for piece, _marked in copied.segments(text, 2567)) == text  # nothing rewritten
    assert copied.mentions(text, None) == [] and copied.mentions("Oct 2023 - Mar 2024", 2567) == ["2023", "2024"]


def test_a_copy_of_a_copy_names_the_year_its_texts_come_from(station, next_year):
    copy = Framework.objects.get(unit_type=station.unit_type, fiscal_year=next_year)
    assert copy.cloned_from.fiscal_year == next_year - 1 and copy.criteria_year == 2567
    o7 = Item.objects.for_unit(station, next_year).select_related("framework").get(code="O7")
    assert "ต.ค.๖๖" in copied.item_mentions(o7)


# --- 2. a month not begun is not yet due ------------------------------------------------------------

def _add_pdf(station, item, month, users):
    period = period_of(station, item, month)
    evidence_service.add_files(period, [validate_upload(SimpleUploadedFile("report.pdf", make_pdf()))],
                               {"about_date": month}, users["responsible"])


def test_the_one_rule_for_a_periods_status(station, o7):
    october, november, january = (datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2024, 1, 1))
    assert [o7.timing(m, DEC_2566) for m in (october, november, january)] == [o7.DUE, o7.IN_PROGRESS, o7.NOT_DUE]
    result = checks.evaluate(o7, {})
    assert [result.period(m, DEC_2566).shown for m in (october, november, january)] == [
        checks.FAILED, checks.IN_PROGRESS, checks.NOT_DUE]
    assert not result.period(january, DEC_2566).failed and result.period(october, DEC_2566).failed
    periods_rule = next(r for r in result.rules_on(DEC_2566) if r.rule["type"] == "periods")
    assert periods_rule.status == checks.FAILED and [f.month for f in periods_rule.failures] == [october]
    assert [f.month for f in periods_rule.in_progress] == [november, datetime.date(2023, 12, 1)]
    assert len(periods_rule.not_due) == 3
    # Before the year begins nothing of it fails.
    assert {r.status for r in result.rules_on(datetime.date(2023, 9, 1)) if r.failures or r.not_due} == {checks.NOT_DUE}


def test_workspace_cells_and_readiness_agree_on_what_is_overdue(users, station, o7):
    _add_pdf(station, o7, datetime.date(2023, 11, 1), users)  # a PDF without its Word file: a check fails
    space = workspace.build(station, 2567, today=DEC_2566, items=[o7])
    cells = {cell.month.month: cell for cell in space.rows[0].cells}
    assert cells[10].checks_shown == checks.FAILED and cells[10].overdue
    assert cells[11].failures and cells[11].checks_shown == checks.IN_PROGRESS and not cells[11].overdue
    for month in (1, 2, 3):
        assert cells[month].not_due and cells[month].checks_shown == checks.NOT_DUE and not cells[month].overdue
    html = render_to_string("oit_items/partials/cell.html", {"cell": cells[1], "row": space.rows[0], "unit": station,
                                                             "space": space})
    assert 'data-checks="not_due"' in html and "ยังไม่ถึงกำหนด" in html and "text-danger" not in html
    html = render_to_string("oit_items/partials/cell.html", {"cell": cells[11], "row": space.rows[0], "unit": station,
                                                             "space": space})
    assert 'data-checks="in_progress"' in html and "text-danger" not in html
    # The stored readiness says "overdue" by `open_due < today`: the October cell's due date, the same day.
    row = ItemReadiness.objects.get(unit=station, item=o7)
    assert row.open_due == cells[10].due and row.open_due < DEC_2566
    assert [c.overdue for c in cells.values()] == [c.due < DEC_2566 and c.state in ("empty", "draft", "returned")
                                                  for c in cells.values()]


def test_my_work_shows_a_month_under_way_as_in_progress_not_failing(users, station, o7):
    _add_pdf(station, o7, datetime.date(2023, 11, 1), users)
    work = my_work.build(users["responsible"], DEC_2566)
    entries = {e.month: e for e in work.prepare if e.item.pk == o7.pk}
    assert datetime.date(2024, 1, 1) not in entries  # months not begun are not work yet
    november = entries[datetime.date(2023, 11, 1)]
    assert november.shown_failures and not november.failed and november.checks_shown == checks.IN_PROGRESS
    html = render_to_string("oit_items/partials/work_entry.html", {"entry": november, "show_failures": True,
                                                                   "show_due": True})
    assert "text-bg-danger" not in html and "text-danger" not in html and 'data-checks="in_progress"' in html


def test_pages_of_a_year_not_begun_show_no_failure(client, users, station, next_year):
    client.force_login(users["responsible"])
    body = client.get(reverse("item-detail", args=[station.slug, next_year, "o7"])).content.decode()
    assert body.count('data-checks="not_due"') == 6 and 'data-checks="failed"' not in body
    assert "ไม่ผ่านการตรวจอัตโนมัติ" not in body and "เกินกำหนด" not in body
    assert 'data-rule="periods" data-status="not_due"' in body
    body = client.get(reverse("workspace", args=[station.slug, next_year])).content.decode()
    assert 'data-checks="failed"' not in body and "เกินกำหนด" not in body and 'data-checks="not_due"' in body
    assert all(row.open_due >= timezone.localdate() for row in ItemReadiness.objects.filter(fiscal_year=next_year))
    client.logout()
    body = client.get(f"/u/sn-buengkum/ita/{next_year}/o7/").content.decode()
    statuses = re.findall(r'data-period="[^"]+" data-status="([a-z_]+)"', body)
    assert statuses == ["not_due"] * 6 and "ยังไม่เผยแพร่" not in body and "ยังไม่ถึงกำหนด" in body


def test_the_public_month_list_says_not_yet_due_only_for_months_not_begun(station, o7):
    rows = public_item.rows(station, o7, 2567, [], today=DEC_2566)
    assert [r.status for r in rows] == ["missing"] * 3 + ["not_due"] * 3
    assert [r.status for r in public_item.rows(station, o7, 2567, [], today=datetime.date(2024, 6, 1))] == ["missing"] * 6


# --- 3. statistics stop at the current month -------------------------------------------------------

def test_complaint_statistics_stop_at_the_current_month(station):
    Complaint.objects.create(unit=station, subject="เรียกรับเงิน", text="ที่จุดตรวจ")
    Complaint.objects.filter(unit=station).update(created_at=timezone.make_aware(datetime.datetime(2023, 11, 20, 10)))
    figures = stats.monthly(station, 2567, today=datetime.date(2023, 12, 15))
    assert [s.month for s in figures] == [datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2023, 12, 1)]
    assert [s.in_progress for s in figures] == [0, 1, 1]
    totals = public_item.complaint_totals(figures, today=datetime.date(2023, 12, 15))
    assert totals["so_far"] and totals["last"] == datetime.date(2023, 12, 1) and totals["in_progress"] == 1
    assert not public_item.complaint_totals(figures, today=datetime.date(2024, 1, 2))["so_far"]
    assert stats.monthly(station, 2567, today=datetime.date(2023, 9, 30)) == []
    assert len(stats.monthly(station, 2567, today=datetime.date(2024, 8, 1))) == 6


def test_public_statistics_show_no_month_not_begun(client, station, next_year, empty_caches):
    Complaint.objects.create(unit=station, subject="เรียกรับเงิน", text="ที่จุดตรวจ")  # received today
    year = current_year()
    this_month = timezone.localdate().replace(day=1)
    body = client.get(f"/u/sn-buengkum/ita/{year}/o17/").content.decode()
    shown = [datetime.date.fromisoformat(m + "-01") for m in re.findall(r'complaint-figures[^>]*data-month="([0-9-]+)"', body)]
    assert shown and max(shown) <= this_month
    if this_month.month in (10, 11, 12, 1, 2, 3):  # the current month is one of O17's: counted so far
        assert max(shown) == this_month and "จนถึงขณะนี้" in text_of(body)
    body = client.get(f"/u/sn-buengkum/ita/{next_year}/o17/").content.decode()
    assert "complaint-figures" not in body and "data-totals" not in body
    data = client.get(f"/api/v1/units/sn-buengkum/ita/{next_year}/o17/").json()
    assert data["item"]["statistics"] == [] and {p["status"] for p in data["item"]["periods"]} == {"not_due"}


def test_the_public_pages_follow_the_month(station):
    december, january = publication.month_stamp(datetime.date(2026, 12, 31)), publication.month_stamp(datetime.date(2027, 1, 1))
    assert december != january and december == publication.month_stamp(datetime.date(2026, 12, 1))


def test_monthly_reports_do_not_offer_months_not_begun(client, users, station, next_year):
    client.force_login(users["admin"])
    body = client.get(reverse("reports-index", args=[station.slug, next_year])).content.decode()
    assert 'data-begun="0"' in body
    assert reverse("reports-edit", args=[station.slug, next_year, "statistics", "m10"]) not in body
    response = client.post(reverse("reports-edit", args=[station.slug, next_year, "statistics", "m10"]), {})
    assert response.status_code == 400 and "ยังไม่เริ่ม" in response.content.decode()
    assert not StatisticsReport.objects.filter(unit=station, month__gte=thaidate.fiscal_month_date(next_year, 10)).exists()


# --- 4. an item whose own data is empty is never current -------------------------------------------

def test_empty_contacts_are_named_not_called_current(client, users, station, empty_caches):
    Unit.objects.filter(pk=station.pk).update(address="", phone="", email="", latitude=None, longitude=None)
    body = client.get("/u/sn-buengkum/ita/2567/").content.decode()
    o5 = index_row(body, "O5")
    assert "data-missing-data" in o5 and "ข้อมูลปัจจุบัน" not in o5
    assert all(label in text_of(o5) for label in ("ที่อยู่", "โทรศัพท์", "อีเมล", "แผนที่"))
    assert "ข้อมูลปัจจุบัน" in index_row(body, "O17")  # the complaint statistics are counted, never missing
    page = text_of(client.get("/u/sn-buengkum/ita/2567/o5/").content.decode())
    assert "ข้อมูลยังไม่ครบ: หน่วยยังไม่ได้ระบุ ที่อยู่, โทรศัพท์, อีเมล, แผนที่" in page
    assert "ซึ่งยังไม่ครบถ้วน" in page
    client.force_login(users["viewer"])
    staff = text_of(client.get(reverse("item-detail", args=[station.slug, 2567, "o5"])).content.decode())
    assert "ข้อมูลยังไม่ครบ: หน่วยยังไม่ได้ระบุ ที่อยู่" in staff


def test_filled_contacts_are_current(client, station, empty_caches):
    Unit.objects.filter(pk=station.pk).update(address="ถนนนวมินทร์ เขตบึงกุ่ม", phone="02 123 4567",
                                              email="bk@example.go.th", latitude="13.809000", longitude="100.651000")
    body = client.get("/u/sn-buengkum/ita/2567/").content.decode()
    assert "data-missing-data" not in body and "ข้อมูลปัจจุบัน" in index_row(body, "O5")
    page = client.get("/u/sn-buengkum/ita/2567/o5/").content.decode()
    assert "data-missing-data" not in page and "ข้อมูลยังไม่ครบ" not in page


def test_the_structure_item_without_a_head_says_so(station):
    o1 = Item.objects.for_unit(station, 2567).get(code="O1")
    o5 = Item.objects.for_unit(station, 2567).get(code="O5")
    o17 = Item.objects.for_unit(station, 2567).get(code="O17")
    station.head = None
    assert [str(label) for label in portal_data.missing_for(station, o1)] == ["หัวหน้าหน่วย"]
    station.address, station.phone, station.email, station.latitude, station.longitude = "ที่อยู่", "02", "a@b.th", 13, None
    assert [str(label) for label in portal_data.missing_for(station, o5)] == ["แผนที่"]
    assert portal_data.missing_for(station, o17) == []
