"""Handover: everything a leaver holds goes to a successor in one step.

"Everything" is found, not listed: every field of every model that points at an officer (the
OIT assignments, the people of measures, activities and calendar phases — and so their
reminders and pending work —, the EIT/IIT quota collectors, the chair of the briefing, the
head of unit, and whatever is added later). History records keep the past as it was.
A model whose rows also print names as text defines `rename_in_text(leaver, successor)`.
"""

from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from simple_history.models import HistoricalChanges

from units.models import Officer, Role, Unit
from units.permissions import Access
from units.signals import unit_details_changed


def officer_references() -> list[tuple[type, object]]:
    """[(model, field)] for every foreign key and many-to-many field to Officer, history aside."""
    found = []
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for model_field in model._meta.get_fields():
            if (getattr(model_field, "concrete", False) and model_field.is_relation
                    and model_field.related_model is Officer and model_field.model is model):
                found.append((model, model_field))
    return found


def holdings(officer) -> dict:
    """{model: rows pointing at the officer}; a row naming them twice (an item they are both
    responsible for and control) counts once."""
    conditions = {}
    for model, model_field in officer_references():
        conditions[model] = conditions.get(model, Q()) | Q(**{model_field.name: officer})
    held = {model: model._default_manager.filter(condition).distinct().count() for model, condition in conditions.items()}
    return {model: count for model, count in held.items() if count}


@dataclass
class Result:
    moved: dict = field(default_factory=dict)  # model → primary keys of the rows moved
    kept: list = field(default_factory=list)  # the leaver's roles the acting user may not remove

    def count_of(self, model) -> int:
        return len(self.moved.get(model, ()))

    def others(self) -> str:
        """`มาตรการ: 30, กิจกรรม: 25` — what moved besides the OIT assignments."""
        return ", ".join(f"{model._meta.verbose_name_plural}: {len(pks)}" for model, pks in self.moved.items()
                         if model._meta.label != "oit_items.Assignment")


@transaction.atomic
def hand_over(leaver: Officer, successor: Officer, retire: bool = True, revoke_roles: bool = True,
              access: Access | None = None) -> Result:
    """`access`: the acting user's, which limits the roles removed (None: the shell, every right)."""
    if leaver.unit_id != successor.unit_id or leaver.pk == successor.pk:
        raise ValueError("the successor must be another officer of the same unit")
    access = access or Access(superuser=True)
    result = Result()
    for model, model_field in officer_references():
        rows = list(model._default_manager.filter(**{model_field.name: leaver}).distinct())
        for row in rows:
            if model_field.many_to_many:
                related = getattr(row, model_field.name)
                related.remove(leaver)
                related.add(successor)
            else:
                setattr(row, model_field.name, successor)
                row.save(update_fields=[model_field.name])
            if hasattr(row, "rename_in_text"):
                row.rename_in_text(leaver, successor)
            if model is Unit:  # a new head of unit: the public contact details name them
                transaction.on_commit(partial(unit_details_changed.send, sender=Unit, unit=row))
        if rows:
            result.moved.setdefault(model, set()).update(row.pk for row in rows)
    if retire:
        leaver.is_active = False
        leaver.save(update_fields=["is_active"])
    if revoke_roles and leaver.user_id:
        for role in Role.objects.filter(user_id=leaver.user_id, unit_id=leaver.unit_id).select_related("user"):
            if access.may_revoke(role):
                role.delete()  # one by one: each revocation is kept in the history
            else:
                result.kept.append(role)
    return result
