"""Year beside year (issue 18, point 5): for the unit's staff and supervisors, every item's predicted
verdict and score in each fiscal year side by side; for the public, what a unit published in one
year beside another, from approved snapshots only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from oit_items.assessment.models import HAS, HASNT, AssessedItem, ItemVerdict, UnitScore
from oit_items.evidence.models import ItemPeriod
from oit_items.rulebook.models import Framework, Item
from tests.conftest import approve_period, make_pdf
from tests.phone_width import tables_without_scroll
from units.models import Unit

FY, BEFORE = 2567, 2566
OWN_ROLES = ("admin", "responsible", "controller", "commander", "viewer")


@pytest.fixture(autouse=True)
def no_computed_scores(db):
    """The demo's units were scored by load_demo; these tests give the stored rows the pages read themselves."""
    ItemVerdict.objects.all().delete()
    UnitScore.objects.all().delete()


@pytest.fixture
def previous_year(db):
    """FY2566 for both unit types: a copy of FY2567's frameworks without O25 (as if it were new in 2567)."""
    for framework in Framework.objects.filter(fiscal_year=FY):
        framework.clone_to(BEFORE)
    Item.objects.filter(framework__fiscal_year=BEFORE, code="O25").update(retired=True)


def staff_page(client, user, slug="sn-buengkum"):
    client.force_login(user)
    return client.get(reverse("assessment-compare", args=[slug]))


@pytest.fixture
def stored(station, previous_year):
    """Predicted verdicts of สน.บึงกุ่ม in both years (O7 hasn't in 2566, has in 2567), the scores,
    and the assessors' final results of 2566."""
    now = timezone.now()
    verdicts, assessed = [], []
    for year in (BEFORE, FY):
        for item in Item.objects.for_unit(station, year):
            has = item.code != "O7" or year == FY
            verdicts.append(ItemVerdict(unit=station, item=item, fiscal_year=year, verdict=HAS if has else HASNT,
                                        points=item.points, computed_at=now,
                                        reasons=[] if has else [{"reason": "ขาดเดือน ก.พ.", "next_step": "", "holder": ""}]))
            if year == BEFORE:
                assessed.append(AssessedItem(unit=station, item=item, fiscal_year=year, preliminary=HASNT,
                                             final=HASNT if item.code in ("O7", "O8") else HAS))
    ItemVerdict.objects.bulk_create(verdicts)
    AssessedItem.objects.bulk_create(assessed)
    UnitScore.objects.bulk_create([
        UnitScore(unit=station, fiscal_year=BEFORE, score=Decimal("95.83"), items=24, items_has=23, computed_at=now),
        UnitScore(unit=station, fiscal_year=FY, score=Decimal("100"), items=25, items_has=25, computed_at=now)])


def test_staff_see_every_item_year_beside_year(client, users, station, stored, django_assert_num_queries):
    response = staff_page(client, users["viewer"])
    assert response.status_code == 200
    years, rows = response.context["years"], response.context["rows"]
    current = [y.fiscal_year for y in years]
    assert current[:2] == [BEFORE, FY]  # oldest first; the live year after them
    by_code = {row.code: row for row in rows}
    o7 = by_code["O7"]
    assert [cell.has for cell in o7.cells[:2]] == [False, True]
    assert o7.cells[0].reason == "ขาดเดือน ก.พ." and o7.cells[0].assessed.final == HASNT
    assert all(cell.verdict is None and not cell.has for cell in o7.cells[2:])  # the live year: not computed
    assert by_code["O25"].cells[0] is None and by_code["O25"].cells[1].has  # no O25 in 2566
    assert [row.code for row in rows][:3] == ["O1", "O2", "O3"]
    before = years[0]
    assert (before.score.score, before.pass_mark) == (Decimal("95.83"), 85)
    items = list(Item.objects.for_unit(station, BEFORE))
    expected = (Decimal(100 * sum(i.points for i in items if i.code not in ("O7", "O8")))
                / sum(i.points for i in items)).quantize(Decimal("0.01"))
    assert (before.final, before.assessed, before.items) == (expected, 24, 24)
    assert years[1].final is None
    body = response.content.decode()
    assert 'data-code="O7"' in body and "ขาดเดือน ก.พ." in body and 'data-score="95.83"' in body
    assert f'data-final-score="{expected}"' in body
    with django_assert_num_queries(8):  # session, user, unit, roles; items, verdicts, assessed, scores
        client.get(reverse("assessment-compare", args=["sn-buengkum"]))
    tables, bare = tables_without_scroll(body)
    assert tables == 1 and bare == []


def test_who_may_see_the_staff_comparison(client, users, station, stored, superuser):
    for role in OWN_ROLES:
        assert staff_page(client, users[role]).status_code == 200
    for user in ("hq-supervisor", "division-supervisor"):
        assert staff_page(client, users[user]).status_code == 200
    client.force_login(superuser)
    assert client.get(reverse("assessment-compare", args=["sn-buengkum"])).status_code == 200
    for role in OWN_ROLES:  # another unit's people
        assert staff_page(client, users[f"other-{role}"]).status_code == 403
    # บก.น.4's supervisor is not above ตม.จว.บึงกาฬ
    assert staff_page(client, users["division-supervisor"], "imm-buengkan").status_code == 403
    client.logout()
    response = client.get(reverse("assessment-compare", args=["sn-buengkum"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert staff_page(client, users["hq-supervisor"], "mpd-4").status_code == 404  # a level above publishes nothing
    assert staff_page(client, users["hq-supervisor"], "no-such-unit").status_code == 404


def test_the_staff_comparison_fails_closed_without_stored_rows(client, users, previous_year):
    response = staff_page(client, users["commander"])
    years, rows = response.context["years"], response.context["rows"]
    assert all(year.score is None and year.final is None for year in years)
    assert all(cell is None or (cell.verdict is None and not cell.has) for row in rows for cell in row.cells)
    with translation.override("th"):
        assert response.content.decode().count(translation.pgettext("assessment", "not computed")) >= len(rows)


# --- the public page ------------------------------------------------------------------------------

OCT = datetime.date(2023, 10, 1)


def public(client, slug, a, b):
    return client.get(reverse("public-compare", args=[slug, a, b]))


@pytest.fixture
def published_both_years(users, station, previous_year):
    """O7 of October approved in 2567 and in 2566; a November period of 2567 checked, not approved."""
    o7 = Item.objects.for_unit(station, FY).get(code="O7")
    approve_period(users, station, o7, OCT, [("รายงาน ต.ค.66.pdf", make_pdf())])
    approve_period(users, station, o7, datetime.date(2023, 11, 1), [("ร่าง พ.ย.66.pdf", make_pdf())], publish=False)
    o7_before = Item.objects.for_unit(station, BEFORE).get(code="O7")
    from oit_items.evidence.models import Assignment

    Assignment.objects.get_or_create(unit=station, item=o7_before)
    approve_period(users, station, o7_before, datetime.date(2022, 10, 1), [("รายงาน ต.ค.65.pdf", make_pdf())])
    return o7, o7_before


def test_public_comparison_shows_only_published_periods_side_by_side(client, station, published_both_years):
    o7, o7_before = published_both_years
    response = public(client, "sn-buengkum", FY, BEFORE)
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["rows"]}
    (year_a, now), (year_b, before) = rows["O7"]["sides"]
    assert (year_a, year_b) == (FY, BEFORE)
    assert [p["month"] for p in now.periods] == [OCT]  # November is checked, not approved: not shown
    assert [f["original_name"] for f in now.periods[0]["files"]] == ["รายงาน ต.ค.66.pdf"]
    assert [f["original_name"] for f in before.periods[0]["files"]] == ["รายงาน ต.ค.65.pdf"]
    assert rows["O25"]["sides"][1][1] is None  # no O25 in 2566
    body = response.content.decode()
    assert "ร่าง พ.ย.66" not in body
    for year in (FY, BEFORE):
        assert reverse("public-item", args=["sn-buengkum", year, "o7"]) in body
    revision = ItemPeriod.objects.get(unit=station, item=o7, month=OCT).published[0]["revision"]
    assert reverse("public-file", args=["sn-buengkum", revision]) in body
    assert client.get(reverse("public-file", args=["sn-buengkum", revision])).status_code == 200
    assert reverse("public-compare", args=["sn-buengkum", BEFORE, FY]) in body  # swap the years
    tables, bare = tables_without_scroll(body)
    assert bare == []


def test_public_comparison_is_linked_from_the_year_index(client, station, published_both_years):
    body = client.get(reverse("public-index", args=["sn-buengkum", FY])).content.decode()
    assert reverse("public-compare", args=["sn-buengkum", FY, BEFORE]) in body


def test_public_comparison_answers_404_for_what_is_not_public(client, station, previous_year):
    assert public(client, "sn-buengkum", FY, BEFORE).status_code == 200
    assert public(client, "sn-buengkum", FY, 2555).status_code == 404  # a year the unit does not have
    assert public(client, "sn-buengkum", 2555, FY).status_code == 404
    assert public(client, "sn-buengkum", FY, FY).status_code == 404
    assert public(client, "no-such-unit", FY, BEFORE).status_code == 404
    assert public(client, "mpd-4", FY, BEFORE).status_code == 404  # a level above has no public pages
    # The item page's `<str:code>` never reads "compare" as an item.
    assert client.get(f"/u/sn-buengkum/ita/{FY}/compare/").status_code == 404


def test_public_comparison_is_cached_and_follows_a_publication(client, users, station, published_both_years,
                                                               django_assert_num_queries):
    first = public(client, "sn-buengkum", FY, BEFORE)
    assert first.status_code == 200 and first.get("ETag")
    with django_assert_num_queries(0):  # from the page cache (the stamp is cached too)
        again = public(client, "sn-buengkum", FY, BEFORE)
    assert again.content == first.content
    o7 = published_both_years[0]
    approve_period(users, station, o7, datetime.date(2023, 12, 1), [("รายงาน ธ.ค.66.pdf", make_pdf())])
    from units.signals import published_record_changed

    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))  # on_commit does this in requests
    assert "รายงาน ธ.ค.66" in public(client, "sn-buengkum", FY, BEFORE).content.decode()
