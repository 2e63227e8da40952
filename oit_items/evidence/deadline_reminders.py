"""Reminders before every deadline (issue 23): 7 days and 1 day before each monthly and item deadline
(the 28th of the month after by default; the item deadline of the year), and on the day it becomes
overdue — to the responsible officers and the controllers of the item, one message per person, unit
and day (e-mail or LINE, as each chose). The message key makes a second run of the day, after a beat
restart or a retry, send nothing again."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ita_portal.lib import thaidate
from ita_portal.lib.site import site_url
from oit_items.evidence import workspace
from oit_items.evidence.models import ItemPeriod
from units import messaging
from units.messaging_models import DEADLINE
from units.models import Unit

OVERDUE = "overdue"


def unit_ids() -> list[int]:
    return list(Unit.objects.filter(unit_type__publishes_oit=True).order_by("path").values_list("pk", flat=True))


def stage(due: datetime.date, today: datetime.date) -> str | None:
    """"7" or "1" (days before), "overdue" (the day after the deadline), or None: no reminder today."""
    days = (due - today).days
    if days in settings.DEADLINE_REMINDER_DAYS:
        return str(days)
    return OVERDUE if days == -1 else None


def due_lines(unit, today: datetime.date) -> dict:
    """{user: [(stage, cell)]} for the open periods with a reminder today. September's period of a
    year is due in October, in the next fiscal year: the year before is looked at too."""
    current = thaidate.fiscal_year(today)
    by_user = {}
    for fiscal_year in (current - 1, current):
        space = workspace.build(unit, fiscal_year, today=today)
        for row in space.rows:
            if row.assignment is None:
                continue
            people = list(row.assignment.responsible.all()) + list(row.assignment.controllers.all())
            users = {o.user for o in people if o.user is not None and o.user.is_active}
            for cell in row.cells:
                when = stage(cell.due, today)
                if when is None or cell.state not in ItemPeriod.OPEN_STATES:
                    continue
                for user in users:
                    by_user.setdefault(user, []).append((when, cell, fiscal_year))
    return by_user


def send_for_unit(unit_id: int, today: datetime.date) -> int:
    unit = Unit.objects.get(pk=unit_id)
    sent = 0
    for user, lines in sorted(due_lines(unit, today).items(), key=lambda pair: pair[0].pk):
        fiscal_year = lines[0][2]
        url = site_url() + reverse("workspace", args=[unit.slug, fiscal_year])
        context = {"unit": unit, "lines": lines, "url": url, "count": len(lines), "user": user}
        with translation.override("th"):
            subject = render_to_string("oit_items/email/deadline_subject.txt", context).strip()
            body = render_to_string("oit_items/email/deadline_body.txt", context)
            text = render_to_string("oit_items/line/deadline.txt", context).strip()
        sent += messaging.deliver(user, DEADLINE, subject, body, url, key=f"deadline:{unit.pk}:{today.isoformat()}",
                                  text=text)
    return sent
