"""The open-data datasets as rows: one per publishing unit and fiscal year, paged and filtered in the
database, for the CKAN-compatible API (ckan.py) and the DCAT catalogue in RDF (dcat.py).

A dataset is a join of a publishing unit with each framework of its unit type, so a page of
datasets is one query (and its total one more) whatever the number of units; the items of the
page's frameworks are one query more. Non-publishing units are never datasets.

What the portal knows fills the metadata: when the year's framework came (created) and the newest
of the unit's publication stamp and the framework's last change (modified: an approval, a
takedown or an item's new title all move it). What it cannot know comes from settings.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import DateTimeField, F, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from oit_items.public import catalogue
from oit_items.rulebook.models import Item
from units.models import Unit

NAME = re.compile(r"^(?P<slug>[a-z0-9_-]+)-oit-(?P<year>\d{4})$")


def dataset_name(slug: str, fiscal_year: int) -> str:
    """CKAN's name (lower case, digits, - and _): also its id, so either finds it."""
    return f"{slug.lower()}-oit-{fiscal_year}"


def parse_name(name: str):
    found = NAME.match((name or "").strip().lower())
    return (found["slug"], int(found["year"])) if found else (None, None)


def rows():
    """Every dataset as a Unit with `fiscal_year`, `framework_id`, `created` and `modified`."""
    framework_updated = F("unit_type__frameworks__updated_at")
    return (Unit.objects.filter(unit_type__publishes_oit=True).select_related("unit_type")
            .annotate(fiscal_year=F("unit_type__frameworks__fiscal_year"),
                      framework_id=F("unit_type__frameworks__id"),
                      created=F("unit_type__frameworks__created_at"),
                      modified=Greatest(Coalesce("published_at", framework_updated), framework_updated,
                                        output_field=DateTimeField()))
            .filter(fiscal_year__isnull=False))


def ordered(queryset, sort: str = ""):
    """CKAN's `sort` ("metadata_modified desc", "name asc", …). Anything else — "id asc" too, as
    ids are names here — is name order: a total order, so that paging never skips or repeats."""
    field, _, direction = (sort or "").strip().partition(" ")
    prefix = "-" if direction.strip().lower() == "desc" else ""
    if field == "metadata_modified":
        return queryset.order_by(f"{prefix}modified", "slug", "fiscal_year")
    if field == "metadata_created":
        return queryset.order_by(f"{prefix}created", "slug", "fiscal_year")
    return queryset.order_by(f"{prefix}slug", f"{prefix}fiscal_year")


def matching(queryset, words: str):
    """Every word of a free-text query in the unit's names, its slug or the fiscal year."""
    for word in (words or "").split():
        if word in ("*:*", "*"):
            continue
        condition = Q(name_th__icontains=word) | Q(name_en__icontains=word) | Q(slug__icontains=word)
        if word.isdigit():
            condition |= Q(fiscal_year=int(word))
        queryset = queryset.filter(condition)
    return queryset


def one(name: str):
    """The dataset called `name`, or None."""
    slug, year = parse_name(name)
    if slug is None:
        return None
    return rows().filter(slug__iexact=slug, fiscal_year=year).first()


def items_of(datasets) -> dict:
    """{framework id: [items in order]} for these datasets: one query."""
    found = {}
    ids = {d.framework_id for d in datasets}
    for item in Item.objects.filter(framework_id__in=ids, retired=False).order_by("number"):
        found.setdefault(item.framework_id, []).append(item)
    return found


# ---- metadata -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    url: str


def contact(unit) -> Contact:
    """Who answers for the data: the unit (its e-mail, else the portal's open-data address), and its
    page for questions, which every unit has."""
    email = unit.email or settings.OPEN_DATA_CONTACT_EMAIL
    return Contact(unit.name_th, email, absolute(reverse("public-questions", args=[unit.slug])))


def absolute(path: str) -> str:
    return catalogue.absolute(path)


def title(unit, fiscal_year: int) -> str:
    return f"{unit.name_th} · OIT {fiscal_year}"


def notes(unit, fiscal_year: int) -> str:
    return (f"ข้อมูลสาธารณะตามแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ของ{unit.name_th} ปีงบประมาณ {fiscal_year}: "
            "หน้าของแต่ละข้อ ข้อมูล JSON และ CSV เฉพาะหลักฐานที่ผู้บังคับบัญชาอนุมัติแล้ว / "
            f"The OIT disclosures of {unit.name_en or unit.name_th} for fiscal year {fiscal_year} (BE); "
            "approved evidence only.")


def keywords(unit, fiscal_year: int) -> list[str]:
    return ["ITA", "OIT", "การเปิดเผยข้อมูลสาธารณะ", "คุณธรรมและความโปร่งใส", unit.unit_type.name_th,
            f"ปีงบประมาณ {fiscal_year}"]


LICENCES = {  # the licence's address → the value DGA's thai_gdc `license_id` lists for it
    "creativecommons.org/licenses/by/": "Creative Commons Attributions",
    "creativecommons.org/licenses/by-sa/": "Creative Commons Attribution Share-Alike",
    "opendatacommons.org/licenses/": "Open Data Common",
}


def licence_id() -> str:
    url = catalogue.licence()
    return next((value for key, value in LICENCES.items() if key in url), "อื่นๆ")


def monthly(items) -> bool:
    return any(item.is_monthly for item in items)


def thai_gdc(unit, fiscal_year: int, items, created, modified) -> dict:
    """The DGA's `thai_gdc` metadata of a dataset, under its own keys and with its own values."""
    who = contact(unit)
    return {
        "data_type": "ข้อมูลระเบียน",
        "objective": ["เพื่อการให้บริการประชาชน", "กฎหมายที่เกี่ยวข้อง"],
        "update_frequency_unit": "เดือน" if monthly(items) else "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "อื่นๆ", "geo_coverage_other": f"พื้นที่รับผิดชอบของ{unit.name_th}",
        "data_source": unit.name_th,
        "data_format": ["HTML", "JSON", "CSV"],
        "data_category": "ข้อมูลสาธารณะ",
        "license_id": licence_id(),
        "maintainer": who.name, "maintainer_email": who.email,
        "allow_harvest": "True",
        "accessible_condition": settings.OPEN_DATA_ACCESSIBLE_CONDITION,
        "data_language": ["ไทย"],
        "created_date": created.date().isoformat() if created else None,
        "last_updated_date": modified.date().isoformat() if modified else None,
    }
