from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oit_items.assessment"
    label = "assessment"
    verbose_name = _("Assessment: predicted score, ITAP record, assessors' verdicts and appeal")

    def ready(self):
        # Up by announcement (see receivers.connect); the receivers use models, loaded only now.
        from oit_items.assessment import receivers

        receivers.connect()
