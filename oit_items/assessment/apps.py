from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oit_items.assessment"
    label = "assessment"
    verbose_name = _("Assessment: predicted score, ITAP record, assessors' verdicts and appeal")
