"""Headquarters: which items the units below appealed, and with what outcome (preliminary "hasn't"
→ final "has" is won), per item of each unit type, in a fixed number of queries whatever the
size of the subtree."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from oit_items.assessment.models import HAS, HASNT, AssessedItem, Clarification
from units.permissions import get_unit_for

APPEALED = Q(clarification__state=Clarification.APPROVED)


def appeal_figures(unit, fiscal_year: int) -> dict:
    """{"items": [per item: disputed, appealed, won, lost, pending], "units": units that appealed, totals}."""
    below = AssessedItem.objects.filter(unit__path__startswith=unit.path, fiscal_year=fiscal_year, preliminary=HASNT)
    items = list(below.values("item__framework__unit_type__name_th", "item__number", "item__code", "item__title_th")
                 .annotate(disputed=Count("pk"), appealed=Count("pk", filter=APPEALED),
                           won=Count("pk", filter=APPEALED & Q(final=HAS)),
                           lost=Count("pk", filter=APPEALED & Q(final=HASNT)),
                           pending=Count("pk", filter=APPEALED & Q(final="")))
                 .order_by("item__framework__unit_type__name_th", "item__number"))
    totals = below.aggregate(units_disputed=Count("unit", distinct=True),
                             units_appealed=Count("unit", distinct=True, filter=APPEALED))
    for key in ("disputed", "appealed", "won", "lost", "pending"):
        totals[key] = sum(row[key] for row in items)
    return {"items": items, "totals": totals}


@login_required
def appeals(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "overview")
    context = {"unit": unit, "access": access, "fiscal_year": fiscal_year, **appeal_figures(unit, fiscal_year)}
    return render(request, "overview/appeals.html", context)
