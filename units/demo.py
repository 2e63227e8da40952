"""Load units/data/demo.yaml: the seed units, their officers, assignments and demo logins.

Idempotent: units are matched by slug, officers by key, users by username; running it again
brings the database back to the file without duplicating anything.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from oit_items.models import Assignment, Item

from .models import LineOfWork, Officer, Role, Unit, UnitType

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
DEMO_FISCAL_YEAR = 2567
UNIT_FIELDS = ("name_th", "name_en", "short_name_th", "short_name_en", "address", "phone", "email", "website",
               "social_links", "latitude", "longitude")


@transaction.atomic
def load(path: Path = DEMO_FILE) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    units = _load_units(data["units"])
    officers = _load_officers(data["officers"], units)
    for entry in data["units"]:
        if entry.get("head"):
            Unit.objects.filter(pk=units[entry["slug"]].pk).update(head=officers[entry["head"]])
    assignments = _load_assignments(data["assignments"], units, officers)
    users = _load_users(data["users"], units, officers)
    return {"units": len(units), "officers": len(officers), "assignments": assignments, "users": users}


def _load_units(entries) -> dict[str, Unit]:
    types = {t.code: t for t in UnitType.objects.all()}
    units = {}
    for entry in entries:
        unit = Unit.objects.filter(slug=entry["slug"]).first() or Unit(slug=entry["slug"])
        unit.unit_type = types[entry["type"]]
        unit.parent = units[entry["parent"]] if entry.get("parent") else None
        for field in UNIT_FIELDS:
            default = [] if field == "social_links" else (None if field in ("latitude", "longitude") else "")
            setattr(unit, field, entry.get(field, default))
        unit.save()
        units[unit.slug] = unit
    return units


def _load_officers(entries, units) -> dict[str, Officer]:
    lines = {(l.unit_type_id, l.code): l for l in LineOfWork.objects.all()}
    officers = {}
    for entry in entries:
        unit = units[entry["unit"]]
        officer = Officer.objects.filter(key=entry["key"]).first() or Officer(key=entry["key"])
        officer.unit = unit
        officer.rank = entry.get("rank", "")
        officer.is_female = entry.get("female", False)
        officer.is_acting = entry.get("acting", False)
        officer.first_name = entry["first_name"]
        officer.last_name = entry.get("last_name", "")
        officer.position = entry.get("position", "")
        officer.aliases = entry.get("aliases", [])
        officer.line_of_work = lines.get((unit.unit_type_id, entry.get("line_of_work")))
        officer.save()
        officers[officer.key] = officer
    return officers


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


def _load_users(entries, units, officers) -> int:
    User = get_user_model()
    for entry in entries:
        user, created = User.objects.get_or_create(username=entry["username"])
        if created or not user.has_usable_password():
            user.set_password(settings.DEMO_PASSWORD)
        user.email = f"{user.username}@demo.ita-portal.local"  # notifications go to the console in development
        officer = officers.get(entry.get("officer"))
        if officer is not None:
            user.first_name, user.last_name = officer.first_name, officer.last_name
        user.save()
        Role.objects.get_or_create(user=user, unit=units[entry["unit"]], role=entry["role"])
        if officer is not None and officer.user_id != user.pk:
            Officer.objects.filter(user=user).exclude(pk=officer.pk).update(user=None)
            officer.user = user
            officer.save(update_fields=["user"])
    return len(entries)
