"""The predicted score of a unit's year, for its staff and the supervisors above it: the page (works
on a phone) and the same figures as JSON. Both read the stored rows (scores.py): a fixed number of
queries whatever the number of items."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from oit_items.assessment import scores
from oit_items.assessment.models import HAS, ItemVerdict, UnitScore
from oit_items.rulebook.models import Framework
from units.permissions import get_unit_for


@dataclass
class Row:
    verdict: ItemVerdict
    gain: Decimal  # what the score would gain with this item "has"

    @property
    def item(self):
        return self.verdict.item

    @property
    def has(self) -> bool:
        return self.verdict.verdict == HAS


@dataclass
class Prediction:
    score: UnitScore
    rows: list
    framework: Framework

    @property
    def missing(self) -> list:
        """What it takes to reach 100: the items it hasn't, most points first."""
        return sorted((row for row in self.rows if not row.has), key=lambda row: (-row.gain, row.item.number))


def prediction_of(unit, fiscal_year: int) -> Prediction:
    """The stored figures of a unit's year (computed now if they never were); 404 without a framework."""
    framework = Framework.objects.filter(unit_type_id=unit.unit_type_id, fiscal_year=fiscal_year).first()
    if framework is None or not unit.unit_type.publishes_oit:
        raise Http404
    score = UnitScore.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if score is None:  # never computed (a year just opened): store it once, then read it as always
        scores.refresh_many([unit.pk], fiscal_year)
        score = UnitScore.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
        if score is None:
            raise Http404
    verdicts = list(ItemVerdict.objects.filter(unit=unit, fiscal_year=fiscal_year).select_related("item")
                    .only("verdict", "points", "reasons", "item__code", "item__number", "item__title_th", "item__title_en")
                    .order_by("item__number"))
    total = sum(v.points for v in verdicts)
    rows = [Row(v, (Decimal(100 * v.points) / total).quantize(Decimal("0.01")) if total else Decimal(0)) for v in verdicts]
    return Prediction(score, rows, framework)


@login_required
def score_page(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "view")
    prediction = prediction_of(unit, fiscal_year)
    return render(request, "assessment/score.html", {
        "unit": unit, "access": access, "fiscal_year": fiscal_year, "prediction": prediction})


@login_required
def score_json(request, slug, fiscal_year):
    unit, _access = get_unit_for(request.user, slug, "view")
    prediction = prediction_of(unit, fiscal_year)
    score = prediction.score
    return JsonResponse({
        "unit": unit.slug, "fiscal_year": fiscal_year, "score": float(score.score), "pass_mark": float(score.pass_mark),
        "passes": score.passes, "computed_at": score.computed_at.isoformat(),
        "items": [{"code": row.item.code, "verdict": row.verdict.verdict, "points": row.verdict.points,
                   "reasons": [r["reason"] for r in row.verdict.reasons], "details": row.verdict.reasons}
                  for row in prediction.rows],
    }, json_dumps_params={"ensure_ascii": False})
