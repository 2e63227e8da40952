"""The overview table's filters, search and sort, parsed and validated by django-filter.

Type, level and search are filters on the units themselves; readiness band, "has overdue" and where
a unit's predicted score is heading select the units whose added-up figures (figures.Tree) match.
Sorting is done on those figures.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oit_items.overview.figures import BANDS, BELOW, NOT_COMPUTED, OUTLOOKS, PASSES, ZERO
from units.models import Unit

SORTS = {
    # Whom to call first: the most items overdue today, then the lowest predicted score (a unit
    # not computed before one at zero), then the lowest readiness. The overview's default.
    "worst": (_("Worst first"), lambda f: (-f.overdue, f.score is not None, f.score or 0, f.readiness or 0)),
    "tree": (_("Tree order"), lambda f: f.unit["path"]),
    "name": (_("Name"), lambda f: f.unit["name_th"]),
    "readiness": (_("Readiness"), lambda f: (f.readiness is None, f.readiness or 0)),
    "overdue": (_("Overdue items"), lambda f: f.overdue),
    "waiting": (_("Waiting for check or approval"), lambda f: f.waiting_check + f.waiting_approval),
    "returned": (_("Returned"), lambda f: f.returned),
    "activity": (_("Last activity"), lambda f: (f.last_activity is not None, f.last_activity or 0)),
    # Worst first: a unit not computed before one at zero (it fails closed), then by score.
    "score": (pgettext_lazy("assessment", "Predicted score"), lambda f: (f.score is not None, f.score or 0)),
}
# The publishing units each "predicted score" choice selects: "below" takes in those at zero and not
# computed, "zero" those not computed (a unit without a score is never taken for one that passes).
HEADING = {BELOW: {BELOW, ZERO, NOT_COMPUTED}, ZERO: {ZERO, NOT_COMPUTED}, NOT_COMPUTED: {NOT_COMPUTED}, PASSES: {PASSES}}
SORT_CHOICES = [(key, label) for key, (label, _key) in SORTS.items()] + [
    (f"-{key}", label) for key, (label, _key) in SORTS.items() if key not in ("tree", "worst")]


class UnitsBelowFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search (Thai name or slug)"), max_length=100)
    type = django_filters.ChoiceFilter(field_name="unit_type_id", label=_("Type"),
                                            empty_label=_("All types"))
    level = django_filters.ChoiceFilter(field_name="unit_type__level", label=_("Level"),
                                             empty_label=_("All levels"))
    band = django_filters.ChoiceFilter(method="in_band", label=_("Readiness"), empty_label=_("Any readiness"),
                                       choices=[(code, label) for code, label, _low, _high in BANDS])
    outlook = django_filters.ChoiceFilter(method="heading", label=pgettext_lazy("assessment", "Predicted score"), choices=OUTLOOKS,
                                          empty_label=_("Any predicted score"))
    publishes = django_filters.BooleanFilter(field_name="unit_type__publishes_oit", label=_("Only the units that publish (stations)"),
                                             widget=forms.CheckboxInput, method="publishing")
    overdue = django_filters.BooleanFilter(method="with_overdue", label=_("Only units with overdue items"),
                                           widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(method="keep", label=_("Sort by"), choices=SORT_CHOICES, empty_label=None)

    class Meta:
        model = Unit
        fields = []

    def __init__(self, data, *, tree, **kwargs):
        self.tree = tree
        below = Unit.objects.filter(path__startswith=tree.root.unit["path"]).exclude(pk=tree.root.pk)
        super().__init__(data, queryset=below, **kwargs)
        below = tree.below()
        types = {f.unit["unit_type_id"]: f.unit["unit_type__name_th"] for f in below}
        levels = {}
        for f in below:
            levels.setdefault(f.unit["unit_type__level"], set()).add(f.unit["unit_type__name_th"])
        self.filters["type"].extra["choices"] = sorted(types.items(), key=lambda kv: kv[1])
        self.filters["level"].extra["choices"] = [(level, " / ".join(sorted(names))) for level, names in sorted(levels.items())]
        for name, field in self.form.fields.items():  # Bootstrap's look, set once here
            field.widget.attrs["class"] = {"q": "form-control form-control-sm", "overdue": "form-check-input",
                                           "publishes": "form-check-input"}.get(
                name, "form-select form-select-sm")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name_th__icontains=value) | Q(short_name_th__icontains=value) | Q(slug__icontains=value)
                               | Q(name_en__icontains=value))

    def in_band(self, queryset, name, value):
        return queryset.filter(pk__in=[f.pk for f in self.tree.below() if f.band == value])

    def publishing(self, queryset, name, value):
        return queryset.filter(unit_type__publishes_oit=True) if value else queryset  # unticked: every level

    def with_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=[f.pk for f in self.tree.below() if f.overdue > 0])

    def heading(self, queryset, name, value):
        return queryset  # on the figures, in rows(): no list of 1,500 ids in the query

    def keep(self, queryset, name, value):
        return queryset  # the rows are sorted on their figures: see rows()

    def rows(self) -> list:
        """The matching units' figures, sorted as asked (tree order by default)."""
        ids = list(self.qs.values_list("pk", flat=True))
        rows = [self.tree.by_id[pk] for pk in ids if pk in self.tree.by_id]
        outlook = self.form.cleaned_data.get("outlook") if self.is_valid() else None
        if outlook:
            rows = [f for f in rows if f.outlook in HEADING[outlook]]
        sort = (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "tree"
        rows.sort(key=lambda f: f.unit["path"])  # ties keep the tree order
        if sort != "tree":
            rows.sort(key=SORTS[sort.lstrip("-")][1], reverse=sort.startswith("-"))
        return rows
