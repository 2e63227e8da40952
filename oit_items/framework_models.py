"""The staff framework editor's draft and the record of each published version (imported by models.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkDraft(models.Model):
    """The items of a framework being edited, in the data files' own shape (oit_items/frameworks/
    README.md): units keep working on the published version until the draft is published."""

    framework = models.OneToOneField("oit_items.Framework", on_delete=models.CASCADE, related_name="draft",
                                     verbose_name=_("framework"))
    base_version = models.PositiveIntegerField(_("edited from version"))
    items = models.JSONField(_("items"), default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("last edited by"))
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("framework draft")
        verbose_name_plural = _("framework drafts")

    def __str__(self):
        return f"{self.framework} (draft)"

    def item(self, code: str) -> dict | None:
        return next((entry for entry in self.items if entry["code"] == code), None)


class FrameworkRelease(models.Model):
    """One version published from the editor: what changed, for the units to read."""

    framework = models.ForeignKey("oit_items.Framework", on_delete=models.CASCADE, related_name="releases",
                                  verbose_name=_("framework"))
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("published by"))
    note = models.TextField(_("note to the units"), blank=True)
    changes = models.JSONField(_("changes"), default=list)
    final = models.BooleanField(_("the NACC's published criteria"), default=False)

    class Meta:
        ordering = ["framework", "-version"]
        constraints = [models.UniqueConstraint(fields=["framework", "version"], name="unique_framework_release")]
        verbose_name = _("framework release")
        verbose_name_plural = _("framework releases")

    def __str__(self):
        return f"{self.framework} v{self.version}"
