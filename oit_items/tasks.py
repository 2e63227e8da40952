from celery import shared_task
from django.db import OperationalError

from .models import Framework


@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def clone_framework(self, framework_id: int, fiscal_year: int) -> int:
    """Clone a framework (items and every unit's assignments) into `fiscal_year`. Idempotent."""
    return Framework.objects.get(pk=framework_id).clone_to(fiscal_year).pk
