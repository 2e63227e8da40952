from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oit_items.assessment"
    label = "assessment"
    verbose_name = _("Assessment: predicted score, ITAP record, assessors' verdicts and appeal")

    def ready(self):
        # The record as submitted to ITAP follows a PDPA takedown; the receiver uses models, loaded only now.
        from oit_items.assessment import freezing
        from oit_items.evidence.signals import evidence_taken_down

        evidence_taken_down.connect(freezing.on_evidence_taken_down, dispatch_uid="itap-record-takedown")
