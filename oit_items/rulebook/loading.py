"""Load the framework data files (oit_items/rulebook/frameworks/*.yaml) into the database.

Idempotent: loading the same version again changes nothing. A higher `version` updates the
framework in place: items are matched by code, updated, added; items gone from the file are
marked retired, never deleted, so assignments and evidence attached to them survive.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from oit_items.rulebook import rules as rule_types
from oit_items.rulebook import scoring, signals
from oit_items.rulebook.models import Framework, Item
from units.models import UnitType

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"
ITEM_FIELDS = ("topic", "seed_title", "title_th", "title_en", "guidance_th", "guidance_en", "sub_requirements", "scoring")


class FrameworkFileError(ValueError):
    pass


@dataclass
class LoadResult:
    framework: Framework
    status: str  # created | updated | unchanged | older
    added: int = 0
    updated: int = 0
    retired: int = 0

    def __str__(self):
        fw = self.framework
        return f"{fw.unit_type.code} {fw.fiscal_year} v{fw.version}: {self.status} (+{self.added} ~{self.updated} -{self.retired})"


def check_item(entry: dict) -> dict[str, str]:
    """What the loader refuses in one item, as {field: message}; normalises `rules` in place.
    The staff framework editor checks every edit with this too."""
    errors = {}
    if not str(entry.get("code", "")).startswith("O"):
        errors["code"] = _("the code must be O followed by a number, e.g. O7")
    for name, message in (("topic", _("the topic is missing")), ("title_th", _("the Thai title is missing"))):
        if not entry.get(name):
            errors[name] = message
    try:
        entry["rules"] = rule_types.normalise(entry.get("rules", []))
    except rule_types.RuleError as exc:
        errors["rules"] = str(exc)
    try:
        entry["scoring"] = scoring.normalise_item(entry.get("scoring"))
    except scoring.ScoringError as exc:
        errors["scoring"] = str(exc)
    return errors


def check_items(items: list[dict]) -> list[tuple[str, str, str]]:
    """[(item code, field, message)] for a whole list of items: each item, and unique codes."""
    problems = []
    seen = set()
    for entry in items:
        code = str(entry.get("code", ""))
        if code in seen:
            problems.append((code, "code", _("the code %(code)s is used twice") % {"code": code}))
        seen.add(code)
        problems += [(code, name, message) for name, message in check_item(entry).items()]
    return problems


def read_file(path: Path) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != 1:
        raise FrameworkFileError(f"{path}: not a schema-1 framework file")
    for key in ("unit_type", "fiscal_year", "version", "title_th", "items"):
        if key not in data:
            raise FrameworkFileError(f"{path}: missing {key}")
    try:
        data["scoring"] = scoring.normalise_framework(data.get("scoring"), data["fiscal_year"])
    except scoring.ScoringError as exc:
        raise FrameworkFileError(f"{path}: {exc}")
    problems = check_items(data["items"])
    if problems:
        code, name, message = problems[0]
        raise FrameworkFileError(f"{path}: item {code} {name}: {message}")
    return data


@transaction.atomic
def load_file(path: Path) -> LoadResult:
    data = read_file(path)
    try:
        unit_type = UnitType.objects.get(code=data["unit_type"])
    except UnitType.DoesNotExist:
        raise FrameworkFileError(f"{path}: unknown unit type {data['unit_type']!r}")
    framework = Framework.objects.filter(unit_type=unit_type, fiscal_year=data["fiscal_year"]).first()
    if framework is not None and framework.version >= data["version"]:
        status = "unchanged" if framework.version == data["version"] else "older"
        return LoadResult(framework, status)
    status = "created" if framework is None else "updated"
    framework = framework or Framework(unit_type=unit_type, fiscal_year=data["fiscal_year"])
    framework.version = data["version"]
    framework.title_th = data["title_th"]
    framework.title_en = data.get("title_en", "")
    framework.source = data.get("source", "")
    framework.data_file = Path(path).name
    framework.scoring = data["scoring"]
    framework.save()
    return sync_items(framework, data["items"], status)


def sync_items(framework, items, status) -> LoadResult:
    result = LoadResult(framework, status)
    existing = {item.code: item for item in framework.items.all()}
    for number, entry in enumerate(items, start=1):
        item = existing.pop(entry["code"], None)
        if item is None:
            item = Item(framework=framework, code=entry["code"])
            result.added += 1
        else:
            result.updated += 1
        item.number = number
        item.rules = entry["rules"]
        item.retired = False
        for field in ITEM_FIELDS:
            setattr(item, field, entry.get(field, {"sub_requirements": [], "scoring": {}}.get(field, "")))
        item.save()
    for item in existing.values():
        if not item.retired:
            item.retired = True
            item.save(update_fields=["retired"])
            result.retired += 1
    requirements_changed(framework)
    return result


def requirements_changed(framework) -> None:
    """The items' texts and rules changed: announced, so that the public pages that show them are
    rendered again and the search entries and stored readiness rebuilt once this is committed."""
    signals.requirements_changed.send(sender=Framework, framework=framework)


def framework_added(framework) -> None:
    """A framework copied into a new year has committed (a Celery job or a command, not a web
    request): announced, so that its items go into the search, its stored readiness is computed and
    the pages that list the years are rendered again — here and now, as the caller is a background job."""
    signals.framework_added.send(sender=Framework, framework=framework)


def load_all(directory: Path = FRAMEWORK_DIR) -> list[LoadResult]:
    return [load_file(path) for path in sorted(Path(directory).glob("*.yaml"))]
