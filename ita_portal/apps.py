from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self):
        # The production configuration checks.
        from ita_portal import checks  # noqa: F401
