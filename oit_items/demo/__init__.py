"""The demo (development only; `load_demo` refuses without DEBUG): the people of units.demo, the OIT
item assignments of units/data/demo.yaml, and — with `--samples` — sample evidence published through
the real workflow (evidence.py).

Idempotent: importing the same file changes nothing, assignments are matched by unit and item.
"""

from django.db import transaction

from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from units import demo as people


@transaction.atomic
def load(path=people.DEMO_FILE) -> dict:
    units, officers, counts = people.load_people()
    assignments = _load_assignments(people.read(path)["assignments"], units, officers)
    return {"units": counts["units"], "officers": counts["officers"], "assignments": assignments, "users": counts["users"]}


def _load_assignments(by_unit, units, officers) -> int:
    count = 0
    for slug, items in by_unit.items():
        unit = units[slug]
        catalogue = {i.code: i for i in Item.objects.for_unit(unit, people.DEMO_FISCAL_YEAR)}
        for code, entry in items.items():
            assignment, _ = Assignment.objects.get_or_create(unit=unit, item=catalogue[code])
            assignment.responsible.set([officers[k] for k in entry.get("responsible", [])])
            assignment.controllers.set([officers[k] for k in entry.get("controllers", [])])
            count += 1
    return count
