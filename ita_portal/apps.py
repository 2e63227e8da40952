from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self):
        # The production configuration checks and the login signal of two-step verification.
        from . import checks, two_factor  # noqa: F401
