import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_start_misconfigured(**kwargs):
    # This module is imported with the settings (ita_portal/__init__.py), before Django's apps are ready.
    from ita_portal.checks import refuse_to_start_misconfigured

    refuse_to_start_misconfigured()
