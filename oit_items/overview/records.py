"""How many units under a supervisor have their record as submitted to ITAP frozen (one query)."""

from oit_items.assessment.models import ItapRecord


def progress(unit, tree) -> dict:
    """{"frozen": N, "units": M}: frozen records of the year under `unit`, of its publishing units."""
    frozen = ItapRecord.objects.filter(fiscal_year=tree.fiscal_year, unit__path__startswith=unit.path).count()
    return {"frozen": frozen, "units": tree.root.units}
