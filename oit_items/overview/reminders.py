""""Remind the lagging units": from an overview, one message to the admins of each unit below
with overdue items — or of each unit whose predicted score is heading below the pass mark — (e-mail or
LINE, as each chose) and one to the unit's LINE group, at most once per unit and day. One Celery task
per unit (fan-out). The message names the overdue items and, where the unit's stored score is below
its pass mark, the items an assessor would not find."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ita_portal.lib.queue import enqueue
from ita_portal.lib.site import site_url
from oit_items.assessment.models import HASNT, ItemVerdict, UnitScore
from oit_items.evidence import workspace
from oit_items.overview.figures import PASSES
from oit_items.overview.models import Reminder
from units import messaging
from units.messaging_models import REMINDER
from units.models import Role, Unit


def lagging(tree) -> list:
    """Publishing units below the overview's unit with at least one overdue item."""
    return [f for f in tree.below() if f.publishes and f.overdue > 0]


def failing(tree) -> list:
    """Publishing units below heading below the pass mark (at zero and not computed too)."""
    return [f for f in tree.below() if f.publishes and f.outlook != PASSES]


@transaction.atomic
def request(tree, root: Unit, user, today: datetime.date, targets=None) -> tuple[int, int]:
    """Record today's reminders to `targets` (the lagging units unless told) and queue their e-mails;
    returns (queued, already reminded today)."""
    ids = [f.pk for f in (lagging(tree) if targets is None else targets)]
    already = set(Reminder.objects.filter(unit_id__in=ids, day=today).values_list("unit_id", flat=True))
    new = [Reminder(unit_id=pk, day=today, fiscal_year=tree.fiscal_year, requested_by=user, requested_from=root)
           for pk in ids if pk not in already]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)  # a supervisor asking at the same moment wins
    queued = list(Reminder.objects.filter(unit_id__in=[r.unit_id for r in new], day=today, requested_by=user,
                                          sent_at__isnull=True).values_list("pk", flat=True))
    for pk in queued:  # one task per unit
        enqueue("overview.tasks.send_lagging_reminder", pk)
    return len(queued), len(already)


def recipients(unit) -> list[str]:
    return sorted({u.email for u in recipient_users(unit)})


def recipient_users(unit) -> list:
    """The unit's admins; where it has none with an e-mail, its commander."""
    users = get_user_model().objects.filter(unit_roles__unit=unit, is_active=True).exclude(email="")
    for role in (Role.ADMIN, Role.COMMANDER):
        found = list(users.filter(unit_roles__role=role).distinct().order_by("email"))
        if found:
            return found
    return []


@transaction.atomic
def send(reminder_id: int) -> int:
    """Send one reminder (idempotent: a retried or repeated task sends nothing twice)."""
    reminder = Reminder.objects.select_for_update().select_related("unit").filter(pk=reminder_id).first()
    if reminder is None or reminder.sent_at is not None:
        return 0
    unit = reminder.unit
    space = workspace.build(unit, reminder.fiscal_year, today=reminder.day, assignments={})
    overdue = [cell for row in space.rows for cell in row.cells if cell.overdue]
    score, missing = below_pass_mark(unit, reminder.fiscal_year)
    to = recipient_users(unit)
    if (overdue or score) and to:
        url = site_url() + reverse("workspace", args=[unit.slug, reminder.fiscal_year])
        context = {"unit": unit, "cells": overdue, "url": url, "fiscal_year": reminder.fiscal_year,
                   "requested_from": reminder.requested_from, "score": score, "missing": missing}
        with translation.override("th"):
            subject = render_to_string("overview/email/reminder_subject.txt", context).strip()
            body = render_to_string("overview/email/reminder_body.txt", context)
        key = f"lagging:{reminder.pk}"
        messaging.deliver(to, REMINDER, subject, body, url, key=key)
        messaging.deliver_group(unit, REMINDER, subject, url, key=key)
    reminder.sent_at = timezone.now()
    reminder.recipients = len(to) if overdue or score else 0
    reminder.save(update_fields=["sent_at", "recipients"])
    return reminder.recipients


def below_pass_mark(unit, fiscal_year) -> tuple:
    """(the unit's stored score, its items predicted "hasn't") when that score is below the pass mark,
    else (None, []): a unit without a score has nothing to be told beyond its overdue items."""
    score = UnitScore.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if score is None or score.passes:
        return None, []
    missing = list(ItemVerdict.objects.filter(unit=unit, fiscal_year=fiscal_year, verdict=HASNT)
                   .select_related("item").order_by("item__number"))
    return score, missing
