"""Returned items to the responsible officers, submitted and checked items to the controllers and
the commander, and a daily digest of what is due, overdue or waiting — by e-mail or LINE, as each
person chose (units.messaging); the unit's LINE group gets the unit's daily summary."""

import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ita_portal.lib import thaidate
from ita_portal.lib.queue import enqueue
from ita_portal.lib.site import site_url
from oit_items.evidence import workspace
from oit_items.evidence.models import Assignment, ItemPeriod
from units import messaging
from units.messaging_models import DIGEST, RETURNED, WAITING
from units.models import Role, Unit

NOTIFIED_ACTIONS = ("submit", "check", "return", "takedown")


def transition_happened(period_id: int, action: str, actor_id: int, comment: str) -> None:
    """Called by the workflow inside its transaction; the e-mail goes out from a Celery job after the commit."""
    if action in NOTIFIED_ACTIONS:
        enqueue("oit_items.tasks.notify_transition", period_id, action, actor_id, comment)


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def recipients_for(period: ItemPeriod, action: str) -> list[str]:
    return _emails(recipient_users(period, action))


def recipient_users(period: ItemPeriod, action: str) -> list:
    assignment = Assignment.objects.filter(unit=period.unit, item=period.item).prefetch_related(
        "responsible__user", "controllers__user").first()
    User = get_user_model()
    commanders = User.objects.filter(unit_roles__unit=period.unit, unit_roles__role=Role.COMMANDER)
    if action in ("return", "takedown"):  # the officers who correct it
        return [o.user for o in (assignment.responsible.all() if assignment else []) if o.user]
    if action == "submit":
        controllers = [o.user for o in (assignment.controllers.all() if assignment else []) if o.user]
        if not controllers:
            controllers = list(User.objects.filter(unit_roles__unit=period.unit, unit_roles__role=Role.CONTROLLER))
        return controllers + list(commanders)
    if action == "check":
        return list(commanders)
    return []


def item_url(period: ItemPeriod) -> str:
    path = reverse("item-detail", args=[period.unit.slug, period.item.framework.fiscal_year, period.item.code.lower()])
    return site_url() + path


def send_transition_mail(period_id: int, action: str, actor_id: int, comment: str, key: str | None = None) -> int:
    """`key` names this transition (the job's id): a retried job tells nobody twice."""
    period = ItemPeriod.objects.select_related("unit", "item__framework").get(pk=period_id)
    users = recipient_users(period, action)
    if not users:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first()
    with translation.override("th"):
        context = {"period": period, "action": action, "actor": actor, "comment": comment, "url": item_url(period)}
        subject = render_to_string("oit_items/email/transition_subject.txt", context).strip()
        body = render_to_string("oit_items/email/transition_body.txt", context)
        text = f"{subject}\n{comment}".strip() if action in ("return", "takedown") and comment else ""
    kind = RETURNED if action in ("return", "takedown") else WAITING
    return messaging.deliver(users, kind, subject, body, context["url"], key=key and f"transition:{key}", text=text)


def digest_unit_ids() -> list[int]:
    return list(Unit.objects.filter(unit_type__publishes_oit=True).order_by("path").values_list("pk", flat=True))


def send_digests(today: datetime.date) -> int:
    """Every unit's digests in this process (beat's task queues one task per unit instead)."""
    return sum(send_unit_digest(unit_id, today) for unit_id in digest_unit_ids())


def send_unit_digest(unit_id: int, today: datetime.date) -> int:
    """One e-mail per officer of the unit with something due within a week, overdue, or waiting for them."""
    unit = Unit.objects.get(pk=unit_id)
    users = list(get_user_model().objects.filter(unit_roles__unit=unit, is_active=True).exclude(email="")
                 .select_related("officer").distinct())
    if not users:
        return 0
    roles = {}
    for user_id, role in Role.objects.filter(unit=unit).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    fiscal_year = thaidate.fiscal_year(today)
    space = workspace.build(unit, fiscal_year, today=today)  # once per unit; whose items they are is per officer
    sent = 0
    for user in users:
        lines = _digest_lines(space, roles.get(user.pk, set()), getattr(getattr(user, "officer", None), "pk", None))
        # One digest per officer, unit and day, even if the job is retried or run twice.
        if lines and cache.add(f"digest-sent:{user.pk}:{unit.pk}:{today.isoformat()}", 1, 60 * 60 * 36):
            sent += _send_digest(user, unit, fiscal_year, lines, today)
    _send_unit_summary(space, unit, fiscal_year, today)
    return sent


def _send_digest(user, unit, fiscal_year, lines, today) -> int:
    url = site_url() + reverse("workspace", args=[unit.slug, fiscal_year])
    with translation.override("th"):
        body = render_to_string("oit_items/email/digest_body.txt", {"unit": unit, "lines": lines, "user": user, "url": url})
        subject = render_to_string("oit_items/email/digest_subject.txt", {"unit": unit, "count": len(lines)}).strip()
    # The message key backs the cache's once-a-day guard, which a cache outage would lose.
    return messaging.deliver(user, DIGEST, subject, body, url, key=f"digest:{unit.pk}:{today.isoformat()}")


def _send_unit_summary(space, unit, fiscal_year, today) -> int:
    """The unit's LINE group (if linked): how many items are overdue, due within a week, waiting."""
    cells = [cell for row in space.rows for cell in row.cells]
    counts = {"overdue": sum(c.overdue for c in cells), "due": sum(c.due_soon and not c.overdue for c in cells),
              "waiting": sum(c.state in (ItemPeriod.SUBMITTED, ItemPeriod.CHECKED) for c in cells)}
    if not any(counts.values()):
        return 0
    url = site_url() + reverse("workspace", args=[unit.slug, fiscal_year])
    with translation.override("th"):
        subject = render_to_string("oit_items/line/unit_summary.txt", {"unit": unit, **counts}).strip()
    return messaging.deliver_group(unit, DIGEST, subject, url, key=f"unit-summary:{unit.pk}:{today.isoformat()}")


def _digest_lines(space, roles, officer_id) -> list:
    lines = []
    for row in space.rows:
        responsible = row.assignment is not None and officer_id in {o.pk for o in row.assignment.responsible.all()}
        controller = row.assignment is not None and officer_id in {o.pk for o in row.assignment.controllers.all()}
        for cell in row.cells:
            if officer_id and responsible and (cell.overdue or cell.due_soon):
                lines.append(("overdue" if cell.overdue else "due", cell))
            elif Role.CONTROLLER in roles and officer_id and controller and cell.state == ItemPeriod.SUBMITTED:
                lines.append(("to_check", cell))
            elif Role.COMMANDER in roles and cell.state == ItemPeriod.CHECKED:
                lines.append(("to_approve", cell))
    return lines
