from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ita_portal.lib.site import site_url
from oit_items.channels.models import Complaint, Question
from units.models import Role


def _staff_emails(unit) -> list[str]:
    users = get_user_model().objects.filter(unit_roles__unit=unit, unit_roles__role__in=[Role.ADMIN, Role.COMMANDER],
                                            is_active=True).exclude(email="")
    return sorted({u.email for u in users})


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def notify_new_message(self, kind: str, pk: int) -> int:
    """Tell the unit's admins and commanders that the public wrote; the text stays in the portal."""
    model = Complaint if kind == "complaint" else Question
    message = model.objects.select_related("unit").get(pk=pk)
    to = _staff_emails(message.unit)
    if not to:
        return 0
    view = "staff-complaint" if kind == "complaint" else "staff-answer"
    url = site_url() + reverse(view, args=[message.unit.slug, pk])
    with translation.override("th"):
        subject = (_("[ITA] New corruption complaint for %(unit)s") if kind == "complaint"
                   else _("[ITA] New question for %(unit)s")) % {"unit": message.unit}
        body = _("Read it and respond in the portal:") + f"\n{url}\n"
    return send_mail(subject, body, None, to)
