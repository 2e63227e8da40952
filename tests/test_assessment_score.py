"""The predicted verdict per item (failing closed) and the predicted score (issue 18, point 1)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oit_items.assessment import prediction, scores
from oit_items.assessment.models import HAS, HASNT, ItemVerdict, UnitScore
from oit_items.evidence import edits, takedown, workflow
from oit_items.evidence.models import Assignment, ItemPeriod
from oit_items.evidence.permissions import item_access, period_of
from oit_items.rulebook.models import Item
from units.models import Unit
from units.permissions import unit_access

FY = 2567
OCT = datetime.date(2023, 10, 1)
MONTHS = [datetime.date(2023, m, 1) for m in (10, 11, 12)] + [datetime.date(2024, m, 1) for m in (1, 2, 3)]
AFTER_THE_WINDOW = datetime.date(2024, 5, 1)
ON_TIME = timezone.make_aware(datetime.datetime(2024, 4, 20, 10, 0))
LATE = timezone.make_aware(datetime.datetime(2024, 5, 2, 10, 0))


def item(unit, code, fiscal_year=FY):
    return Item.objects.for_unit(unit, fiscal_year).select_related("framework").get(code=code)


def piece(kind="file", fmt="pdf", about="2023-11-15", title="รายงาน", **extra):
    return {"evidence": 1, "kind": kind, "title": title, "description": "", "about_date": about, "language": "th",
            "is_news": False, "url": "https://example.go.th/x" if kind == "link" else "", "reason": "",
            "revision": 1 if kind == "file" else None, "format": fmt if kind == "file" else "", **extra}


def approved(*pieces, at=ON_TIME, state=ItemPeriod.APPROVED):
    return prediction.PeriodRow(state, list(pieces), at)


def predict(unit, it, periods, today=AFTER_THE_WINDOW):
    holders = prediction.holders_of(unit, ["ด.ต.ชาติชาย เจียมประเสริฐ"], [])
    return prediction.predict(it, unit, periods, holders, today)


def fill_contacts(unit):
    unit.address, unit.phone, unit.email = "ถนนนวมินทร์ แขวงคลองกุ่ม เขตบึงกุ่ม กรุงเทพฯ", "02 123 4567", "sn@example.go.th"
    unit.latitude, unit.longitude = Decimal("13.800000"), Decimal("100.650000")


@pytest.fixture
def loaded(station):
    """The station as scores.py loads it: its type and head with it."""
    return Unit.objects.select_related("unit_type", "head").get(pk=station.pk)


def thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


# --- the verdict of one item, from data (no queries) ---------------------------------------------

def test_nothing_at_all_is_hasnt_with_thai_reasons_a_next_step_and_a_holder(loaded, django_assert_num_queries):
    o2 = item(loaded, "O2")
    with django_assert_num_queries(0):
        verdict = predict(loaded, o2, {})
    assert verdict.verdict == HASNT
    [reason] = verdict.reasons
    assert set(reason) == {"reason", "next_step", "holder", "role"} and reason["role"] == prediction.RESPONSIBLE
    assert thai(reason["reason"]) and thai(reason["next_step"]) and reason["holder"] == "ด.ต.ชาติชาย เจียมประเสริฐ"


def test_approved_and_public_with_passing_rules_has(loaded):
    assert predict(loaded, item(loaded, "O2"), {None: approved(piece())}).verdict == HAS
    o7 = item(loaded, "O7")
    months = {m: approved(piece(about=m.isoformat()), piece(fmt="docx", about=m.isoformat())) for m in MONTHS}
    assert predict(loaded, o7, months).verdict == HAS


def test_the_rules_read_what_is_published_not_the_drafts(loaded):
    o7 = item(loaded, "O7")
    months = {m: approved(piece(about=m.isoformat()), piece(fmt="docx", about=m.isoformat())) for m in MONTHS}
    months[OCT] = approved(piece(about="2023-10-05"))  # a PDF alone was approved in October
    verdict = predict(loaded, o7, months)
    assert verdict.verdict == HASNT and any("Word" in r["reason"] for r in verdict.reasons)
    # Reopened for a correction, the month still shows its last approved snapshot: that is what counts.
    months[OCT] = approved(piece(about="2023-10-05"), piece(fmt="docx", about="2023-10-05"), state=ItemPeriod.DRAFT)
    assert predict(loaded, o7, months).verdict == HAS
    # Nothing approved yet (checked, waiting for the commander): not public, the commander holds it.
    months[OCT] = prediction.PeriodRow(ItemPeriod.CHECKED, [], None)
    verdict = predict(loaded, o7, months)
    assert verdict.verdict == HASNT and verdict.reasons[0]["holder"].startswith(prediction.holders_of(loaded, [], []).commander)


def test_an_approval_after_the_deadline_does_not_count(loaded):
    verdict = predict(loaded, item(loaded, "O2"), {None: approved(piece(), at=LATE)})
    assert verdict.verdict == HASNT
    assert "30 เม.ย. 2567" in verdict.reasons[0]["reason"] and "2 พ.ค. 2567" in verdict.reasons[0]["reason"]


def test_evidence_about_a_day_outside_the_window_is_hasnt(loaded):
    verdict = predict(loaded, item(loaded, "O2"), {None: approved(piece(about="2023-09-30", title="คำสั่งเก่า"))})
    assert verdict.verdict == HASNT
    assert "คำสั่งเก่า" in verdict.reasons[0]["reason"] and "1 ต.ค. 2566" in verdict.reasons[0]["reason"]
    assert predict(loaded, item(loaded, "O2"), {None: approved(piece(about="2024-03-31"))}).verdict == HAS


def test_documents_dated_when_issued_need_no_day_inside_the_window(loaded):
    """A law is about the day it was enacted: O3 says so in its data (`dated: false`), O2 does not."""
    law = piece(about="2004-07-14", title="พระราชบัญญัติตำรวจแห่งชาติ")
    assert item(loaded, "O3").dated is False and item(loaded, "O2").dated is True
    assert predict(loaded, item(loaded, "O3"), {None: approved(law)}).verdict == HAS
    assert predict(loaded, item(loaded, "O2"), {None: approved(law)}).verdict == HASNT


def test_a_missing_month_is_hasnt(loaded):
    o7 = item(loaded, "O7")
    months = {m: approved(piece(about=m.isoformat()), piece(fmt="docx", about=m.isoformat())) for m in MONTHS[:-1]}
    verdict = predict(loaded, o7, months)
    assert verdict.verdict == HASNT
    assert ["มี.ค. 2567" in r["reason"] for r in verdict.reasons] == [True]  # reported once, not again by the rules


def test_a_none_declaration_counts_only_where_the_rule_allows_it(loaded):
    none = piece(kind="none", about="2023-10-31", title="ไม่มีการจัดซื้อจัดจ้าง")
    o14 = item(loaded, "O14")  # "none" allowed
    assert predict(loaded, o14, {m: approved(dict(none, about=m.isoformat())) for m in MONTHS}).verdict == HAS
    o7 = item(loaded, "O7")  # evidence required every month
    months = {m: approved(piece(about=m.isoformat()), piece(fmt="docx", about=m.isoformat())) for m in MONTHS}
    months[OCT] = approved(none)
    assert predict(loaded, o7, months).verdict == HASNT


def test_o5_needs_the_contact_details_the_portal_holds(loaded):
    o5 = item(loaded, "O5")
    assert "contacts" in o5.portal_data
    periods = {None: approved(piece(kind="link", title="ช่องทางถาม-ตอบ"))}
    loaded.address = loaded.phone = loaded.email = ""
    loaded.latitude = loaded.longitude = None
    verdict = predict(loaded, o5, periods)
    assert verdict.verdict == HASNT and verdict.reasons[0]["holder"] == prediction.holders_of(loaded, [], []).admin
    fill_contacts(loaded)
    loaded.longitude = None
    assert predict(loaded, o5, periods).verdict == HASNT  # no map position
    fill_contacts(loaded)
    assert predict(loaded, o5, periods).verdict == HAS


def test_o1_needs_a_head_with_a_photo(loaded):
    o1 = item(loaded, "O1")
    periods = {None: approved(piece())}
    assert loaded.head is not None and not loaded.head.photo
    assert predict(loaded, o1, periods).verdict == HASNT
    loaded.head.photo.name = "officers/head.jpg"
    assert predict(loaded, o1, periods).verdict == HAS
    loaded.head = None
    assert predict(loaded, o1, periods).verdict == HASNT


def test_complaint_statistics_are_complete_once_every_month_of_the_window_has_ended(loaded):
    o17 = item(loaded, "O17")
    months = {m: approved(piece(kind="none", about=m.isoformat(), title="ไม่มีเรื่องร้องเรียน")) for m in MONTHS}
    assert predict(loaded, o17, months, today=datetime.date(2024, 3, 20)).verdict == HASNT  # March still running
    assert predict(loaded, o17, months, today=datetime.date(2024, 4, 1)).verdict == HAS


def test_a_unit_whose_pages_are_not_public_hasnt(loaded):
    loaded.unit_type.publishes_oit = False
    assert predict(loaded, item(loaded, "O2"), {None: approved(piece())}).verdict == HASNT


def test_the_score_is_points_over_points():
    class Item:
        def __init__(self, points):
            self.points = points

    verdicts = [prediction.Verdict(Item(2), HAS), prediction.Verdict(Item(1), HASNT), prediction.Verdict(Item(3), HASNT)]
    assert prediction.score(verdicts) == Decimal("33.33")
    assert prediction.score([prediction.Verdict(Item(0), HAS)]) == Decimal("0.00")  # nothing to score: never a pass
    assert prediction.score([]) == Decimal("0.00")


# --- stored figures ------------------------------------------------------------------------------

def publish_whole_year(users, unit, it, django_capture_on_commit_callbacks, about=datetime.date(2023, 11, 15)):
    """Upload → submit → check → approve through the real services, the signals sent on commit."""
    from tests.conftest import make_pdf
    from tests.test_workflow import validated

    period = period_of(unit, it, None)
    edits.add_files(period, [validated("เอกสาร.pdf", make_pdf())], {"about_date": about}, users["responsible"])
    assignment = Assignment.objects.get(unit=unit, item=it)
    with django_capture_on_commit_callbacks(execute=True):
        for action, role in (("submit", "responsible"), ("check", "controller"), ("approve", "commander")):
            user = users[role]
            period = workflow.transition(period, action, user, item_access(user, unit_access(user, unit), assignment),
                                         override="ทดสอบ")
    return period


def move_deadline(unit, day="2099-12-31", **scoring):
    framework = item(unit, "O2").framework
    framework.scoring = {**framework.scoring, "deadline": day, **scoring}
    framework.save()
    return framework


def stored(unit, code):
    return ItemVerdict.objects.get(unit=unit, item__code=code, fiscal_year=FY)


def test_load_demo_left_scores_for_the_demo_units(station, other_unit):
    for unit, items in ((station, 25), (other_unit, 24)):
        row = UnitScore.objects.get(unit=unit, fiscal_year=FY)
        assert row.items == items and ItemVerdict.objects.filter(unit=unit, fiscal_year=FY).count() == items


def test_the_stored_rows_follow_an_approval_and_a_takedown(users, station, django_capture_on_commit_callbacks):
    move_deadline(station)  # approvals of today count
    o2 = item(station, "O2")
    before = UnitScore.objects.get(unit=station, fiscal_year=FY).score
    period = publish_whole_year(users, station, o2, django_capture_on_commit_callbacks)
    assert stored(station, "O2").verdict == HAS
    after = UnitScore.objects.get(unit=station, fiscal_year=FY)
    assert after.score == before + Decimal("4.00") and after.items_has == 1  # one of 25 items of one point
    with django_capture_on_commit_callbacks(execute=True):
        takedown.take_down(period, users["commander"], "มีข้อมูลส่วนบุคคล")
    assert stored(station, "O2").verdict == HASNT
    assert UnitScore.objects.get(unit=station, fiscal_year=FY).score == before


def test_the_units_details_move_the_o5_verdict(client, users, station, django_capture_on_commit_callbacks):
    move_deadline(station)
    o5 = item(station, "O5")
    period = period_of(station, o5, None)
    edits.add_link(period, {"title": "ช่องทางถาม-ตอบ", "url": "https://example.go.th/q", "about_date": OCT}, users["admin"])
    assignment = Assignment.objects.get(unit=station, item=o5)
    with django_capture_on_commit_callbacks(execute=True):
        for action, role in (("submit", "responsible"), ("check", "controller"), ("approve", "commander")):
            user = users[role]
            period = workflow.transition(period, action, user, item_access(user, unit_access(user, station), assignment))
    assert stored(station, "O5").verdict == HASNT  # the demo unit has no contact details
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks() as queued:  # the score follows in a job after the commit
        response = client.post(reverse("unit-edit", args=[station.slug]), {
            "name_th": station.name_th, "name_en": station.name_en, "short_name_th": station.short_name_th,
            "short_name_en": station.short_name_en, "address": "ถนนนวมินทร์ เขตบึงกุ่ม", "phone": "02 123 4567",
            "email": "sn@example.go.th", "latitude": "13.8", "longitude": "100.65", "website": "",
            "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(station, "O5").verdict == HASNT  # not inside the save
    for callback in queued:  # what the worker does: oit_items.tasks.refresh_unit_scores
        callback()
    assert stored(station, "O5").verdict == HAS


def test_points_and_pass_mark_come_from_the_framework_data(station, django_capture_on_commit_callbacks, users):
    framework = move_deadline(station, pass_mark=3)
    o2 = item(station, "O2")
    publish_whole_year(users, station, o2, django_capture_on_commit_callbacks)
    row = UnitScore.objects.get(unit=station, fiscal_year=FY)
    assert (row.score, row.pass_mark, row.passes) == (Decimal("4.00"), Decimal("3.00"), True)
    o2.scoring = {"points": 5}
    o2.save()
    Item.objects.filter(framework=framework, code="O3").update(scoring={"points": 0})
    scores.refresh_framework(framework)
    row = UnitScore.objects.get(unit=station, fiscal_year=FY)
    assert row.score == Decimal("17.86")  # 5 of 5 + 0 + 23 × 1 = 28 points
    assert stored(station, "O2").points == 5


def test_a_new_version_of_the_rules_refreshes_the_units_by_a_job(station, django_capture_on_commit_callbacks):
    from oit_items.rulebook import loading

    o2 = item(station, "O2")
    ItemPeriod.objects.create(unit=station, item=o2, state=ItemPeriod.APPROVED, published=[piece()], approved_at=ON_TIME)
    assert stored(station, "O2").verdict == HASNT  # nothing announced yet
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued by name once committed
        loading.requirements_changed(o2.framework)
    assert stored(station, "O2").verdict == HAS
    assert UnitScore.objects.get(unit=station, fiscal_year=FY).score == Decimal("4.00")


def test_refresh_many_takes_the_same_queries_for_more_units(station, other_unit, django_assert_num_queries):
    # the savepoint (2), the lock (2), compute (5: units, items, periods, two kinds of officers), store (4: the
    # stored verdicts, the scores, two deletes; the verdicts' upsert only where one changed — none here)
    with django_assert_num_queries(13) as one:
        scores.refresh_many([station.pk], FY)
    with django_assert_num_queries(len(one.captured_queries)):
        scores.refresh_many([station.pk, other_unit.pk], FY)


def test_rebuild_scores_check_reports_drift_and_none_after_a_rebuild(station, capsys):
    call_command("rebuild_scores", "--check", "--fiscal-year", str(FY))
    assert "0 rows differ" in capsys.readouterr().out
    UnitScore.objects.filter(unit=station, fiscal_year=FY).update(score=99)
    ItemVerdict.objects.filter(unit=station, item__code="O3", fiscal_year=FY).update(verdict=HAS)
    with pytest.raises(SystemExit):
        call_command("rebuild_scores", "--check")
    out = capsys.readouterr().out
    assert "sn-buengkum · score" in out and "sn-buengkum · O3 2567" in out and "2 rows differ" in out
    call_command("rebuild_scores")
    call_command("rebuild_scores", "--check")
    assert "0 rows differ" in capsys.readouterr().out.splitlines()[-1]


def test_rebuild_scores_check_finds_no_drift_after_real_changes(users, station, django_capture_on_commit_callbacks, capsys):
    move_deadline(station)
    period = publish_whole_year(users, station, item(station, "O2"), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        takedown.take_down(period, users["admin"], "ผิดเดือน")
    publish_whole_year(users, station, item(station, "O3"), django_capture_on_commit_callbacks)
    call_command("rebuild_scores", "--check")
    assert capsys.readouterr().out.strip().endswith("s)")


def test_the_nightly_task_refreshes_the_years_time_still_moves(station, settings):
    from oit_items import tasks

    assert FY not in scores.live_years(datetime.date(2026, 12, 7))
    assert FY in scores.live_years(datetime.date(2024, 3, 1)) and FY in scores.live_years(datetime.date(2024, 4, 20))
    assert "oit_items.tasks.refresh_predicted_scores" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    UnitScore.objects.filter(unit=station).update(computed_at=timezone.now() - datetime.timedelta(days=2))
    tasks.refresh_predicted_scores.apply()
    current = max(scores.live_years(timezone.localdate()))
    assert UnitScore.objects.get(unit=station, fiscal_year=current).computed_at > timezone.now() - datetime.timedelta(hours=1)


# --- the pages -----------------------------------------------------------------------------------

def page(slug="sn-buengkum", fiscal_year=FY):
    return reverse("unit-score", args=[slug, fiscal_year])


def json_url(slug="sn-buengkum", fiscal_year=FY):
    return reverse("unit-score-json", args=[slug, fiscal_year])


def test_the_json_has_exactly_the_agreed_shape(client, users):
    client.force_login(users["viewer"])
    data = client.get(json_url()).json()
    assert {"score", "pass_mark", "items"} <= set(data)
    assert data["score"] == 0 and data["pass_mark"] == 85
    assert [i["code"] for i in data["items"]][:3] == ["O1", "O2", "O3"] and len(data["items"]) == 25
    for entry in data["items"]:
        assert {"code", "verdict", "reasons"} <= set(entry) and entry["verdict"] in ("has", "hasnt")
        assert entry["reasons"] and all(isinstance(r, str) and thai(r) for r in entry["reasons"])


@pytest.mark.parametrize("who, slug, status", [
    ("admin", "sn-buengkum", 200), ("responsible", "sn-buengkum", 200), ("controller", "sn-buengkum", 200),
    ("commander", "sn-buengkum", 200), ("viewer", "sn-buengkum", 200),
    ("other-admin", "sn-buengkum", 403), ("other-commander", "sn-buengkum", 403),
    ("hq-supervisor", "sn-buengkum", 200), ("division-supervisor", "sn-buengkum", 200),
    ("division-supervisor", "imm-buengkan", 403), ("other-viewer", "imm-buengkan", 200),
])
def test_who_may_see_the_prediction(client, users, who, slug, status):
    client.force_login(users[who])
    assert client.get(page(slug)).status_code == status
    assert client.get(json_url(slug)).status_code == status


def test_anonymous_is_sent_to_login(client):
    for url in (page(), json_url()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_year_without_a_framework_is_404(client, users):
    client.force_login(users["admin"])
    assert client.get(page(fiscal_year=2500)).status_code == 404


def test_the_page_shows_the_score_the_verdicts_and_what_it_takes(client, users, station, django_capture_on_commit_callbacks):
    move_deadline(station)
    publish_whole_year(users, station, item(station, "O2"), django_capture_on_commit_callbacks)
    client.force_login(users["controller"])
    response = client.get(page())
    body = response.content.decode()
    assert 'data-score="4.00"' in body and "85" in body and 'data-passes="no"' in body
    assert body.count('data-verdict="has"') == 1 and body.count('data-verdict="hasnt"') == 24
    assert 'data-missing="O2"' not in body and 'data-missing="O7"' in body and "+4.00" in body
    assert "ด.ต.ชาติชาย เจียมประเสริฐ" in body  # who holds the next step
    assert reverse("item-detail", args=["sn-buengkum", FY, "o7"]) in body
    assert '<meta name="viewport"' in body


@pytest.mark.parametrize("url", [page, json_url])
def test_the_queries_do_not_grow_with_the_items(client, users, station, other_unit, django_assert_num_queries, url,
                                                 django_capture_on_commit_callbacks):
    client.force_login(users["hq-supervisor"])
    client.get(url())
    # session, user, roles, unit, framework, score, verdicts with their items
    with django_assert_num_queries(7) as before:
        client.get(url())
    move_deadline(station)
    publish_whole_year(users, station, item(station, "O2"), django_capture_on_commit_callbacks)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url())
    with django_assert_num_queries(len(before.captured_queries)):  # 24 items instead of 25
        client.get(url("imm-buengkan"))


def test_the_unit_page_summarises_it_with_a_link(client, users):
    client.force_login(users["viewer"])
    body = client.get(reverse("unit-detail-year", args=["sn-buengkum", FY])).content.decode()
    assert "data-score-summary" in body and page() in body


def test_the_commander_sees_it_in_my_work(client, users):
    client.force_login(users["commander"])
    body = client.get(reverse("my-work")).content.decode()
    assert 'data-predicted-unit="sn-buengkum"' in body
    assert reverse("unit-score", args=["sn-buengkum", scores.all_years()[-1]]) in body
    client.force_login(users["responsible"])
    assert "data-predicted-unit" not in client.get(reverse("my-work")).content.decode()


def test_the_commanders_own_steps_come_first_in_my_work(users, station):
    from oit_items.evidence import my_work

    current = scores.all_years()[-1]
    verdict = ItemVerdict.objects.filter(unit=station, fiscal_year=current).select_related("item").order_by("-item__number")[0]
    verdict.reasons = [{"reason": "ตรวจแล้ว แต่ยังไม่ได้อนุมัติ", "next_step": "อนุมัติ", "holder": "ผู้บังคับบัญชา",
                        "role": prediction.COMMANDER}]
    verdict.save()
    work = my_work.build(users["commander"], timezone.localdate())
    [panel] = work.panels
    [row] = panel.context["predictions"]
    assert row.steps[0] == (verdict.item.code, verdict.reasons[0]) and len(row.steps) == 3
