import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from ita_portal.lib import thaidate
from oit_items.evidence.models import Assignment
from oit_items.rulebook import loading
from oit_items.rulebook.models import Framework, FrameworkExists, Item
from tests.conftest import IMMIGRATION_SEED, POLICE_SEED

FILES = {
    ("police_station", POLICE_SEED): 25,
    ("immigration_unit", IMMIGRATION_SEED): 24,
}


def compact(text):
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def seed_code(seed_title):
    """The code an OCR'd seed prints ("O๑", "๐๑๐", "○10") as O<n>."""
    prefix = re.match(r"\s*[O○๐0]([0-9๐-๙]+)", seed_title).group(1)
    return f"O{int(thaidate.from_thai_digits(prefix))}"


@pytest.mark.parametrize("unit_type, seed, count", [(t, s, c) for (t, s), c in FILES.items()])
def test_frameworks_match_the_seeds(db, seed_text, unit_type, seed, count):
    framework = Framework.objects.get(unit_type__code=unit_type, fiscal_year=2567)
    items = list(framework.items.order_by("number"))
    assert [i.code for i in items] == [f"O{n}" for n in range(1, count + 1)]
    text = compact(seed_text(seed))
    for item in items:
        assert compact(item.seed_title) in text, item.code
        assert seed_code(item.seed_title) == item.code
        seed_words = compact(re.sub(r"^\s*[O○๐0][0-9๐-๙]+", "", item.seed_title))
        assert compact(item.title_th).startswith(seed_words), item.code
        assert item.title_en and item.guidance_th and item.sub_requirements, item.code


def test_monthly_items_carry_machine_checkable_rules(db):
    police = {i.code: i for i in Item.objects.filter(framework__unit_type__code="police_station")}
    immigration = {i.code: i for i in Item.objects.filter(framework__unit_type__code="immigration_unit")}
    assert police["O7"].months == [10, 11, 12, 1, 2, 3]
    assert police["O7"].rule("formats")["all_of"] == [["pdf"], ["docx"]]
    assert police["O11"].rule("formats")["all_of"] == [["pdf"], ["xlsx", "docx"]]
    assert police["O15"].rule("periods")["none_allowed"] is True
    assert police["O18"].rule("languages")["required"] == ["th", "en"]
    assert police["O19"].rule("min_count") == {"type": "min_count", "kind": "news", "count": 3}
    assert immigration["O6"].rule("min_count")["count"] == 4
    assert immigration["O8"].rule("languages")["required"] == ["th", "en"]
    assert {i.topic for i in police.values()} - {i.topic for i in immigration.values()} == {"oversight_committee"}


def test_loading_again_changes_nothing(db):
    before = list(Item.objects.order_by("pk").values_list("pk", "title_th"))
    results = loading.load_all()
    assert {r.status for r in results} == {"unchanged"}
    assert list(Item.objects.order_by("pk").values_list("pk", "title_th")) == before


def _edited_copy(tmp_path, version, edit):
    source = Path(loading.FRAMEWORK_DIR) / "police_station-2567.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["version"] = version
    edit(data)
    target = tmp_path / source.name
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_newer_version_updates_in_place_and_keeps_attachments(db, station, tmp_path):
    o7 = Item.objects.get(framework__unit_type__code="police_station", framework__fiscal_year=2567, code="O7")
    assignment = Assignment.objects.get(unit=station, item=o7)
    responsible = set(assignment.responsible.all())

    def edit(data):
        data["items"][6]["title_en"] = "Monthly operations report (revised)"
        data["items"] = [i for i in data["items"] if i["code"] != "O25"]

    result = loading.load_file(_edited_copy(tmp_path, 3, edit))
    assert (result.status, result.updated, result.retired) == ("updated", 24, 1)
    o7.refresh_from_db()
    assert o7.title_en == "Monthly operations report (revised)"
    assert set(Assignment.objects.get(pk=assignment.pk).responsible.all()) == responsible
    o25 = Item.objects.get(framework=o7.framework, code="O25")
    assert o25.retired and Assignment.objects.filter(item=o25).exists()
    assert Item.objects.for_unit(station, 2567).count() == 24
    # An older file never downgrades what is loaded.
    assert loading.load_file(Path(loading.FRAMEWORK_DIR) / "police_station-2567.yaml").status == "older"


def test_unknown_rule_type_is_refused(db, tmp_path):
    def edit(data):
        data["items"][0]["rules"] = [{"type": "formatz", "all_of": [["pdf"]]}]

    with translation.override("en"), pytest.raises(loading.FrameworkFileError, match="unknown rule type"):
        loading.load_file(_edited_copy(tmp_path, 9, edit))
    assert Framework.objects.get(unit_type__code="police_station", fiscal_year=2567).version == 2


def test_clone_gives_a_complete_copy(db, station):
    source = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)
    clone = source.clone_to(2568)
    old = list(source.items.order_by("number"))
    new = list(clone.items.order_by("number"))
    assert len(new) == 25
    for a, b in zip(old, new):
        assert (a.code, a.title_th, a.title_en, a.guidance_th, a.sub_requirements, a.topic) == (
            b.code, b.title_th, b.title_en, b.guidance_th, b.sub_requirements, b.topic
        )
        assert [r["type"] for r in a.rules] == [r["type"] for r in b.rules]
    o19 = clone.items.get(code="O19")
    assert o19.rule("about_date")["from"] == "2024-10-01"  # moved with the fiscal year
    old_assignments = Assignment.objects.for_unit(station, 2567)
    new_assignments = {a.item.code: a for a in Assignment.objects.for_unit(station, 2568)}
    assert len(new_assignments) == 25
    for assignment in old_assignments:
        copy = new_assignments[assignment.item.code]
        assert set(copy.responsible.all()) == set(assignment.responsible.all())
        assert set(copy.controllers.all()) == set(assignment.controllers.all())
    assert source.clone_to(2568) == clone  # idempotent: a retried job changes nothing
    assert clone.items.count() == 25


def test_clone_refuses_to_overwrite_a_different_framework(db):
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)
    police.clone_to(2568)
    later = max(Framework.objects.values_list("fiscal_year", flat=True)) + 3  # never the demo's current year
    other = Framework.objects.create(unit_type=police.unit_type, fiscal_year=later, title_th="x")
    with pytest.raises(FrameworkExists):
        police.clone_to(later)
    assert other.items.count() == 0


def test_clone_command_takes_be_years(db):
    call_command("clone_framework", "๒๕๖๗", stdout=open("/dev/null", "w"))
    assert Framework.objects.filter(fiscal_year=2568).count() == 2
    with pytest.raises(CommandError, match="Christian Era"):
        call_command("clone_framework", "2024")
    with pytest.raises(CommandError, match="No framework"):
        call_command("clone_framework", "2580")
