"""Adding, replacing and removing evidence. Every change is audited and re-opens the period."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, workflow
from .models import Evidence, ItemPeriod, Revision
from .uploads import ValidatedFile


class EvidenceError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _store_revision(evidence: Evidence, validated: ValidatedFile, user) -> Revision:
    number = (evidence.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision(
        evidence=evidence, number=number, original_name=validated.original_name, extension=validated.extension,
        format=validated.format, content_type=validated.content_type, size=validated.size, sha256=validated.sha256,
        page_count=validated.page_count, width=validated.width, height=validated.height, created_by=user,
    )
    revision.file.save(f"upload.{validated.extension}", ContentFile(validated.content), save=False)
    if validated.thumbnail:
        revision.thumbnail.save("thumb.jpg", ContentFile(validated.thumbnail), save=False)
    revision.save()
    evidence.current_revision = revision
    evidence.save(update_fields=["current_revision"])
    return revision


def _title_from(name: str) -> str:
    return name.rsplit(".", 1)[0][:300] or name


@transaction.atomic
def add_files(period: ItemPeriod, files: list[ValidatedFile], meta: dict, user, ip=None) -> list[Evidence]:
    created = []
    for validated in files:
        evidence = Evidence.objects.create(
            item_period=period, kind=Evidence.FILE, created_by=user,
            title=meta.get("title") if len(files) == 1 and meta.get("title") else _title_from(validated.original_name),
            description=meta.get("description", ""), about_date=meta["about_date"],
            language=meta.get("language", "th"), is_news=meta.get("is_news", False),
        )
        revision = _store_revision(evidence, validated, user)
        audit.record(user, period.unit, "upload", ip=ip, item_period=period, evidence=evidence,
                     file=revision.original_name, sha256=revision.sha256, size=revision.size)
        created.append(evidence)
    workflow.evidence_changed(period)
    return created


@transaction.atomic
def add_link(period: ItemPeriod, meta: dict, user, ip=None) -> Evidence:
    evidence = Evidence.objects.create(
        item_period=period, kind=Evidence.LINK, created_by=user, title=meta["title"], url=meta["url"],
        description=meta.get("description", ""), about_date=meta["about_date"],
        language=meta.get("language", "th"), is_news=meta.get("is_news", False),
    )
    audit.record(user, period.unit, "link", ip=ip, item_period=period, evidence=evidence, url=evidence.url)
    workflow.evidence_changed(period)
    return evidence


@transaction.atomic
def declare_none(period: ItemPeriod, reason: str, about_date, user, ip=None) -> Evidence:
    if not period.item.none_allowed:
        raise EvidenceError(_("This item does not accept a “none this period” declaration; it needs evidence."))
    if Evidence.objects.current().filter(item_period=period).exists():
        raise EvidenceError(_("This period already has evidence; remove it before declaring that there is none."))
    evidence = Evidence.objects.create(
        item_period=period, kind=Evidence.NONE, created_by=user, title=_("None this period"), reason=reason,
        about_date=about_date,
    )
    audit.record(user, period.unit, "none", ip=ip, item_period=period, evidence=evidence, comment=reason)
    workflow.evidence_changed(period)
    return evidence


@transaction.atomic
def replace_file(evidence: Evidence, validated: ValidatedFile, user, ip=None) -> Revision:
    if evidence.kind != Evidence.FILE or evidence.removed_at:
        raise EvidenceError(_("Only a current file can be replaced."))
    previous = evidence.current_revision
    revision = _store_revision(evidence, validated, user)
    audit.record(user, evidence.item_period.unit, "replace", ip=ip, item_period=evidence.item_period, evidence=evidence,
                 file=revision.original_name, sha256=revision.sha256, replaced=previous.pk if previous else None)
    workflow.evidence_changed(evidence.item_period)
    return revision


@transaction.atomic
def edit(evidence: Evidence, meta: dict, user, ip=None) -> Evidence:
    changed = {}
    for field in ("title", "description", "about_date", "language", "is_news", "url", "reason"):
        if field in meta and getattr(evidence, field) != meta[field]:
            changed[field] = str(getattr(evidence, field))
            setattr(evidence, field, meta[field])
    if changed:
        evidence.save()
        audit.record(user, evidence.item_period.unit, "edit", ip=ip, item_period=evidence.item_period,
                     evidence=evidence, before=changed)
        workflow.evidence_changed(evidence.item_period)
    return evidence


@transaction.atomic
def remove(evidence: Evidence, user, reason: str = "", ip=None) -> Evidence:
    """Removed evidence leaves the workspace but stays in the database, its files and its log."""
    if evidence.removed_at:
        return evidence
    evidence.removed_at = timezone.now()
    evidence.removed_by = user
    evidence.save(update_fields=["removed_at", "removed_by"])
    audit.record(user, evidence.item_period.unit, "remove", ip=ip, item_period=evidence.item_period,
                 evidence=evidence, comment=reason)
    workflow.evidence_changed(evidence.item_period)
    return evidence
