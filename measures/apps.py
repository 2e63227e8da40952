from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Integrity measures")

    def ready(self):
        # Models are loaded only now: the registrations import modules that use them.
        from measures import kinds, production, public
        from oit_items.public import pages
        from reports import jobs

        jobs.register(production, kinds.LABELS)  # O24/O25 documents and signs through the one pipeline
        pages.HOME_EXTRAS["eit"] = public.eit_survey  # the EIT survey address on the unit's public home
