"""A unit's history as people read it: who changed what, when, before and after — from the
records django-simple-history keeps of the unit, its officers, roles and item assignments."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from units.models import LineOfWork, Officer, Role, Unit

KINDS = {"+": _("added"), "~": _("changed"), "-": _("removed")}
SKIP = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user", "unit", "path",
        "published_at", "key", "created_at", "item"}
IN_SUBJECT = {"user", "role"}  # a role's subject names its login and role already
MERGE_WITHIN = 5  # seconds: a save and the relations set right after it are one change to a reader


@dataclass
class Entry:
    at: object
    user: object
    kind: str
    subject: str
    changes: dict = field(default_factory=dict)  # field name → (label, before, after); a list once done

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)


class Names:
    """Turns stored ids into names with one query per kind, whatever the number of records."""

    def __init__(self, unit, records):
        user_ids = {r.history_user_id for r in records} | {getattr(r, "user_id", None) for r in records}
        self.users = dict(get_user_model().objects.filter(pk__in=user_ids - {None}).values_list("pk", "username"))
        self.officers = {o.pk: o.display_name for o in Officer.objects.filter(unit=unit)}
        self.lines = dict(LineOfWork.objects.filter(unit_type_id=unit.unit_type_id).values_list("pk", "name_th"))
        item_ids = {getattr(r, "item_id", None) for r in records} - {None}
        self.items = {i.pk: f"{i.code} ({i.framework.fiscal_year})" for i in Item.objects.filter(pk__in=item_ids).select_related("framework")}
        self.roles = dict(Role.CHOICES)

    def value(self, name, value, model_field=None):
        if isinstance(value, bool):  # before "empty": False is a value, not a blank
            return str(_("yes") if value else _("no"))
        if value in (None, "", []):
            return "—"
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if name in ("head", "officer"):
            return self.officers.get(value, value)
        if name == "line_of_work":
            return self.lines.get(value, value)
        if name == "user":
            return self.users.get(value, value)
        if name == "role":
            return self.roles.get(value, value)
        if name in ("responsible", "controllers"):
            return ", ".join(str(self.officers.get(pk, pk)) for pk in sorted(value)) or "—"
        if isinstance(value, list):
            return ", ".join(str(v.get("url", v)) if isinstance(v, dict) else str(v) for v in value)
        return str(value)


def _fields(record):
    model = record.instance_type
    skip = SKIP | (IN_SUBJECT if model is Role else set())
    for model_field in model._meta.concrete_fields:
        if model_field.name not in skip:
            yield model_field.name, model_field.verbose_name, getattr(record, model_field.attname)


def _field_of(record, name):
    try:
        return record.instance_type._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _m2m(record):
    return {relation: {row.officer_id for row in getattr(record, f"historicalassignment_{relation}_set").all()}
            for relation in ("responsible", "controllers")}


def _subject(record, names) -> str:
    model = record.instance_type
    if model is Unit:
        return str(_("unit details"))
    if model is Officer:
        return f"{_('officer')} {names.officers.get(record.id, record.first_name)}"
    if model is Role:
        return f"{_('role')} {names.roles.get(record.role, record.role)} · {names.users.get(record.user_id, record.user_id)}"
    return f"{_('assignment')} {names.items.get(record.item_id, record.item_id)}"


def _records(unit: Unit, limit: int):
    """(records, earlier, horizon): the newest `limit` records of each kind; for a kind cut there,
    the record before the oldest kept of each object (what its first kept change is told against),
    and the latest time a kind was cut at — older entries may miss records and are left out."""
    kinds = [(Unit.history.all(), {"id": unit.pk}), (Officer.history.all(), {"unit_id": unit.pk}),
             (Role.history.all(), {"unit_id": unit.pk}),
             (Assignment.history.prefetch_related("historicalassignment_responsible_set",
                                                  "historicalassignment_controllers_set"), {"unit_id": unit.pk})]
    records, earlier, horizon = [], [], None
    for history, where in kinds:
        newest = list(history.filter(**where).order_by("-history_date", "-history_id")[:limit])
        records += newest
        if len(newest) == limit:
            cut = newest[-1].history_date
            horizon = cut if horizon is None else max(horizon, cut)
            earlier += (history.filter(**where, id__in={r.id for r in newest})
                        .exclude(history_id__in=[r.history_id for r in newest])
                        .order_by("id", "-history_date", "-history_id").distinct("id"))
    return records, earlier, horizon


def unit_history(unit: Unit, limit: int = 150) -> list[Entry]:
    records, earlier, horizon = _records(unit, limit)
    records += earlier
    told = {id(record) for record in earlier}  # known only as the values before
    names = Names(unit, records)
    previous, entries, last = {}, [], {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = (record.instance_type, record.id)
        values = dict((name, (label, value)) for name, label, value in _fields(record))
        if record.instance_type is Assignment:
            values.update({name: (Assignment._meta.get_field(name).verbose_name, ids) for name, ids in _m2m(record).items()})
        if id(record) in told:
            previous[key] = values
            continue
        before = previous.get(key)
        changes = {name: (label, names.value(name, before[name][1], _field_of(record, name)) if before else "—",
                          names.value(name, value, _field_of(record, name)))
                   for name, (label, value) in values.items()
                   if before is None and record.history_type != "-" and value not in (None, "", [], set()) and value is not False
                   or before is not None and before[name][1] != value}
        previous[key] = values
        entry = last.get(key)
        if (entry is not None and entry.user == names.users.get(record.history_user_id) and record.history_type == "~"
                and (record.history_date - entry.at).total_seconds() < MERGE_WITHIN):
            for name, (label, _before, after) in changes.items():
                entry.changes[name] = (label, entry.changes.get(name, (label, _before, after))[1], after)
            continue
        if changes or record.history_type != "~":
            entry = Entry(record.history_date, names.users.get(record.history_user_id), record.history_type,
                          _subject(record, names), changes)
            entries.append(entry)
            last[key] = entry
    entries = [entry for entry in entries if horizon is None or entry.at > horizon]
    for entry in entries:
        entry.changes = list(entry.changes.values())
    return entries[::-1][:limit]
