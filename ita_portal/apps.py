from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self):
        from . import checks  # noqa: F401 (registers the production configuration checks)
