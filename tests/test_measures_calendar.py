"""The ITA calendar: the unit's current phase and next deadline (a function and a template
partial for the workspace), and e-mail reminders before deadlines, once a day."""

import datetime

import pytest
from celery import current_app
from django.conf import settings
from django.core import mail
from django.template import Context, Template

from ita_portal.lib.models import PendingTask
from measures import reminders, schedule
from measures.models import Measure, MeasurePlan, ReminderSent
from measures.tasks import send_reminders
from units import messaging

FY = 2567
D = datetime.date


@pytest.mark.parametrize("today, current, deadline, kind", [
    (D(2023, 11, 1), {"preparation"}, D(2023, 12, 31), "phase"),
    (D(2024, 1, 15), {"registration", "iit", "eit", "oit"}, D(2024, 1, 31), "phase"),
    (D(2024, 2, 15), {"iit", "eit", "oit"}, D(2024, 2, 29), "measure"),  # O8, O9, O22 are due end of Feb
    (D(2024, 3, 10), {"iit", "eit", "oit"}, D(2024, 3, 15), "activity"),
    (D(2024, 6, 20), {"iit", "eit", "appeal"}, D(2024, 6, 26), "phase"),  # IIT/EIT run to 1 July
    (D(2024, 7, 5), set(), D(2024, 7, 31), "phase"),  # between phases
])
def test_current_phase_and_next_deadline(station, today, current, deadline, kind):
    status = schedule.calendar_status(station, FY, today)
    assert {p.kind for p in status.current} == current
    assert status.next_deadline.date == deadline and status.next_deadline.kind == kind
    assert status.days_left == (deadline - today).days


def test_between_phases_the_next_one_is_named_and_after_the_results_it_is_over(station):
    status = schedule.calendar_status(station, FY, D(2024, 7, 5))
    assert status.upcoming.kind == "processing" and not status.finished
    over = schedule.calendar_status(station, FY, D(2024, 9, 10))
    assert over.finished and over.next_deadline is None and over.current == []


def test_done_measures_are_not_deadlines(station):
    plan = MeasurePlan.objects.get(unit=station, fiscal_year=FY)
    plan.measures.filter(deadline=D(2024, 2, 29)).update(status=Measure.DONE)
    status = schedule.calendar_status(station, FY, D(2024, 2, 15))
    assert status.next_deadline.date == D(2024, 3, 15)


def test_no_plan_no_calendar(station):
    status = schedule.calendar_status(station, 2568, D(2024, 11, 1))
    assert not status.has_calendar and status.next_deadline is None


def test_the_immigration_unit_has_the_national_calendar(other_unit):
    status = schedule.calendar_status(other_unit, FY, D(2024, 5, 10))
    assert [p.kind for p in status.current] == ["iit", "eit", "scoring"]


def render_partial(source, **context):
    return Template(source).render(Context(context))


def test_partial_for_the_workspace(station, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(schedule.timezone, "localdate", lambda: D(2024, 6, 20))
    with django_assert_num_queries(2):
        html = render_partial('{% include "measures/partials/calendar_status.html" %}', unit=station, fiscal_year=FY)
    assert "data-current-phase" in html and "อุทธรณ์ผลคะแนน OIT" in html
    assert "26 มิ.ย. 2567" in html and "/staff/units/sn-buengkum/measures/2567/calendar/" in html
    tag = render_partial("{% load measures %}{% calendar_status unit 2567 %}", unit=station)
    assert "data-next-deadline" in tag and "26 มิ.ย. 2567" in tag
    empty = render_partial('{% include "measures/partials/calendar_status.html" %}', unit=station, fiscal_year=2570)
    assert "data-current-phase" not in empty and "data-calendar-status" in empty


# --- reminders ---------------------------------------------------------------------------------------

def test_reminders_go_to_the_linked_officers_or_the_units_leads_once_a_day(db, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.MEASURES_REMINDER_DAYS = 7
    today = D(2024, 4, 25)  # OIT reporting ends 30 April 2567
    assert reminders.send(today) == 4
    by_recipient = {m.to[0]: m for m in mail.outbox}
    # สน.บึงกุ่ม: the OIT phase names ชาติชาย (bk-responsible) and วิทยา (bk-controller).
    # ตม.จว.บึงกาฬ: its (national) calendar names nobody, so its admin and commander are told.
    assert set(by_recipient) == {"bk-responsible@demo.ita-portal.local", "bk-controller@demo.ita-portal.local",
                                 "bg-admin@demo.ita-portal.local", "bg-commander@demo.ita-portal.local"}
    message = by_recipient["bk-responsible@demo.ita-portal.local"]
    assert "สน.บึงกุ่ม" in message.subject
    assert "30 เม.ย. 2567" in message.body and "/staff/units/sn-buengkum/measures/2567/" in message.body
    assert reminders.send(today) == 0 and len(mail.outbox) == 4  # the same day: nothing again
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert send_reminders.delay(today.isoformat()).get() == 2  # one task per unit's plan
    assert len(queued) == 2 and len(mail.outbox) == 4  # the tasks send nothing again
    assert reminders.send(today + datetime.timedelta(days=1)) == 4
    assert ReminderSent.objects.filter(day=today).count() == 4


def test_measures_due_soon_are_reminded_to_their_officers(settings, station):
    settings.MEASURES_REMINDER_DAYS = 3
    reminders.send(D(2024, 3, 13))  # activities due 15 มี.ค.๖๗
    recipients = {m.to[0] for m in mail.outbox}
    assert "bk-responsible@demo.ita-portal.local" in recipients
    body = next(m.body for m in mail.outbox if m.to[0] == "bk-responsible@demo.ita-portal.local")
    assert "15 มี.ค. 2567" in body and "การจัดเวร" in body


def test_nothing_due_nothing_sent(db, settings):
    settings.MEASURES_REMINDER_DAYS = 7
    assert reminders.send(D(2024, 9, 10)) == 0 and mail.outbox == []


def test_a_failed_send_can_be_retried(db, settings, monkeypatch):
    settings.MEASURES_REMINDER_DAYS = 7

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(messaging, "send_mail", broken)  # every message goes out through units.messaging
    with pytest.raises(OSError):
        reminders.send(D(2024, 4, 25))
    assert not ReminderSent.objects.exists()


def test_each_plans_reminders_are_kept_when_the_broker_is_down(db, settings, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    settings.MEASURES_REMINDER_DAYS = 7
    today = datetime.date(2024, 4, 25)

    def broker_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(current_app.tasks["measures.tasks.send_plan_reminders"], "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today.isoformat()) == 2
    plans = reminders.plans_due(today, today + datetime.timedelta(days=7)).values_list("pk", flat=True)
    assert sorted(PendingTask.objects.values_list("task", "args")) == sorted(
        ("measures.tasks.send_plan_reminders", [pk, today.isoformat()]) for pk in plans)


def test_beat_runs_the_reminders_every_day():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "measures.tasks.send_reminders" in tasks
