"""The current fiscal year always exists: on 1 October (Celery beat, or the command
`ensure_fiscal_year`) each unit type's latest framework is copied into the new year with every
unit's assignments, marked provisional until the NACC publishes that year's criteria."""

import datetime

from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.rulebook.loading import framework_added
from oit_items.rulebook.models import Framework
from units.models import UnitType


def ensure(fiscal_year: int | None = None, today: datetime.date | None = None) -> list[tuple[Framework, bool]]:
    """[(framework of `fiscal_year`, created now?)] for every unit type that publishes OIT items
    and has an earlier framework to copy. Idempotent."""
    year = fiscal_year or thaidate.fiscal_year(today or timezone.localdate())
    done = []
    for unit_type in UnitType.objects.filter(publishes_oit=True):
        current = Framework.objects.filter(unit_type=unit_type, fiscal_year=year).first()
        if current is not None:
            done.append((current, False))
            continue
        latest = Framework.objects.filter(unit_type=unit_type, fiscal_year__lt=year).order_by("-fiscal_year").first()
        if latest is not None:
            clone = latest.clone_to(year, provisional=True)
            framework_added(clone)
            done.append((clone, True))
    return done
