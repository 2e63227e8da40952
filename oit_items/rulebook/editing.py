"""Editing a framework in the staff UI: a draft in the data files' shape, checked by the same
validation as the YAML loader (loading.check_item / check_items), published as a new version
through the loader's own item sync, with a record of what changed for the units to read."""

from django.db import transaction
from django.utils.translation import gettext as _

from oit_items.rulebook import loading
from oit_items.rulebook.models import Framework, FrameworkDraft, FrameworkRelease

ENTRY_FIELDS = ("code", "topic", "seed_title", "title_th", "title_en", "guidance_th", "guidance_en", "sub_requirements",
                "rules", "scoring")
COMPARED = ("topic", "title_th", "title_en", "guidance_th", "guidance_en", "sub_requirements", "rules")


class PublishError(Exception):
    def __init__(self, message, problems=()):
        super().__init__(message)
        self.message, self.problems = message, list(problems)


def entry_of(item) -> dict:
    return {**{name: getattr(item, name) for name in ENTRY_FIELDS}, "retired": item.retired}


def draft_for(framework: Framework, user) -> FrameworkDraft:
    """The framework's draft, started from what is published when there is none."""
    draft = FrameworkDraft.objects.filter(framework=framework).first()
    if draft is None:
        items = [entry_of(i) for i in framework.items.order_by("retired", "number")]
        draft = FrameworkDraft.objects.create(framework=framework, base_version=framework.version, items=items, updated_by=user)
    return draft


def save_entry(draft, entry: dict, user, code: str | None = None) -> None:
    """Replace the entry `code` (or add a new one at the end)."""
    entries = [e for e in draft.items if e["code"] != code] if code else list(draft.items)
    position = next((i for i, e in enumerate(draft.items) if e["code"] == code), len(entries)) if code else len(entries)
    entries.insert(position, entry)
    draft.items, draft.updated_by = entries, user
    draft.save()


def set_retired(draft, code: str, retired: bool, user) -> None:
    for entry in draft.items:
        if entry["code"] == code:
            entry["retired"] = retired
    draft.updated_by = user
    draft.save()


def changes(framework: Framework, draft: FrameworkDraft) -> list[dict]:
    """[{code, change: added|retired|restored|edited, fields, title}] from the published items to the draft."""
    published = {item.code: item for item in framework.items.all()}
    found = []
    for entry in draft.items:
        item = published.get(entry["code"])
        title = entry.get("title_th", "")
        if item is None:
            if not entry.get("retired"):
                found.append({"code": entry["code"], "change": "added", "fields": [], "title": title})
            continue
        if entry.get("retired") != item.retired:
            found.append({"code": item.code, "change": "retired" if entry.get("retired") else "restored", "fields": [], "title": title})
            continue
        edited = [name for name in COMPARED if entry.get(name) != getattr(item, name)]
        if edited and not item.retired:
            found.append({"code": item.code, "change": "edited", "fields": edited, "title": title})
    return found


@transaction.atomic
def publish(framework: Framework, user, note: str = "", final: bool = False) -> FrameworkRelease:
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    draft = FrameworkDraft.objects.filter(framework=framework).first()
    if draft is None:
        raise PublishError(_("There is no draft to publish."))
    if draft.base_version != framework.version:
        raise PublishError(_("Version %(version)s was published after this draft was started; discard the draft and edit again.")
                           % {"version": framework.version})
    active = [{name: entry.get(name) for name in ENTRY_FIELDS} for entry in draft.items if not entry.get("retired")]
    problems = loading.check_items(active)
    if problems:
        raise PublishError(_("The draft has problems; nothing was published."), problems)
    found = changes(framework, draft)
    if not found and not (final and framework.provisional):
        raise PublishError(_("The draft changes nothing; there is nothing to publish."))
    framework.version += 1
    if final:
        framework.provisional = False
    framework.save()
    loading.sync_items(framework, active, "updated")
    release = FrameworkRelease.objects.create(framework=framework, version=framework.version, published_by=user,
                                              note=note, changes=found, final=final)
    draft.delete()
    return release
