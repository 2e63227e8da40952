from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self):
        # Models are loaded only now: the registration imports modules that use them.
        from reports import appeal, jobs, production
        from reports.kinds import DOCUMENT_KINDS

        jobs.register(production, DOCUMENT_KINDS)
        jobs.register(appeal, appeal.KINDS)  # the appeal document of the assessment
