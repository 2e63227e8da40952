from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and officers")

    def ready(self):
        # The login signal of two-step verification.
        from units import two_factor  # noqa: F401
