"""My work (งานของฉัน): what waits for each role, return comments where people work, the navbar
count, and a fixed number of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import my_work as work
from oit_items.evidence import workflow
from oit_items.evidence.models import Assignment, ItemReadiness
from oit_items.evidence.permissions import item_access, period_of
from oit_items.rulebook.models import Item
from tests.conftest import approve_period, make_docx, make_pdf
from units.invitations import invite
from units.models import Role
from units.permissions import unit_access

OCT, NOV, DEC, JAN = (datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2023, 12, 1),
                      datetime.date(2024, 1, 1))
WORK = "/staff/work/"
# session, user, units, roles, items, periods, evidence, assignments (+2 prefetches), officer — and
# for admins their units' items, staffed items, readiness and the invitations (2).
QUERIES = {"responsible": 11, "controller": 11, "admin": 16}


def rights(user, unit, item):
    return item_access(user, unit_access(user, unit), Assignment.objects.filter(unit=unit, item=item).first())


def pdf_only(month):
    return [(f"รายงาน {month:%m}.pdf", make_pdf())]


def returned(users, station, item, month, comment="ขาดไฟล์ Word และลายมือชื่อผู้กำกับการ"):
    period = approve_period(users, station, item, month, pdf_only(month), publish=False)
    commander = users["commander"]
    return workflow.transition(period, "return", commander, rights(commander, station, item), comment)


def submitted(users, station, item, month):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ita_portal.lib.uploads import validate_upload
    from oit_items.evidence import edits as evidence_service
    from oit_items.evidence.permissions import period_of

    period = period_of(station, item, month)
    evidence_service.add_files(period, [validate_upload(SimpleUploadedFile("ก.pdf", make_pdf())),
                                        validate_upload(SimpleUploadedFile("ก.docx", make_docx()))],
                               {"about_date": month}, users["responsible"])
    user = users["responsible"]
    return workflow.transition(period, "submit", user, rights(user, station, item))


def entries(response, queue):
    return [(e.item.code, e.month, e.state) for e in getattr(response.context["work"], queue)]


def test_login_leads_to_my_work(client, users, settings):
    response = client.post("/login/", {"username": "bk-responsible", "password": settings.DEMO_PASSWORD})
    assert response["Location"] == WORK


def test_anonymous_is_sent_to_login(client, db):
    for url in (WORK, reverse("my-work-count")):
        assert client.get(url)["Location"].startswith("/login/")


def test_returned_month_is_on_top_with_its_comment(client, users, station, o7):
    returned(users, station, o7, JAN)
    client.force_login(users["responsible"])
    response = client.get(WORK)
    top = response.context["work"].prepare[0]
    assert (top.item.code, top.month, top.state) == ("O7", JAN, "returned")
    assert top.comment == "ขาดไฟล์ Word และลายมือชื่อผู้กำกับการ"
    body = response.content.decode()
    assert "ขาดไฟล์ Word และลายมือชื่อผู้กำกับการ" in body and "พ.ต.อ.อิทธิวัฒน์ นุชถาวร" in body
    assert reverse("item-detail", args=["sn-buengkum", 2567, "o7"]) + "#m1" in body
    # The rest is sorted by deadline, the current fiscal year's open periods included.
    dues = [e.due for e in response.context["work"].prepare[1:]]
    assert dues == sorted(dues) and dues


def test_the_comment_shows_on_the_card_and_the_cell_until_resubmitted(client, users, station, o7):
    period = returned(users, station, o7, JAN, "แก้ไขวันที่ในรายงาน")
    client.force_login(users["viewer"])
    card = client.get(reverse("item-detail", args=["sn-buengkum", 2567, "o7"])).content.decode()
    assert "แก้ไขวันที่ในรายงาน" in card and "data-return-comment" in card
    grid = client.get(reverse("workspace", args=["sn-buengkum", 2567])).content.decode()
    assert "แก้ไขวันที่ในรายงาน" in grid
    user = users["responsible"]
    workflow.transition(period, "submit", user, rights(user, station, o7))
    assert "แก้ไขวันที่ในรายงาน" not in client.get(reverse("workspace", args=["sn-buengkum", 2567])).content.decode()
    client.force_login(users["responsible"])
    assert "แก้ไขวันที่ในรายงาน" not in client.get(WORK).content.decode()
    # The audit log keeps it.
    assert period.events.filter(action="return", comment="แก้ไขวันที่ในรายงาน").exists()


def test_each_role_sees_its_queue(client, users, station, o7):
    submitted(users, station, o7, OCT)
    approve_period(users, station, o7, NOV, pdf_only(NOV), publish=False)  # checked: for the commander
    client.force_login(users["controller"])
    response = client.get(WORK)
    assert entries(response, "check") == [("O7", OCT, "submitted")]
    assert response.context["work"].prepare == [] and response.context["work"].approve == []
    client.force_login(users["commander"])
    response = client.get(WORK)
    assert entries(response, "approve") == [("O7", NOV, "checked")]
    [nov] = response.context["work"].approve
    assert nov.failures  # a PDF alone: its check summary goes with it
    assert reverse("unit-approvals", args=["sn-buengkum"]) in response.content.decode()
    client.force_login(users["viewer"])
    work = client.get(WORK).context["work"]
    assert (work.prepare, work.check, work.approve) == ([], [], [])
    client.force_login(users["other-controller"])  # another unit's controller: nothing of this unit
    assert client.get(WORK).context["work"].check == []


def test_the_admin_sees_unassigned_items_invitations_and_the_itap_sheet(client, users, station):
    o9 = Item.objects.for_unit(station, 2570).get(code="O9")
    Assignment.objects.get(unit=station, item=o9).responsible.clear()
    newcomer = get_user_model().objects.create_user("bk-newcomer", "new@example.go.th")
    Role.objects.create(user=newcomer, unit=station, role=Role.VIEWER)
    invite(newcomer, station)
    client.force_login(users["admin"])
    response = client.get(WORK)
    work = response.context["work"]
    [row] = work.admin
    assert [i.code for i in row.unassigned] == ["O9"] and row.items == 25
    assert work.invitations == 1
    body = response.content.decode()
    assert reverse("itap", args=["sn-buengkum", 2570]) in body and reverse("invitations") in body
    # An item nobody is assigned to is the admin's to prepare.
    assert ("O9", None) in [(e.item.code, e.month) for e in work.prepare]
    client.force_login(users["responsible"])
    assert "O9" not in [e.item.code for e in client.get(WORK).context["work"].prepare]


def test_supervisors_get_their_overviews(client, users):
    client.force_login(users["division-supervisor"])
    response = client.get(WORK)
    assert [u.slug for u in response.context["work"].supervised] == ["mpd-4"]
    assert reverse("overview-year", args=["mpd-4", response.context["work"].fiscal_year]) in response.content.decode()


def test_the_navbar_counts_what_waits(client, users, station, o7):
    submitted(users, station, o7, OCT)
    submitted(users, station, o7, NOV)
    client.force_login(users["controller"])
    page = client.get(reverse("workspace", args=["sn-buengkum", 2567])).content.decode()
    assert f'hx-get="{reverse("my-work-count")}"' in page
    count = client.get(reverse("my-work-count")).content.decode()
    assert 'data-work-count="2"' in count and ">2<" in count


@pytest.mark.parametrize("role", ["responsible", "admin", "controller"])
def test_queries_do_not_grow_with_entries(client, users, station, o7, django_assert_num_queries, role):
    client.force_login(users[role])
    client.get(WORK)
    with django_assert_num_queries(QUERIES[role]) as few:
        client.get(WORK)
    o11 = Item.objects.for_unit(station, 2567).get(code="O11")
    for item in (o7, o11):
        for month in (OCT, NOV, DEC):
            submitted(users, station, item, month) if item == o7 else returned(users, station, item, month)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(WORK)
    work = response.context["work"]
    assert len(work.prepare if role == "responsible" else work.check if role == "controller" else work.admin) >= 1
    if role != "admin":
        assert len(work.prepare) + len(work.check) >= 3


def test_retired_items_leave_my_work(users, station, o7):
    returned(users, station, o7, JAN)
    today = timezone.localdate()
    assert (o7, JAN) in [(e.item, e.month) for e in work.build(users["responsible"], today).prepare]
    year = thaidate.fiscal_year(today)
    o9 = Item.objects.for_unit(station, year).get(code="O9")
    ItemReadiness.objects.create(unit=station, item=o9, fiscal_year=year, first_due=today, ready=True)
    assert work.build(users["admin"], today).admin[0].ready == 1
    Item.objects.filter(pk__in=[o7.pk, o9.pk]).update(retired=True)
    assert o7 not in [e.item for e in work.build(users["responsible"], today).prepare]
    assert work.build(users["admin"], today).admin[0].ready == 0


def test_the_badge_counts_the_same_with_fewer_queries(users, station, o7, django_assert_num_queries):
    submitted(users, station, o7, OCT)
    returned(users, station, o7, NOV)
    approve_period(users, station, o7, JAN, [("report.pdf", make_pdf())], publish=False)
    o5 = Item.objects.for_unit(station, 2567).get(code="O5")  # a draft of a past year left without evidence
    link = evidence_service.add_link(period_of(station, o5, None), {"title": "ช่องทาง", "url": "https://example.go.th/q",
                                                                    "about_date": OCT}, users["admin"])
    evidence_service.remove(link, users["admin"], "ซ้ำ")
    today = timezone.localdate()
    o9 = Item.objects.for_unit(station, thaidate.fiscal_year(today)).get(code="O9")
    Assignment.objects.get(unit=station, item=o9).responsible.clear()  # the admin's to prepare
    fresh = get_user_model().objects.get  # a user without roles cached by an earlier build
    for role in ("responsible", "controller", "commander", "admin"):
        with CaptureQueriesContext(connection) as full:
            whole = work.build(fresh(pk=users[role].pk), today)
        # user, units, roles, items, periods, evidence, assignments (+2 prefetches), officer
        with django_assert_num_queries(10):
            badge = work.build(fresh(pk=users[role].pk), today, count_only=True)
        assert badge.count == whole.count > 0, role
        assert [e.item for e in badge.prepare] == [e.item for e in whole.prepare]
    assert len(full.captured_queries) == 15  # the admin's page also reads their units' items, staff, readiness, invitations


def test_an_entry_shows_the_checks_state_and_deadline_of_its_workspace_cell(client, users, station, o7):
    approve_period(users, station, o7, NOV, pdf_only(NOV), publish=False)  # checked, failing: a PDF alone
    returned(users, station, o7, DEC)
    client.force_login(users["commander"])
    [entry] = client.get(WORK).context["work"].approve
    space = client.get(reverse("workspace", args=["sn-buengkum", 2567])).context["space"]
    cells = {c.month: c for row in space.rows if row.item == o7 for c in row.cells}
    assert entry.failures and entry.failures == cells[NOV].failures
    assert (entry.state, entry.due) == (cells[NOV].state, cells[NOV].due)
    client.force_login(users["responsible"])
    top = client.get(WORK).context["work"].prepare[0]
    assert (top.month, top.state, top.failures, top.due) == (DEC, cells[DEC].state, cells[DEC].failures, cells[DEC].due)
