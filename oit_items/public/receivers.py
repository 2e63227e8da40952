"""What the public side does when a part below it announces a change (connected in oit_items.apps):
render again, and index again only where the indexed text may have changed."""

from django.db import transaction

from ita_portal.lib import pagecache
from ita_portal.lib.queue import enqueue
from oit_items.public import publication, search
from oit_items.public.models import SearchIndexState


def refresh_published_record(sender, unit, **kwargs) -> None:
    """An approval or a takedown: every page of the unit, and its search index (a Celery job)."""
    publication.new_stamp(unit)
    enqueue("oit_items.tasks.rebuild_search_index", unit.pk)


def refresh_unit_pages(sender, unit, **kwargs) -> None:
    """Contacts, head, emblem or EIT address: every page of the unit, never the index — it holds none of
    them, so an index that was up to date stays so (it would otherwise read "updating" for nothing).
    Nor does a unit never indexed get its first build here: with Celery in-process (`make run`) that
    build ran inside the save (6 s: the Thai word analyser loading). Its first publication builds it
    (`refresh_published_record`); until then it has nothing of its own to index (`search.state`)."""
    _new_stamp_keeping_the_index(unit)


def refresh_record_pages(sender, unit, **kwargs) -> None:
    """A year frozen as submitted to ITAP: the live item pages link to it. Pages only, never an index build."""
    _new_stamp_keeping_the_index(unit)


def _new_stamp_keeping_the_index(unit) -> bool:
    """A new publication stamp for the unit's pages; an index that was up to date stays so. True if it was."""
    before = type(unit).objects.filter(pk=unit.pk).values_list("published_at", flat=True).first()
    with transaction.atomic():
        now = publication.new_stamp(unit)
        return bool(SearchIndexState.objects.filter(unit_id=unit.pk, stamp=search.index_stamp(before)).update(
            stamp=search.index_stamp(now)))


def refresh_requirements(sender, framework, **kwargs) -> None:
    """New texts of a framework's items: the pages that show them (once committed) and the shared
    search entries (a Celery job)."""
    transaction.on_commit(lambda: pagecache.touch_live(publication.FRAMEWORKS, "*"))
    enqueue("oit_items.tasks.index_framework", framework.pk)


def add_framework(sender, framework, **kwargs) -> None:
    """A framework copied into a new year (in a background job): its items go into the search now and
    the pages that list the years are rendered again."""
    search.refresh_items(list(framework.items.filter(retired=False)))
    pagecache.touch_live(publication.FRAMEWORKS, "*")
