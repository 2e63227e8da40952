from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitItemsConfig(AppConfig):
    name = "oit_items"
    verbose_name = _("OIT items")

    def ready(self):
        # Up by announcement: the parts below say what happened, the parts above decide what it means.
        # The receivers use models, loaded only now.
        from oit_items.assessment import signals as assessment
        from oit_items.evidence import receivers as evidence
        from oit_items.public import receivers as public
        from oit_items.rulebook import signals as rulebook
        from units import signals as units

        units.published_record_changed.connect(public.refresh_published_record)
        units.unit_details_changed.connect(public.refresh_unit_pages)
        assessment.record_frozen.connect(public.refresh_record_pages)
        # Readiness before search, as the copy of a year always did.
        rulebook.requirements_changed.connect(evidence.refresh_requirements)
        rulebook.requirements_changed.connect(public.refresh_requirements)
        rulebook.items_copied.connect(evidence.copy_assignments)
        rulebook.framework_added.connect(evidence.add_framework)
        rulebook.framework_added.connect(public.add_framework)
