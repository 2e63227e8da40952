"""The search index (imported by models.py): built by a Celery job after each publication, read by
the search page (oit_items/search.py)."""

from django.db import models
from django.db.models import Q


class SearchEntryQuerySet(models.QuerySet):
    def of_unit(self, unit, items):
        """The unit's entries of these items and their shared entries. Each arm of the OR names the
        unit (or no unit), so both are read through an index that leads with the unit (the planner
        picks (unit, item) or the unit's own): a query for one unit reads its rows and the shared
        ones, not every unit's rows of each item."""
        return self.filter(Q(unit=unit, item__in=items) | Q(unit=None, item__in=items))


class SearchEntry(models.Model):
    """One searchable text with its word boundaries. An item's requirements (title, guidance,
    sub-requirements) are the same for every unit of its framework: one entry with no unit. Each
    approved evidence of a unit is an entry of that unit."""

    item = models.ForeignKey("oit_items.Item", on_delete=models.CASCADE, related_name="search_entries")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, null=True, related_name="search_entries")
    month = models.DateField(null=True)
    kind = models.CharField(max_length=4)  # item, file, link, none
    revision = models.PositiveIntegerField(null=True)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField()  # what is shown: the title, a line break, the rest
    text = models.TextField()  # body normalised character for character (same length): what is matched
    starts = models.JSONField(default=list)  # offsets where a word (or a word inside a compound) starts
    ends = models.JSONField(default=list)  # ... and where one ends
    prefix_ends = models.JSONField(default=list)  # syllable ends inside words: where a word prefix may end
    source = models.CharField(max_length=64, blank=True)  # items: hash of what the entry was built from

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item"], condition=Q(unit__isnull=True), name="one_search_entry_per_item")]
        indexes = [models.Index(fields=["unit", "item"], name="search_entry_unit_item")]


class SearchIndexState(models.Model):
    """Which publication of the unit its evidence entries were built from: the search page says
    that the index is being brought up to date while this differs from the current stamp."""

    unit = models.OneToOneField("units.Unit", on_delete=models.CASCADE, related_name="search_index")
    stamp = models.CharField(max_length=64)
    built_at = models.DateTimeField()
