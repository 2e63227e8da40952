"""What the evidence workflow does when the rulebook announces a change (connected in oit_items.apps):
the stored readiness follows the framework's rules."""

from ita_portal.lib.queue import enqueue
from oit_items.evidence import readiness
from oit_items.evidence.models import Assignment


def copy_assignments(sender, item_ids, **kwargs) -> None:
    """A framework's items copied into a new year: every unit's assignments go with them."""
    Assignment.objects.copy_to_items(item_ids)


def refresh_requirements(sender, framework, **kwargs) -> None:
    """A new version may have changed the rules: every unit's stored readiness of it (a Celery job)."""
    enqueue("oit_items.tasks.refresh_framework_readiness", framework.pk)


def add_framework(sender, framework, **kwargs) -> None:
    """A framework copied into a new year (in a background job): its stored readiness, now."""
    readiness.refresh_framework(framework)
