from ita_portal.lib.models import PendingTask  # noqa: F401 (the library's table, for Django's loader)
