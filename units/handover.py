"""Handover: everything a leaver holds goes to a successor in one step.

"Everything" is found, not listed: every field of every model that points at an officer (the
OIT assignments, the people of measures, activities and calendar phases — and so their
reminders and pending work —, the EIT/IIT quota collectors, the chair of the briefing, the
head of unit, and whatever is added later). History records keep the past as it was.
A model whose rows also print names as text defines `rename_in_text(leaver, successor)`.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from simple_history.models import HistoricalChanges

from .models import Officer, Role


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


@dataclass
class Result:
    moved: dict = field(default_factory=dict)  # model → rows moved
    revoked: int = 0

    @property
    def total(self) -> int:
        return sum(self.moved.values())

    def count_of(self, model) -> int:
        return self.moved.get(model, 0)

    def others(self) -> str:
        """`มาตรการ: 30, กิจกรรม: 25` — what moved besides the OIT assignments."""
        return ", ".join(f"{model._meta.verbose_name_plural}: {count}" for model, count in self.moved.items()
                         if model._meta.label != "oit_items.Assignment")


@transaction.atomic
def hand_over(leaver: Officer, successor: Officer, retire: bool = True, revoke_roles: bool = True) -> Result:
    if leaver.unit_id != successor.unit_id or leaver.pk == successor.pk:
        raise ValueError("the successor must be another officer of the same unit")
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
        if rows:
            result.moved[model] = result.moved.get(model, 0) + len(rows)
    if retire:
        leaver.is_active = False
        leaver.save(update_fields=["is_active"])
    if revoke_roles and leaver.user_id:
        for role in Role.objects.filter(user_id=leaver.user_id, unit_id=leaver.unit_id):
            role.delete()  # one by one: each revocation is kept in the history
            result.revoked += 1
    return result
