"""Load the demo: the sample import file (units/data/sample/*.csv: the seed units, their
supervising units, their officers as the seeds name them and one login per role), imported the
way an admin imports, then the OIT item assignments of units/data/demo.yaml and the published
demo password for the sample's logins (development only; `load_demo` refuses without DEBUG).

Idempotent: importing the same file changes nothing, assignments are matched by unit and item.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from oit_items.models import Assignment, Item

from .models import Officer, Unit
from .onboarding import jobs

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_FILE = DATA_DIR / "demo.yaml"
SAMPLE_FILES = [DATA_DIR / "sample" / name for name in ("units.csv", "officers.csv", "users.csv")]
DEMO_FISCAL_YEAR = 2567
PUBLISHING_UNITS = ("sn-buengkum", "imm-buengkan")


class DemoDataError(Exception):
    pass


def sample_files() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in SAMPLE_FILES]


@transaction.atomic
def load(path: Path = DEMO_FILE) -> dict:
    check, _counts = jobs.run(sample_files(), apply=True, invite=False)
    if check.refused:
        raise DemoDataError("; ".join(e for r in check.results for e in r.errors))
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    officers = {o.key: o for o in Officer.objects.filter(key__in=check.officers)}
    units = {u.slug: u for u in Unit.objects.filter(slug__in=check.units)}
    assignments = _load_assignments(data["assignments"], units, officers)
    users = _demo_passwords(list(check.users))
    return {"units": len(units), "officers": len(officers), "assignments": assignments, "users": users}


def _load_assignments(by_unit, units, officers) -> int:
    count = 0
    for slug, items in by_unit.items():
        unit = units[slug]
        catalogue = {i.code: i for i in Item.objects.for_unit(unit, DEMO_FISCAL_YEAR)}
        for code, entry in items.items():
            assignment, _ = Assignment.objects.get_or_create(unit=unit, item=catalogue[code])
            assignment.responsible.set([officers[k] for k in entry.get("responsible", [])])
            assignment.controllers.set([officers[k] for k in entry.get("controllers", [])])
            count += 1
    return count


def _demo_passwords(usernames) -> int:
    """The sample's logins get the published demo password (README); nowhere else is a password set."""
    for user in get_user_model().objects.filter(username__in=usernames):
        if not user.has_usable_password():
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return len(usernames)
