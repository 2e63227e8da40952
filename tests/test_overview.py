"""Supervisors' readiness overview: stored readiness, figures, filters, drill-down, roles."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from openpyxl import load_workbook

from ita_portal.lib import thaidate
from ita_portal.lib.models import PendingTask
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import readiness, takedown, workflow, workspace
from oit_items.evidence.models import Assignment, ItemReadiness, ItemReadinessManager
from oit_items.evidence.permissions import item_access, period_of
from oit_items.overview import figures
from oit_items.overview.models import Reminder
from oit_items.overview.tasks import send_lagging_reminder
from oit_items.rulebook.models import Item
from tests.conftest import approve_period, make_pdf
from units.models import Unit
from units.permissions import unit_access

OCT, NOV = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1)
OWN_ROLES = ("admin", "responsible", "controller", "commander", "viewer")


def url(name, slug="rtp", *args):
    return reverse(name, args=[slug, 2567, *args])


def page(client, user, slug="rtp", **params):
    client.force_login(user)
    return client.get(url("overview-year", slug), params)


def row_of(response, slug):
    return next(r for r in response.context["page"] if r.unit["slug"] == slug)


def pdf(name="report.pdf"):
    return [(name, make_pdf())]


def test_stored_readiness_equals_a_full_recomputation(users, station, o7):
    october = approve_period(users, station, o7, OCT, pdf())  # approved with an override (a PDF alone)
    period = approve_period(users, station, o7, NOV, pdf(), publish=False)
    rights = item_access(users["commander"], unit_access(users["commander"], station), Assignment.objects.get(unit=station, item=o7))
    workflow.transition(period, "return", users["commander"], rights, "แก้ไขชื่อไฟล์")
    o5 = Item.objects.for_unit(station, 2567).get(code="O5")
    evidence_service.add_link(period_of(station, o5, None), {"title": "ช่องทาง", "url": "https://example.go.th/q",
                                                             "about_date": OCT}, users["admin"])
    link = evidence_service.add_link(period_of(station, o5, None), {"title": "แผนที่", "url": "https://example.go.th/m",
                                                                    "about_date": OCT}, users["admin"])
    evidence_service.remove(link, users["admin"], "ซ้ำ")
    stored = readiness.stored_all()
    assert len(stored) == 2
    assert stored == readiness.recompute_all()
    o7_row = ItemReadiness.objects.get(unit=station, item=o7)
    assert (o7_row.approved, o7_row.returned, o7_row.empty, o7_row.periods) == (1, 1, 4, 6)
    # The rebuild command gives the same rows.
    readiness.rebuild()
    assert readiness.stored_all() == stored
    takedown.take_down(october, users["commander"], "อนุมัติผิดเดือน")  # the emergency takedown, too
    assert readiness.stored_all() == readiness.recompute_all()
    o7_row = ItemReadiness.objects.get(unit=station, item=o7)
    assert (o7_row.approved, o7_row.draft) == (0, 1)


def test_rebuild_readiness_check_reports_drift_and_changes_nothing(users, station, o7):
    approve_period(users, station, o7, OCT, pdf())
    o5 = Item.objects.for_unit(station, 2567).get(code="O5")
    evidence_service.add_link(period_of(station, o5, None), {"title": "ช่องทาง", "url": "https://example.go.th/q",
                                                             "about_date": OCT}, users["admin"])
    clean = io.StringIO()
    call_command("rebuild_readiness", "--check", stdout=clean)
    assert "readiness: 0 rows differ" in clean.getvalue()
    ItemReadiness.objects.filter(unit=station, item=o7).update(approved=5, ready=True)  # corrupted
    ItemReadiness.objects.filter(unit=station, item=o5).delete()  # lost
    before = readiness.stored_all()
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("rebuild_readiness", "--check", stdout=out)
    assert exit.value.code == 1
    lines = out.getvalue().splitlines()
    assert "sn-buengkum · O7 2567: approved 5 stored, 1 recomputed; ready True stored, False recomputed" in lines
    assert "sn-buengkum · O5 2567: not stored" in lines and "readiness: 2 rows differ" in lines[-1]
    assert readiness.stored_all() == before  # nothing changed
    call_command("rebuild_readiness", stdout=io.StringIO())
    after = io.StringIO()
    call_command("rebuild_readiness", "--check", stdout=after)
    assert "readiness: 0 rows differ" in after.getvalue()


def test_changing_a_period_moves_the_overview(client, users, station, o7):
    before = row_of(page(client, users["hq-supervisor"], "mpd-4"), "sn-buengkum")
    assert (before.waiting_check, before.approved) == (0, 0)
    period = approve_period(users, station, o7, OCT, pdf(), publish=False)
    response = page(client, users["hq-supervisor"], "mpd-4")
    assert row_of(response, "sn-buengkum").waiting_approval == 1  # checked, waiting for the commander
    rights = item_access(users["commander"], unit_access(users["commander"], station), Assignment.objects.get(unit=station, item=o7))
    workflow.transition(period, "return", users["commander"], rights, "ขาดภาพประกอบ")
    after = row_of(page(client, users["hq-supervisor"], "mpd-4"), "sn-buengkum")
    assert (after.waiting_approval, after.returned) == (0, 1)
    # A whole-year item approved and passing its checks counts as ready.
    o10 = Item.objects.for_unit(station, 2567).get(code="O10")
    period = period_of(station, o10, None)
    for code, title in (("crime", "แจ้งความออนไลน์"), ("fine", "ชำระค่าปรับ"), ("case", "ติดตามคดี")):
        evidence_service.add_link(period, {"title": title, "url": f"https://example.go.th/{code}", "about_date": OCT},
                                  users["admin"])
    for action, role in (("submit", "admin"), ("check", "controller"), ("approve", "commander")):
        user = users[role]
        period = workflow.transition(period, action, user, item_access(user, unit_access(user, station),
                                                                         Assignment.objects.get(unit=station, item=o10)),
                                     override="ผ่านโดยดุลยพินิจ")  # used only where its checks fail
    final = row_of(page(client, users["hq-supervisor"], "mpd-4"), "sn-buengkum")
    assert final.approved == 1
    assert final.ready == int(ItemReadiness.objects.get(unit=station, item=o10).ready)


def test_overdue_follows_the_date_without_a_nightly_job(users, station, o7):
    approve_period(users, station, o7, OCT, pdf(), publish=False)
    division = Unit.objects.get(slug="mpd-4")
    items = Item.objects.for_unit(station, 2567).count()
    early = figures.tree(division, 2567, today=datetime.date(2023, 10, 15)).by_id[station.pk]
    assert early.overdue == 0
    # 29 Nov 2566: O7's October is checked, not overdue; the four other monthly items' October is.
    late = figures.tree(division, 2567, today=datetime.date(2023, 11, 29)).by_id[station.pk]
    assert late.overdue == 4
    after_april = figures.tree(division, 2567, today=datetime.date(2024, 5, 1)).by_id[station.pk]
    assert after_april.overdue == items  # every item has an open period past due (O7: Nov–Mar)


def _add_stations(division, count):
    station_type = Unit.objects.get(slug="sn-buengkum").unit_type
    o7 = Item.objects.get(framework__unit_type=station_type, framework__fiscal_year=2567, code="O7")
    for n in range(count):
        unit = Unit.objects.create(unit_type=station_type, parent=division, slug=f"extra-{n}", name_th=f"สน.ทดสอบ {n}")
        ItemReadiness.objects.create(unit=unit, item=o7, fiscal_year=2567, periods=6, approved=n % 6, empty=6 - n % 6,
                                     open_due=datetime.date(2023, 11, 28), first_due=datetime.date(2023, 11, 28))


def test_overview_queries_do_not_grow_with_units(client, users, django_assert_num_queries):
    division = Unit.objects.get(slug="mpd-4")
    _add_stations(division, 2)  # 3 stations
    client.force_login(users["hq-supervisor"])
    target = url("overview-year", "mpd-4")
    assert len(client.get(target).context["page"]) == 3
    with django_assert_num_queries(11) as three:  # … the stored scores and the frozen ITAP records, one query
        client.get(target)
    _add_stations(Unit.objects.get(slug="mpd-4"), 0)
    for n in range(2, 29):
        _add_stations_named(division, n)
    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get(target)
    assert len(response.context["page"]) == 30


def _add_stations_named(division, n):
    station_type = Unit.objects.get(slug="sn-buengkum").unit_type
    Unit.objects.create(unit_type=station_type, parent=division, slug=f"more-{n}", name_th=f"สน.เพิ่ม {n}")


@pytest.mark.parametrize("role", OWN_ROLES)
def test_station_and_other_unit_roles_may_not_overview(client, users, role):
    for user in (users[role], users[f"other-{role}"]):
        client.force_login(user)
        for name, slug in (("overview-year", "mpd-4"), ("overview-year", "rtp"), ("overview-heatmap", "mpd-4")):
            assert client.get(url(name, slug)).status_code == 403
        assert client.get(url("overview-export", "mpd-4", "xlsx")).status_code == 403
        assert client.post(url("overview-remind", "mpd-4")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    for target in (url("overview-year"), url("overview-heatmap"), url("overview-export", "rtp", "csv"),
                   reverse("overview-start")):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(url("overview-remind")).status_code == 302
    assert not Reminder.objects.exists()


def test_division_supervisor_sees_only_below_their_division(client, users):
    client.force_login(users["division-supervisor"])
    assert client.get(url("overview-year", "rtp")).status_code == 403
    assert client.get(url("overview-year", "imm-div-4")).status_code == 403
    response = client.get(url("overview-year", "mpd-4"))
    assert response.status_code == 200
    assert [r.unit["slug"] for r in response.context["page"]] == ["sn-buengkum"]
    assert response.context["breadcrumbs"] == []  # nothing above the division is theirs


def test_supervisors_start_on_their_overview(client, users, superuser):
    client.force_login(users["hq-supervisor"])
    assert client.get(reverse("dashboard"))["Location"] == reverse("overview", args=["rtp"])
    client.force_login(users["division-supervisor"])
    assert client.get(reverse("overview-start"))["Location"] == reverse("overview", args=["mpd-4"])
    client.force_login(superuser)
    assert client.get(reverse("dashboard"))["Location"] == reverse("overview", args=["rtp"])
    client.force_login(users["viewer"])
    assert client.get(reverse("dashboard")).status_code == 200  # a station's own list stays
    assert client.get(reverse("overview-start")).status_code == 403


def test_national_overview_drills_down_the_tree(client, users):
    response = page(client, users["hq-supervisor"], level=1, sort="tree")  # the "by bureau" view
    assert [r.unit["slug"] for r in response.context["page"]] == ["mpb", "imm-bureau"]  # the level below, tree order
    body = response.content.decode()
    assert reverse("overview-year", args=["mpb", 2567]) in body
    division = page(client, users["hq-supervisor"], "mpd-4")
    assert [a["slug"] for a in division.context["breadcrumbs"]] == ["rtp", "mpb"]
    assert reverse("unit-detail", args=["sn-buengkum"]) in division.content.decode()
    stations = page(client, users["hq-supervisor"], level=3)
    assert {r.unit["slug"] for r in stations.context["page"]} == {"sn-buengkum", "imm-buengkan"}


def _worst_first(rows) -> bool:
    keys = [(-r.overdue, r.score is not None, r.score or 0) for r in rows]
    return keys == sorted(keys)


def test_headquarters_open_on_the_stations_worst_first_with_whom_to_call(client, users, station, o7):
    """Whom to call today: the publishing units, not the two bureaus, the most overdue first, each with
    the phone and e-mail of its admin and commander and of the unit itself; the bureaus one tap away."""
    from units.models import Officer, Role

    approve_period(users, station, o7, OCT, pdf())
    malee = Officer.objects.get(user=users["commander"])
    Officer.objects.filter(pk=malee.pk).update(phone="081 234 5678", email="malee@police.go.th")
    users["commander"].email = ""  # the officer's e-mail stands in for the login's
    users["commander"].save()
    Unit.objects.filter(slug="imm-buengkan").update(phone="042 491 000", email="buengkan@immigration.go.th")
    assert Role.objects.filter(user=users["commander"], unit=station, role=Role.COMMANDER).exists()
    response = page(client, users["hq-supervisor"])
    rows = list(response.context["page"])
    assert {r.unit["slug"] for r in rows} == {"sn-buengkum", "imm-buengkan"} and all(r.publishes for r in rows)
    assert _worst_first(rows) and rows[0].overdue >= rows[-1].overdue
    assert rows[0].overdue > 0  # FY2567 is past: every open period is overdue
    body = response.content.decode()
    assert 'href="tel:0812345678"' in body and "mailto:malee@police.go.th" in body and malee.display_name in body
    assert "bk-admin" in body  # the admin (an account without an officer record: no phone)
    assert 'href="tel:042491000"' in body and "mailto:buengkan@immigration.go.th" in body  # the unit's own
    assert 'data-view="levels"' in body and "?level=1&amp;sort=tree" in body
    assert 'class="nav-link active" aria-current="page" href="?" data-view="worst"' in body
    bureaus = page(client, users["hq-supervisor"], level=1, sort="tree")
    assert [r.unit["slug"] for r in bureaus.context["page"]] == ["mpb", "imm-bureau"]
    # Ticking nothing in the filter form lists every level again; the sort stays as chosen.
    every = page(client, users["hq-supervisor"], sort="worst", q="")
    assert {"mpb", "mpd-4", "sn-buengkum"} <= {r.unit["slug"] for r in every.context["page"]}
    assert _worst_first(every.context["page"])
    # A division's supervisor opens on their stations the same way, and nothing outside their division.
    division = page(client, users["division-supervisor"], "mpd-4")
    assert [r.unit["slug"] for r in division.context["page"]] == ["sn-buengkum"]
    assert 'data-view="levels"' not in division.content.decode()  # no level between a division and its stations


def test_the_exports_list_the_stations_by_default(client, users, station, o7):
    Unit.objects.filter(slug="sn-buengkum").update(phone="02 123 4567")
    client.force_login(users["hq-supervisor"])
    rows = list(load_workbook(io.BytesIO(client.get(url("overview-export", "rtp", "xlsx")).content)).active.iter_rows(values_only=True))
    assert {r[1] for r in rows[1:]} == {"sn-buengkum", "imm-buengkan"}
    overdue = [r[11] for r in rows[1:]]
    assert overdue == sorted(overdue, reverse=True)  # worst first, as on the page
    assert rows[0][-2:] == ("โทรศัพท์ของหน่วย", "อีเมลของหน่วย")
    assert next(r for r in rows if r[1] == "sn-buengkum")[-2] == "02 123 4567"
    lines = client.get(url("overview-export", "rtp", "csv")).content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3 and not any(",mpb," in line for line in lines)
    client.force_login(users["division-supervisor"])
    lines = client.get(url("overview-export", "mpd-4", "csv")).content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "sn-buengkum" in lines[1]  # their subtree only
    assert client.get(url("overview-export", "rtp", "csv")).status_code == 403


def test_filter_search_and_sort(client, users, station, o7):
    approve_period(users, station, o7, OCT, pdf())
    hq = users["hq-supervisor"]
    slugs = lambda response: [r.unit["slug"] for r in response.context["page"]]  # noqa: E731
    assert slugs(page(client, hq, q="บึงกุ่ม")) == ["sn-buengkum"]
    assert slugs(page(client, hq, q="imm-buengkan")) == ["imm-buengkan"]
    assert set(slugs(page(client, hq, level="", overdue="on"))) >= {"sn-buengkum", "imm-buengkan"}
    station_type = station.unit_type_id
    assert slugs(page(client, hq, type=station_type)) == ["sn-buengkum"]
    assert slugs(page(client, hq, level=3, band="0")) == ["sn-buengkum", "imm-buengkan"]
    assert slugs(page(client, hq, level=3, band="100")) == []
    ordered = page(client, hq, level=3, sort="-activity")
    assert slugs(ordered)[0] == "sn-buengkum"  # the only one with activity
    assert slugs(page(client, hq, level=3, sort="activity")) == ["imm-buengkan", "sn-buengkum"]
    assert page(client, hq, level=3, sort="nonsense").status_code == 200  # a bad value is ignored


def test_excel_and_csv_exports(client, users, station, o7):
    approve_period(users, station, o7, OCT, pdf())
    client.force_login(users["hq-supervisor"])
    response = client.get(url("overview-export", "rtp", "xlsx"), {"level": 3})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "หน่วย" and len(rows) == 3
    bk = next(r for r in rows if r[1] == "sn-buengkum")
    assert bk[0] == "สถานีตำรวจนครบาลบึงกุ่ม" and isinstance(bk[4], int) and bk[7] == 0
    assert "bk-admin" in bk[13]  # the unit admin (an account without an officer record)
    csv_text = client.get(url("overview-export", "rtp", "csv"), {"q": "บึงกาฬ"}).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2 and "imm-buengkan" in lines[1]
    assert client.get(url("overview-export", "rtp", "pdf")).status_code == 404


def test_remind_the_lagging_units_once_a_day(client, users, django_capture_on_commit_callbacks):
    users["admin"].email = "bk-admin@example.go.th"
    users["admin"].save()
    users["other-admin"].email = "bg-admin@example.go.th"
    users["other-admin"].save()
    client.force_login(users["hq-supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("overview-remind"), follow=True)
    assert response.status_code == 200
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["bg-admin@example.go.th", "bk-admin@example.go.th"]
    body = next(m for m in mail.outbox if "bk-admin@example.go.th" in m.to).body
    assert "O7" in body and "/staff/units/sn-buengkum/ita/2567/" in body
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
    client.force_login(users["division-supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("overview-remind", "mpd-4"), follow=True)
    assert len(mail.outbox) == 2  # at most once a day
    assert "วันละครั้ง" in response.content.decode()


def test_reminders_wait_for_the_queue_when_the_broker_is_down(client, users, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise BrokerError("connection refused")

    monkeypatch.setattr(send_lagging_reminder, "apply_async", refuse)
    client.force_login(users["hq-supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("overview-remind", args=["rtp", 2567]), follow=True)
    assert response.status_code == 200
    queued = set(Reminder.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    assert len(queued) == 2
    kept = PendingTask.objects.filter(task=send_lagging_reminder.name)
    assert {args[0] for args in kept.values_list("args", flat=True)} == queued


def test_heatmap_shows_items_by_unit_below(client, users, station, o7):
    approve_period(users, station, o7, OCT, pdf())
    client.force_login(users["hq-supervisor"])
    response = client.get(url("overview-heatmap", "mpd-4"))
    [table] = response.context["tables"]
    o7_row = next(r for r in table.rows if r.item.code == "O7")
    assert [c.unit["slug"] for c in table.columns] == ["sn-buengkum"]
    assert o7_row.cells[0].pct == 17  # 1 of 6 months approved
    national = client.get(url("overview-heatmap", "rtp"))
    assert {t.unit_type["th"] for t in national.context["tables"]} == {"สถานีตำรวจ", "หน่วยตรวจคนเข้าเมือง"} or \
        len(national.context["tables"]) == 2


def test_heatmap_marks_what_is_overdue_today_not_what_is_due_later(client, users):
    """Mid-December 2566: October's monthly periods were due on 28 November and are overdue; the
    yearly items fall due on 30 April, so they lag nowhere yet however little is approved."""
    from oit_items.overview import heatmap

    rtp = Unit.objects.get(slug="rtp")
    today = datetime.date(2023, 12, 15)
    tables = heatmap.tables(rtp, figures.tree(rtp, 2567, today), today)
    for table in tables:
        marked = [r for r in table.rows if r.lags]
        assert len(marked) == 3 and all(r.item.is_monthly and r.total.overdue > 0 for r in marked)
        unmarked = [r.total.overdue for r in table.rows if not r.lags]
        assert max(unmarked) <= min(r.total.overdue for r in marked)  # the most overdue
        yearly = [r for r in table.rows if not r.item.is_monthly]
        assert yearly and all(not r.lags and not r.due_yet and r.total.overdue == 0 for r in yearly)
        assert all(r.first_due == datetime.date(2024, 4, 30) for r in yearly)
    police = next(t for t in tables if t.unit_type["th"] == "สถานีตำรวจ")
    overdue = {r.item.code for r in police.rows if r.total.overdue}
    assert overdue == {"O7", "O11", "O14", "O15", "O17"}  # October's periods, due 28 November
    assert {r.item.code for r in police.rows if r.lags} <= overdue
    assert not {"O2", "O3", "O4"} & {r.item.code for r in police.rows if r.lags}
    client.force_login(users["hq-supervisor"])
    body = client.get(url("overview-heatmap", "rtp")).content.decode()  # FY2567 is past: everything is overdue
    assert 'data-overdue-units="1"' in body and "เกินกำหนด 1 หน่วย" in body
    # In June the yearly items are overdue too, at every unit that has not finished them.
    june = datetime.date(2024, 6, 15)
    police = next(t for t in heatmap.tables(rtp, figures.tree(rtp, 2567, june), june) if t.unit_type["th"] == "สถานีตำรวจ")
    assert next(r for r in police.rows if r.item.code == "O2").due_yet


def test_middle_levels_list_their_units_and_are_no_station(client, users):
    client.force_login(users["hq-supervisor"])
    national = client.get(reverse("unit-detail", args=["rtp"]))
    body = national.content.decode()
    assert [f.unit["slug"] for f, _access in national.context["below"]] == ["mpb", "imm-bureau"]
    assert "ความพร้อม 0%" not in body and "0/0" not in body
    assert reverse("public-unit", args=["rtp"]) not in body and reverse("workspace", args=["rtp", 2567]) not in body
    current = thaidate.fiscal_year(timezone.localdate())  # the unit page opens on the current fiscal year
    assert reverse("overview-year", args=["rtp", current]) in body
    assert client.get(reverse("workspace", args=["rtp", 2567]))["Location"] == reverse("unit-detail-year", args=["rtp", 2567])
    division = client.get(reverse("unit-detail", args=["mpd-4"]))
    assert [f.unit["slug"] for f, _access in division.context["below"]] == ["sn-buengkum"]
    assert reverse("unit-detail", args=["sn-buengkum"]) in division.content.decode()
    assert client.get("/u/rtp/").status_code == 404  # and no link points there


@pytest.mark.services
def test_two_people_at_once_keep_the_stored_readiness_true(committed_demo, users, monkeypatch):
    """Three connections add evidence to three months of the same item at the same moment on
    PostgreSQL: the row lock makes their refreshes take turns, and nothing is lost."""
    import time

    from django.db import connection

    from tests.conftest import require
    from tests.together import errors_of, run_together

    require(connection.vendor == "postgresql", "two connections need PostgreSQL")
    station = Unit.objects.get(slug="sn-buengkum")
    o7 = Item.objects.for_unit(station, 2567).get(code="O7")
    periods = [period_of(station, o7, datetime.date(2023, m, 1)) for m in (10, 11, 12)]
    compute = ItemReadinessManager.compute

    def slow_compute(*args, **kwargs):  # widens the window in which the changes would overlap
        figures = compute(*args, **kwargs)
        time.sleep(0.3)
        return figures

    monkeypatch.setattr(ItemReadinessManager, "compute", slow_compute)

    def add(period):
        return lambda: evidence_service.add_link(period, {"title": "รายงาน", "url": f"https://example.go.th/{period.pk}",
                                                          "about_date": period.month}, users["admin"])

    assert errors_of(run_together(*map(add, periods))) == []
    row = ItemReadiness.objects.get(unit=station, item=o7)
    assert (row.draft, row.states) == (3, "DDDEEE")
    assert readiness.stored_all() == readiness.recompute_all()


def test_stored_readiness_builds_no_workspace(users, station, o7, monkeypatch):
    """It is made of the period rows and the checks, not of a staff page."""
    def refuse(*args, **kwargs):
        raise AssertionError("workspace.build")

    monkeypatch.setattr(workspace, "build", refuse)
    period = approve_period(users, station, o7, OCT, pdf(), publish=False)
    evidence_service.add_link(period, {"title": "รายงาน", "url": "https://example.go.th/r", "about_date": OCT}, users["admin"])
    readiness.rebuild()
    assert readiness.stored_all() == readiness.recompute_all() and len(readiness.stored_all()) == 1
