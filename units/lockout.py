"""Password guessing, counted twice (django-axes): per account and address (a few wrong passwords lock
that account on that connection only, so the others behind a station's NAT keep working), and per
account across every address, with a higher ceiling — twelve addresses cannot take turns at one account."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class AccountCeilingHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT (before a login, and after each wrong
        password): this address's for the account, or the limit itself once the account's failures from
        all addresses reach the ceiling — both paths (refusing, and answering "locked") then agree."""
        failures = super().get_failures(request, credentials)
        if account_failures(request, credentials) >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def account_failures(request, credentials=None) -> int:
    """Wrong passwords for this account from any address within the cool-off time."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
