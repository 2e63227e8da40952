from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units and officers")

    def ready(self):
        # The login signal of two-step verification; its module uses models, loaded only now.
        from units import two_factor  # noqa: F401
