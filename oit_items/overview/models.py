from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class Reminder(models.Model):
    """A "please catch up" e-mail to a lagging unit's admins, asked for from an overview: at
    most one per unit and day, however many supervisors ask and however often."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    day = models.DateField(_("day"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("asked by"))
    requested_from = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, related_name="+",
                                       verbose_name=_("from the overview of"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-day", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_reminder_per_unit_and_day")]
        verbose_name = _("reminder to a lagging unit")
        verbose_name_plural = _("reminders to lagging units")

    def __str__(self):
        return f"{self.unit_id} {self.day}"
