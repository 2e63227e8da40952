"""Adding, replacing and removing evidence. Every change is audited and re-opens the period.

No lost edits: every change locks the period, then the evidence (always in that order, so two
changes never deadlock), and a change made from a form opened at an older `version` is refused
with `Conflict`, which says who changed what since. The change itself is written by a conditional
update (`UPDATE … SET version = N+1 WHERE pk = … AND version = N`, `_claim`): SQLite has no row
locks (`select_for_update` is a no-op there), so the version in the WHERE clause is what makes two
saves at the same moment take turns on every database. Revision numbers are taken after the claim, and
files are written only once the change is sure to go ahead, inside `stored.atomic()`, which
deletes them again if the transaction does not commit. The same file (SHA-256) uploaded again into
the same period is refused with `Duplicate` unless the uploader confirms it.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import stored, thaidate
from ita_portal.lib.uploads import ValidatedFile
from oit_items.evidence import audit, workflow
from oit_items.evidence.models import AuditEvent, Evidence, ItemPeriod, Revision

EDITABLE = ("title", "description", "about_date", "language", "is_news", "url", "reason")


class EvidenceError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class Conflict(EvidenceError):
    """Someone changed the evidence after the form was opened; `current` is how it is now."""

    def __init__(self, current: Evidence, events: list):
        self.current, self.events = current, events
        lines = [describe(event) for event in events] or [_("It was changed by someone else.")]
        super().__init__(_("“%(title)s” changed after you opened this page: %(changes)s") % {
            "title": current.title, "changes": "; ".join(lines)})

    @property
    def fields(self) -> dict:
        """{field: its value before the first change since the form was opened} of the edits."""
        before = {}
        for event in self.events:
            for name, value in (event.details.get("before") or {}).items():
                before.setdefault(name, value)
        return before


class Duplicate(EvidenceError):
    """Files already in the period (same SHA-256): [(uploaded name, evidence already there or None)]."""

    def __init__(self, pairs):
        self.pairs = pairs
        names = [_("“%(name)s” is the same file as “%(title)s”, already in this period") % {
            "name": name, "title": existing.title if existing else name} for name, existing in pairs]
        super().__init__(_("%(files)s. Upload it again only if a second copy is really meant.") % {"files": "; ".join(names)})


def field_label(name: str) -> str:
    return str(Evidence._meta.get_field(name).verbose_name)


def describe(event: AuditEvent) -> str:
    when = thaidate.thai_date(timezone.localtime(event.at).date(), "medium") + timezone.localtime(event.at).strftime(" %H:%M")
    what = event.action_label
    if event.action == "edit":
        what += " " + ", ".join(field_label(name) for name in event.details.get("before", {}))
    elif event.action == "replace" and event.details.get("file"):
        what += " (" + event.details["file"] + ")"
    return _("%(who)s %(what)s at %(when)s") % {"who": event.actor_name, "what": what, "when": when}


def changes_since(evidence: Evidence, version: int) -> list:
    return list(AuditEvent.objects.filter(evidence=evidence, details__version__gt=version).order_by("at", "pk"))


def _lock(evidence: Evidence, version: int | None) -> Evidence:
    """The evidence as stored now, locked after its period; Conflict if it moved past `version`."""
    ItemPeriod.objects.select_for_update().filter(pk=evidence.item_period_id).first()
    current = (Evidence.objects.select_for_update(of=("self",))
               .select_related("item_period__unit", "item_period__item__framework", "current_revision")
               .get(pk=evidence.pk))
    if version is not None and current.version != version:
        raise Conflict(current, changes_since(current, version))
    return current


def _claim(evidence: Evidence, version: int, **fields) -> None:
    """Write `fields` and move the version from `version` to `version + 1`, only if nobody else did
    since: Conflict otherwise (with who changed what). `evidence` is updated to match."""
    claimed = Evidence.objects.filter(pk=evidence.pk, version=version).update(version=version + 1, **fields)
    if not claimed:
        current = (Evidence.objects.select_related("item_period__unit", "item_period__item__framework", "current_revision")
                   .get(pk=evidence.pk))
        raise Conflict(current, changes_since(current, version))
    for name, value in fields.items():
        setattr(evidence, name, value)
    evidence.version = version + 1


def _store_revision(evidence: Evidence, validated: ValidatedFile, user) -> Revision:
    """Under the caller's lock of the evidence, so two replacements never take the same number."""
    number = (evidence.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision(
        evidence=evidence, number=number, original_name=validated.original_name, extension=validated.extension,
        format=validated.format, content_type=validated.content_type, size=validated.size, sha256=validated.sha256,
        page_count=validated.page_count, width=validated.width, height=validated.height, created_by=user,
    )
    stored.store(revision, validated)
    revision.save()
    evidence.current_revision = revision
    evidence.save(update_fields=["current_revision"])
    return revision


def _title_from(name: str) -> str:
    return name.rsplit(".", 1)[0][:300] or name


def duplicates(period: ItemPeriod, files: list[ValidatedFile]) -> list:
    """[(uploaded name, evidence already there or None for a repeat within the upload)]."""
    existing = {e.current_revision.sha256: e for e in Evidence.objects.current()
                .filter(item_period=period, kind=Evidence.FILE, current_revision__sha256__in=[f.sha256 for f in files])
                .select_related("current_revision")}
    found, seen = [], set()
    for validated in files:
        if validated.sha256 in existing:
            found.append((validated.original_name, existing[validated.sha256]))
        elif validated.sha256 in seen:
            found.append((validated.original_name, None))
        seen.add(validated.sha256)
    return found


def _locked_period(period: ItemPeriod) -> ItemPeriod:
    """The period under its row lock: two changes of its evidence take turns, the second sees the first."""
    return ItemPeriod.objects.select_for_update(of=("self",)).select_related("unit", "item").get(pk=period.pk)


def _refuse_beside_none(period: ItemPeriod) -> None:
    """A month that says "none" cannot hold evidence too: both would be published, contradicting each
    other. Under the period's lock, so a declaration made meanwhile is seen."""
    if Evidence.objects.current().filter(item_period=period, kind=Evidence.NONE).exists():
        raise EvidenceError(_("This period is declared as having none; remove that declaration before adding evidence."))


def add_files(period: ItemPeriod, files: list[ValidatedFile], meta: dict, user, ip=None,
              allow_duplicates: bool = False) -> list[Evidence]:
    with stored.atomic():
        # The period's lock makes two uploads of the same file take turns: the second sees the first.
        period = _locked_period(period)
        if files:  # adding nothing adds nothing beside a "none"
            _refuse_beside_none(period)
        if not allow_duplicates and (found := duplicates(period, files)):
            raise Duplicate(found)
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
                         file=revision.original_name, sha256=revision.sha256, size=revision.size, version=1)
            created.append(evidence)
        workflow.evidence_changed(period)
        return created


@transaction.atomic
def add_link(period: ItemPeriod, meta: dict, user, ip=None) -> Evidence:
    period = _locked_period(period)
    _refuse_beside_none(period)
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
    period = _locked_period(period)
    if Evidence.objects.current().filter(item_period=period).exists():
        raise EvidenceError(_("This period already has evidence; remove it before declaring that there is none."))
    evidence = Evidence.objects.create(
        item_period=period, kind=Evidence.NONE, created_by=user, title=_("None this period"), reason=reason,
        about_date=about_date,
    )
    audit.record(user, period.unit, "none", ip=ip, item_period=period, evidence=evidence, comment=reason)
    workflow.evidence_changed(period)
    return evidence


def replace_file(evidence: Evidence, validated: ValidatedFile, user, ip=None, version: int | None = None) -> Revision:
    with stored.atomic():
        evidence = _lock(evidence, version)
        if evidence.kind != Evidence.FILE or evidence.removed_at:
            raise EvidenceError(_("Only a current file can be replaced."))
        previous = evidence.current_revision
        _claim(evidence, evidence.version)  # before any file is written: a conflict stores nothing
        revision = _store_revision(evidence, validated, user)
        audit.record(user, evidence.item_period.unit, "replace", ip=ip, item_period=evidence.item_period, evidence=evidence,
                     file=revision.original_name, sha256=revision.sha256, replaced=previous.pk if previous else None,
                     version=evidence.version)
        workflow.evidence_changed(evidence.item_period)
        return revision


@transaction.atomic
def edit(evidence: Evidence, meta: dict, user, ip=None, version: int | None = None) -> Evidence:
    evidence = _lock(evidence, version)
    if evidence.removed_at:
        raise Conflict(evidence, changes_since(evidence, version or 0)[-1:])
    changed = {}
    for field in EDITABLE:
        if field in meta and getattr(evidence, field) != meta[field]:
            changed[field] = str(getattr(evidence, field))
            setattr(evidence, field, meta[field])
    if changed:
        # Never the file: a replacement may be under way.
        _claim(evidence, evidence.version, **{name: getattr(evidence, name) for name in changed})
        audit.record(user, evidence.item_period.unit, "edit", ip=ip, item_period=evidence.item_period,
                     evidence=evidence, before=changed, version=evidence.version)
        workflow.evidence_changed(evidence.item_period)
    return evidence


@transaction.atomic
def remove(evidence: Evidence, user, reason: str = "", ip=None, version: int | None = None) -> Evidence:
    """Removed evidence leaves the workspace but stays in the database, its files and its log."""
    if evidence.removed_at:
        return evidence
    evidence = _lock(evidence, None)
    if evidence.removed_at:  # removed meanwhile: what was asked is done
        return evidence
    if version is not None and evidence.version != version:
        raise Conflict(evidence, changes_since(evidence, version))
    mark_removed(evidence, user, reason, ip)
    workflow.evidence_changed(evidence.item_period)
    return evidence


def mark_removed(evidence: Evidence, user, reason: str = "", ip=None) -> None:
    """Take the evidence out of its period, audited. The caller holds the locks (the period's, then
    the evidence's) and then reopens the period once (a takedown removes several at a time)."""
    _claim(evidence, evidence.version, removed_at=timezone.now(), removed_by=user)
    audit.record(user, evidence.item_period.unit, "remove", ip=ip, item_period=evidence.item_period,
                 evidence=evidence, comment=reason, version=evidence.version)
