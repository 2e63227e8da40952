"""Review fixes of the overview and "my work": stored readiness follows a framework's new rules,
retired items leave my work, reminders survive a broker outage, the navbar badge costs less."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from ita_portal.lib import thaidate
from ita_portal.lib.models import PendingTask
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import my_work as work
from oit_items.evidence import readiness
from oit_items.evidence.models import Assignment, ItemReadiness
from oit_items.evidence.permissions import period_of
from oit_items.overview.models import Reminder
from oit_items.overview.tasks import send_lagging_reminder
from oit_items.rulebook import editing as framework_edit
from oit_items.rulebook.models import Item
from tests.conftest import approve_period, make_pdf
from tests.test_my_work import returned, submitted

OCT, NOV, JAN = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2024, 1, 1)


def test_new_rules_published_refresh_the_stored_readiness(users, station, o7, national_admin,
                                                         django_capture_on_commit_callbacks):
    o5 = Item.objects.for_unit(station, 2567).get(code="O5")  # one link wanted
    evidence_service.add_link(period_of(station, o5, None), {"title": "ช่องทาง", "url": "https://example.go.th/q",
                                                             "about_date": OCT}, users["admin"])
    approve_period(users, station, o7, OCT, [("report.pdf", make_pdf())])
    assert ItemReadiness.objects.get(unit=station, item=o5).checks_passed
    draft = framework_edit.draft_for(o5.framework, national_admin)
    for entry in draft.items:
        if entry["code"] == "O5":
            entry["rules"] = [{"type": "links", "min": 2}]
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        framework_edit.publish(o5.framework, national_admin, note="สองช่องทาง")
    assert not ItemReadiness.objects.get(unit=station, item=o5).checks_passed
    assert readiness.stored_all() == readiness.recompute_all()


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
