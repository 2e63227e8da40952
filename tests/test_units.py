import io
import re

import pytest
from django.core.management import call_command

from oit_items import demo
from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from tests.conftest import IMMIGRATION_SEED, POLICE_SEED
from units import handover
from units.models import Officer, Role, Unit, UnitType


def compact(text):
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize(
    "key, expected",
    [
        ("bk-wittaya", "พ.ต.ท.วิทยา ภูษะมา"),
        ("bk-chatchai", "ด.ต.ชาติชาย เจียมประเสริฐ"),
        ("bg-kitichom", "พ.ต.ท.หญิง กิติโฉม ศรีพัฒนานนท์"),
        ("bg-chutikorn", "ว่าที่ พ.ต.ท.หญิง ชุติกร ลิ้มวิเศษศักดิ์"),
        ("bg-jatuporn", "ว่าที่ พ.ต.อ.จตุพร เนวะมาตย์"),
    ],
)
def test_officers_are_named_the_thai_way(db, key, expected):
    assert Officer.objects.get(key=key).display_name == expected


def test_english_display_name(db):
    officer = Officer.objects.get(key="bk-wittaya")
    officer.first_name_en, officer.last_name_en = "Wittaya", "Phusama"
    assert officer.display_name_en == "Pol.Lt.Col. Wittaya Phusama"


def test_units_form_a_tree(db, station):
    assert [u.slug for u in Unit.objects.filter(pk__in=station.ancestor_ids).order_by("path")] == [
        "rtp", "mpb", "mpd-4", "sn-buengkum"
    ]
    rtp = Unit.objects.get(slug="rtp")
    assert Unit.objects.subtree_of(rtp).count() == Unit.objects.count()
    assert station.head.display_name == "พ.ต.อ.อิทธิวัฒน์ นุชถาวร"
    assert Unit.objects.get(slug="imm-buengkan").head.key == "bg-jatuporn"


def test_moving_a_unit_moves_its_subtree(db):
    division = Unit.objects.get(slug="mpd-4")
    new_parent = Unit.objects.get(slug="imm-bureau")
    division.parent = new_parent
    division.save()
    station = Unit.objects.get(slug="sn-buengkum")
    assert station.path.startswith(new_parent.path)
    assert Unit.objects.subtree_of(new_parent).filter(slug="sn-buengkum").exists()


def test_a_unit_cannot_go_under_its_own_subtree(db, station):
    division = Unit.objects.get(slug="mpd-4")
    division.parent = station
    with pytest.raises(Exception):
        division.full_clean()


def _item_sections(seed, items):
    """Each item's slice of the seed: from its title to the next item's title."""
    starts = [(seed.index(compact(i.seed_title)), i.code) for i in items]
    starts.sort()
    bounds = starts[1:] + [(len(seed), None)]
    return {code: seed[start:end] for (start, code), (end, _) in zip(starts, bounds)}


@pytest.mark.parametrize("slug, seed_name", [("sn-buengkum", POLICE_SEED), ("imm-buengkan", IMMIGRATION_SEED)])
def test_assignments_are_those_the_seed_names(db, seed_text, slug, seed_name):
    unit = Unit.objects.get(slug=slug)
    seed = compact(seed_text(seed_name))
    sections = _item_sections(seed, Item.objects.for_unit(unit, 2567))
    assignments = list(Assignment.objects.for_unit(unit, 2567))
    assert len(assignments) == len(sections)
    for assignment in assignments:
        section = sections[assignment.item.code]
        people = list(assignment.responsible.all()) + list(assignment.controllers.all())
        assert assignment.responsible.exists(), assignment.item.code
        for officer in people:
            names = [officer.first_name] + [compact(a) for a in officer.aliases]
            assert any(compact(name) in section for name in names), (assignment.item.code, officer.display_name)


def test_immigration_items_have_both_controllers(db, other_unit):
    for assignment in Assignment.objects.for_unit(other_unit, 2567):
        assert {o.key for o in assignment.controllers.all()} == {"bg-kitichom", "bg-chutikorn"}


def test_demo_logins_one_per_role(db):
    for prefix, slug in (("bk", "sn-buengkum"), ("bg", "imm-buengkan")):
        for role in ("admin", "responsible", "controller", "commander", "viewer"):
            assert Role.objects.filter(user__username=f"{prefix}-{role}", unit__slug=slug, role=role).exists()
    commander = Role.objects.get(user__username="bk-commander").user
    assert commander.officer == Unit.objects.get(slug="sn-buengkum").head
    responsible = Role.objects.get(user__username="bk-responsible").user.officer
    assert responsible.responsible_for.filter(item__code="O7", item__framework__fiscal_year=2567).exists()


def test_demo_load_is_idempotent(db):
    counts = (Unit.objects.count(), Officer.objects.count(), Assignment.objects.count(), Role.objects.count())
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))
    demo.load()
    assert (Unit.objects.count(), Officer.objects.count(), Assignment.objects.count(), Role.objects.count()) == counts


def test_make_run_demo_with_samples_publishes_every_sample_and_is_idempotent(db, media_root):
    """What `make run` does: every sample goes through the real, guarded workflow (no override),
    so the samples must pass their items' checks; a second run changes nothing."""
    from oit_items.evidence import checks
    from oit_items.evidence.models import Evidence, ItemPeriod

    for _ in range(2):
        out = io.StringIO()
        call_command("load_demo", "--samples", force=True, stdout=out)
    assert "sample evidence: 0 months of O6 for imm-buengkan" in out.getvalue()  # the second run adds nothing
    approved = ItemPeriod.objects.filter(state=ItemPeriod.APPROVED).select_related("item__framework", "unit")
    assert sorted((p.unit.slug, p.item.code) for p in approved) == sorted(
        [("sn-buengkum", "O7")] * 3 + [("sn-buengkum", "O15")] * 3 + [("sn-buengkum", "O19")]
        + [("imm-buengkan", "O6")] * 2 + [("imm-buengkan", "O18")])
    assert [p for p in approved
            if checks.period_status(p.item, p.month, Evidence.objects.by_month(p.unit_id, p.item_id)).failures] == []


def test_load_demo_refuses_in_production(settings):
    settings.DEBUG = False
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo")


def test_reassign_hands_every_item_over(db, station):
    leaver = Officer.objects.get(key="bk-wittaya")
    successor = Officer.objects.get(key="bk-thawit")
    controlled = Assignment.objects.filter(unit=station, controllers=leaver).count()
    assert controlled > 20
    moved = handover.hand_over(leaver, successor).count_of(Assignment)
    assert moved == controlled  # he controls items, prepares none
    assert not Assignment.objects.of_officer(leaver).exists()
    assert Assignment.objects.filter(controllers=successor).count() == controlled


def test_reassign_refuses_another_units_officer(db, station):
    with pytest.raises(ValueError):
        handover.hand_over(Officer.objects.get(key="bk-wittaya"), Officer.objects.get(key="bg-jessada"))


def test_reference_unit_types(db):
    station_type = UnitType.objects.get(code="police_station")
    assert list(station_type.lines_of_work.values_list("name_th", flat=True)) == [
        "อำนวยการ", "ป้องกันปราบปราม", "จราจร", "สืบสวน", "สอบสวน"
    ]
    assert UnitType.objects.get(code="immigration_unit").lines_of_work.count() == 4
