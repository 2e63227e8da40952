"""Reminders (by e-mail or LINE, as each person chose): every morning, the officers linked to a calendar phase, measure or activity
due within MEASURES_REMINDER_DAYS days get one e-mail per unit listing them; where nobody is
linked, the unit's admins and commander get it. One e-mail per recipient, unit and day."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ita_portal.lib import thaidate
from ita_portal.lib.site import site_url
from measures.models import MeasurePlan, ReminderSent
from measures.schedule import deadlines
from units import messaging
from units.messaging_models import DEADLINE
from units.models import Role

DEFAULT_DAYS = 7  # remind during the week before a deadline


def reminder_days() -> int:
    return int(getattr(settings, "MEASURES_REMINDER_DAYS", DEFAULT_DAYS))


def _reachable(users) -> list:
    return [u for u in users if u is not None and u.is_active and u.email]


def _unit_leads(unit) -> list:
    return _reachable(get_user_model().objects.filter(
        unit_roles__unit=unit, unit_roles__role__in=[Role.ADMIN, Role.COMMANDER]).distinct())


def recipients(obj, leads) -> list:
    """The users of the officers linked to `obj`, or the unit's admins and commander."""
    officers = list(obj.responsible.all()) + list(obj.controllers.all())
    users = _reachable(officer.user for officer in officers)
    return users or leads


def plans_due(today: datetime.date, end: datetime.date):
    years = {thaidate.fiscal_year(today), thaidate.fiscal_year(end)}
    return MeasurePlan.objects.filter(fiscal_year__in=years).select_related("unit")


def send(today: datetime.date) -> int:
    """Every plan's reminders in this process (beat's task queues one task per plan instead)."""
    end = today + datetime.timedelta(days=reminder_days())
    return sum(send_for_plan(plan, today) for plan in plans_due(today, end))


def send_for_plan(plan, today: datetime.date) -> int:
    """The reminders of one unit's plan (idempotent: one e-mail per recipient, unit and day)."""
    end = today + datetime.timedelta(days=reminder_days())
    due = deadlines(plan, today, end, with_people=True)
    if not due:
        return 0
    leads = _unit_leads(plan.unit)
    by_email = {}
    for deadline in due:
        for user in recipients(deadline.obj, leads):
            by_email.setdefault(user.email, (user, []))[1].append(deadline)
    return sum(_send_once(plan, user, items, today) for _email, (user, items) in sorted(by_email.items()))


def _send_once(plan, user, items, today) -> int:
    try:
        with transaction.atomic():
            record = ReminderSent.objects.create(unit=plan.unit, day=today, email=user.email)
    except IntegrityError:
        return 0  # already reminded today
    try:
        _send(plan, user, items, today)
    except Exception:
        record.delete()  # not sent: a retry may send it
        raise
    return 1


def _send(plan, user, items, today) -> None:
    url = site_url() + reverse("measures-plan", args=[plan.unit.slug, plan.fiscal_year])
    lines = [{"date": d.date, "label": d.label, "kind": d.kind, "days": d.days_from(today)} for d in items]
    context = {"unit": plan.unit, "plan": plan, "user": user, "lines": lines, "url": url, "count": len(lines)}
    with translation.override("th"):
        subject = render_to_string("measures/email/reminder_subject.txt", context).strip()
        body = render_to_string("measures/email/reminder_body.txt", context)
    messaging.deliver(user, DEADLINE, subject, body, url, key=f"measures:{plan.unit_id}:{today.isoformat()}")
