"""Emergency takedown: the commander or the unit's admin withdraws a published file (say, one
with personal data) or a whole published period, with a reason, at once.

It works on what the public reads and nothing else: the approved snapshot (`period.published`)
loses the entries, so the public page, the open data, the search and the file URL (which serves
only revisions named in a snapshot) no longer have them; a changed published record is announced
on commit, so every cached page, ETag and sitemap part changes with it. The period returns to
draft for correction, and the audit log keeps who, when, why and what was withdrawn. A withdrawn
file also leaves the month's evidence (so the next approval cannot publish it again); withdrawing
the whole period keeps its evidence in the draft to be corrected.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oit_items.evidence import audit, edits, notifications
from oit_items.evidence.models import Evidence, ItemPeriod
from oit_items.evidence.signals import evidence_taken_down
from oit_items.evidence.workflow import WorkflowError
from units.signals import published_record_changed


def take_down(period: ItemPeriod, user, reason: str, evidence_ids=None, ip=None) -> list[dict]:
    """Withdraw the snapshot entries of `evidence_ids` (None: the whole period); returns them."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Say why it is taken down: the reason is kept in the audit log."))
    with transaction.atomic():
        period = ItemPeriod.objects.select_for_update(of=("self",)).select_related("unit", "item").get(pk=period.pk)
        wanted = None if evidence_ids is None else {int(pk) for pk in evidence_ids}
        withdrawn = [e for e in period.published if wanted is None or e["evidence"] in wanted]
        if not withdrawn:
            raise WorkflowError(_("Nothing of that is public in this period."))
        kept = [e for e in period.published if e not in withdrawn]
        if wanted is not None:
            _remove_withdrawn(period, withdrawn, user, reason, ip)
        audit.record(user, period.unit, "takedown", ip=ip, item_period=period, comment=reason, previous=period.state,
                     scope="period" if wanted is None else "files",
                     withdrawn=[{k: e.get(k) for k in ("evidence", "revision", "title", "original_name", "url")}
                                for e in withdrawn])
        # Nothing of the period public any more (version 0): the public pages no longer list it.
        period.move_to(ItemPeriod.RETURNED if period.state == ItemPeriod.RETURNED else ItemPeriod.DRAFT,
                       published=kept, published_version=period.published_version if kept else 0)
        unit = period.unit
        # Inside the transaction: the frozen ITAP record lets the files go with the takedown, or not at all.
        evidence_taken_down.send(sender=ItemPeriod, unit=unit, reason=reason, at=timezone.now(),
                                 revision_ids=[e["revision"] for e in withdrawn if e.get("revision")])
        transaction.on_commit(lambda: published_record_changed.send(sender=ItemPeriod, unit=unit))
        notifications.transition_happened(period.pk, "takedown", user.pk, reason)
    return withdrawn


def _remove_withdrawn(period, withdrawn, user, reason, ip) -> None:
    """The withdrawn files leave the draft too — unless a newer version has replaced them there."""
    for entry in withdrawn:
        evidence = (Evidence.objects.current().select_for_update(of=("self",)).select_related("item_period__unit")
                    .filter(pk=entry["evidence"], item_period=period).first())
        if evidence is None or (entry.get("revision") and evidence.current_revision_id != entry["revision"]):
            continue
        edits.mark_removed(evidence, user, reason, ip)
