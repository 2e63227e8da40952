"""The assessors' results of one unit's year: what they said of each item (preliminary, then final,
with their remark), entered by hand on the assessment page or imported (importing.py), and the rows
the assessment page shows beside the predicted verdict.

One rule for both ways in: an empty value leaves what is stored, a final result needs a preliminary
one, and a verdict is "has" or "hasn't" (มี / ไม่มี) — nothing else is guessed.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from oit_items.assessment.models import HAS, HASNT, AssessedItem, Clarification, FrozenItem, ItemVerdict
from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item

# What people write in a verdict cell, lower-cased and without spaces.
WORDS = {"has": HAS, "มี": HAS, "hasn't": HASNT, "hasnt": HASNT, "hasnot": HASNT, "hasn’t": HASNT, "ไม่มี": HASNT}
FIELDS = ("preliminary", "final", "assessor_note")


class EntryRefused(ValueError):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def parse_verdict(text) -> str:
    """"has" / "hasnt" from what a person typed; "" for an empty cell; EntryRefused otherwise."""
    value = "".join(str(text or "").split()).lower()
    if not value:
        return ""
    if value in (HAS, HASNT):
        return value
    if value not in WORDS:
        raise EntryRefused(_("“%(value)s” is neither has (มี) nor hasn't (ไม่มี).") % {"value": str(text).strip()})
    return WORDS[value]


def planned_values(current: AssessedItem | None, preliminary: str, final: str, note: str) -> dict:
    """The fields that would change ({name: new value}); empty values leave what is stored."""
    now = {name: getattr(current, name) if current else "" for name in FIELDS}
    wanted = dict(now)
    for name, value in (("preliminary", preliminary), ("final", final), ("assessor_note", note.strip())):
        if value:
            wanted[name] = value
    if wanted["final"] and not wanted["preliminary"]:
        raise EntryRefused(_("a final result needs the preliminary result first."))
    return {name: value for name, value in wanted.items() if value != now[name]}


def enter(unit, item: Item, values: dict, user, source=AssessedItem.TYPED) -> list[str]:
    """Store the typed values of one item (a full set: what the form shows is what is kept, so a
    field may be emptied), and return the names of the fields that changed."""
    with transaction.atomic():
        current = AssessedItem.objects.select_for_update().filter(unit=unit, item=item).first()
        wanted = {name: (values.get(name) or "").strip() for name in FIELDS}
        if wanted["final"] and not wanted["preliminary"]:
            raise EntryRefused(_("a final result needs the preliminary result first."))
        if current is None:
            if not any(wanted.values()):
                return []
            current = AssessedItem(unit=unit, item=item, fiscal_year=item.framework.fiscal_year)
        changed = [name for name in FIELDS if getattr(current, name) != wanted[name]]
        if changed:
            for name in changed:
                setattr(current, name, wanted[name])
            current.source, current.updated_by = source, user
            current.save()
        return changed


@dataclass
class Row:
    """One item on the assessment page."""

    item: Item
    predicted: ItemVerdict | None = None
    assessed: AssessedItem | None = None
    frozen: FrozenItem | None = None
    assignment: Assignment | None = None
    files: list = field(default_factory=list)

    @property
    def clarification(self) -> Clarification | None:
        return getattr(self.assessed, "clarification", None) if self.assessed else None

    @property
    def disputed(self) -> bool:
        return self.assessed is not None and self.assessed.preliminary == HASNT

    @property
    def won(self) -> bool:
        return self.disputed and self.assessed.final == HAS


def rows_for(unit, fiscal_year: int) -> list[Row]:
    """Every item of the unit's year with its predicted and assessed verdicts, its clarification,
    its frozen record and who is responsible for it, in a fixed number of queries."""
    items = list(Item.objects.for_unit(unit, fiscal_year).select_related("framework"))
    predicted = {v.item_id: v for v in ItemVerdict.objects.filter(unit=unit, fiscal_year=fiscal_year)}
    assessed = {a.item_id: a for a in AssessedItem.objects.filter(unit=unit, fiscal_year=fiscal_year)
                .select_related("clarification__drafted_by__officer", "clarification__approved_by__officer")}
    frozen = {f.item_id: f for f in FrozenItem.objects.filter(record__unit=unit, record__fiscal_year=fiscal_year)
              .prefetch_related("files")}
    assignments = {a.item_id: a for a in Assignment.objects.filter(unit=unit, item__in=items)
                   .prefetch_related("responsible")}
    rows = []
    for item in items:
        found = frozen.get(item.pk)
        rows.append(Row(item, predicted.get(item.pk), assessed.get(item.pk), found, assignments.get(item.pk),
                        list(found.files.all()) if found else []))
    return rows


def person(user) -> str:
    """A user as documents and pages name them: the officer's rank and name, else the login's name."""
    if user is None:
        return ""
    officer = getattr(user, "officer", None)
    return officer.display_name if officer else (user.get_full_name() or user.username)
