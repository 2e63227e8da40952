"""What the assessment does when a part below it announces a change (connected in AssessmentConfig.ready):
the stored predicted verdicts and score of the unit, or of a framework's units, follow.

`published_record_changed` is sent once the approval or takedown is committed (on_commit): the refresh
then reads what the change left, in a transaction of its own. `unit_details_changed` queues the refresh
as a job (after the commit), so that saving contacts does not wait for it. A failure there must not turn a committed approval into an error
page: it is logged and the same refresh goes to a Celery job, retried (the nightly refresh and
`rebuild_scores --check` are the last nets)."""

import logging

from django.db import DatabaseError

from ita_portal.lib.queue import enqueue
from oit_items.assessment import freezing, panels, scores
from oit_items.evidence import my_work
from oit_items.evidence import signals as evidence
from oit_items.rulebook import signals as rulebook
from units import signals as units

log = logging.getLogger(__name__)


def refresh_unit(sender, unit, **kwargs) -> None:
    try:
        scores.refresh_unit(unit)
    except DatabaseError:
        log.exception("predicted score of unit %s not refreshed; queued", unit.pk)
        enqueue("oit_items.tasks.refresh_unit_scores", unit.pk)


def refresh_unit_later(sender, unit, **kwargs) -> None:
    """Contacts or emblem saved: the score (O5 reads the contact details) follows in a job after the
    commit, not inside the save."""
    enqueue("oit_items.tasks.refresh_unit_scores", unit.pk)


def refresh_framework(sender, framework, **kwargs) -> None:
    """New rules or points, or a new year: every unit of the framework's type (a Celery job)."""
    enqueue("oit_items.tasks.refresh_framework_scores", framework.pk)


def connect() -> None:
    """Called once by AssessmentConfig.ready()."""
    units.published_record_changed.connect(refresh_unit, dispatch_uid="assessment-published")
    units.unit_details_changed.connect(refresh_unit_later, dispatch_uid="assessment-details")
    rulebook.requirements_changed.connect(refresh_framework, dispatch_uid="assessment-requirements")
    rulebook.framework_added.connect(refresh_framework, dispatch_uid="assessment-framework")
    # The record as submitted to ITAP follows a PDPA takedown.
    evidence.evidence_taken_down.connect(freezing.on_evidence_taken_down, dispatch_uid="itap-record-takedown")
    # The commander's "my work" shows the predicted score of their units (evidence is below us).
    if panels.commander_scores not in my_work.PANELS:
        my_work.PANELS.append(panels.commander_scores)
