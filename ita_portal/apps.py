from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self):
        # The production configuration checks (registered on import); they read the settings, loaded only now.
        from ita_portal import checks  # noqa: F401
