"""What the assessment adds to the commander's "my work" (oit_items.evidence.my_work.PANELS, appended in
receivers.connect): each unit they command, its predicted score this fiscal year, pass or fail, and
the first next steps, with a link to the score page. Two queries, only for commanders."""

from dataclasses import dataclass

from oit_items.assessment import prediction
from oit_items.assessment.models import HASNT, ItemVerdict, UnitScore
from oit_items.evidence.my_work import Panel
from units.permissions import unit_access

TOP_STEPS = 3


@dataclass
class UnitPrediction:
    unit: object
    fiscal_year: int
    score: UnitScore | None
    steps: list  # [(item code, reason dict)]: the commander's own first, then the items with the most points


def commander_scores(user, work, today) -> Panel | None:
    units = [unit for unit in work.units if unit_access(user, unit).approve]  # roles already read: no query
    if not units:
        return None
    found = {s.unit_id: s for s in UnitScore.objects.filter(unit__in=units, fiscal_year=work.fiscal_year)}
    steps = {}
    for verdict in (ItemVerdict.objects.filter(unit__in=units, fiscal_year=work.fiscal_year, verdict=HASNT)
                    .select_related("item").only("unit_id", "points", "reasons", "item__code", "item__number")):
        if not verdict.reasons:
            continue
        # The commander's own steps first (approvals waiting for them), then the items worth most.
        own = next((r for r in verdict.reasons if r.get("role") == prediction.COMMANDER), None)
        steps.setdefault(verdict.unit_id, []).append(
            ((own is None, -verdict.points, verdict.item.number), verdict.item.code, own or verdict.reasons[0]))
    steps = {unit_id: [(code, reason) for _key, code, reason in sorted(found)[:TOP_STEPS]] for unit_id, found in steps.items()}
    rows = [UnitPrediction(unit, work.fiscal_year, found.get(unit.pk), steps.get(unit.pk, [])) for unit in units]
    return Panel("assessment/partials/my_work_scores.html", {"predictions": rows})
