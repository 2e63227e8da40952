"""The assignments screen (issue 19, point 10): one table, an officer picker of checkboxes per
item and relation (a tap never drops the officers already chosen), search by an officer's name,
the bulk assignment on the rows ticked in the table. Who may, who may not; the history kept."""

import re

import pytest
from django.urls import reverse

from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from units.models import Officer

FY = 2567


def url(station, **query):
    base = reverse("assignments", args=[station.slug, FY])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def current(station):
    """Every item's {relation: [officer ids]} as stored, the form's full data."""
    data = {}
    for item in Item.objects.for_unit(station, FY):
        assignment = Assignment.objects.filter(unit=station, item=item).first()
        for relation in ("responsible", "controllers"):
            data[f"{relation}-{item.pk}"] = [o.pk for o in getattr(assignment, relation).all()] if assignment else []
    return data


def o7(station):
    return Item.objects.for_unit(station, FY).get(code="O7")


def test_one_table_of_checkbox_pickers_with_the_names_shown(client, users, station, django_assert_num_queries):
    client.force_login(users["admin"])
    # session, user, unit, roles, items, officers, assignments and their two relations, the bulk form's officers
    with django_assert_num_queries(10):
        page = client.get(url(station)).content.decode()
    assert "<select multiple" not in page and 'name="items"' in page
    items = Item.objects.for_unit(station, FY).count()
    assert page.count('class="officer-picker"') == 2 * items
    assert page.count('name="chosen"') == items and page.count('form="bulk-form"') == items
    responsible = Assignment.objects.get(unit=station, item=o7(station)).responsible.get()
    row = re.search(r'<tr data-item="O7">.*?</tr>', page, re.S).group(0)
    assert responsible.display_name in row and f'value="{responsible.pk}"' in row and "checked" in row


def test_the_search_hides_the_items_of_other_officers(client, users, station, django_assert_num_queries):
    client.force_login(users["admin"])
    held = {}
    for assignment in Assignment.objects.for_unit(station, FY):
        for officer in {*assignment.responsible.all(), *assignment.controllers.all()}:
            held.setdefault(officer, set()).add(assignment.item.code)
    officer, theirs = min(held.items(), key=lambda pair: len(pair[1]))  # an officer of a few items only
    with django_assert_num_queries(10):
        page = client.get(url(station, q=officer.last_name)).content.decode()
    shown = set(re.findall(r'<tr data-item="(\w+)">', page))
    hidden = set(re.findall(r'<tr data-item="(\w+)" hidden>', page))
    assert shown == theirs and hidden and not hidden & theirs
    assert f"แสดง {len(theirs)} จาก {len(shown | hidden)} ข้อ" in page
    # The hidden rows are still in the form: saving a search's page keeps every other item's officers.
    before = current(station)
    client.post(url(station, q=officer.last_name), before)
    assert current(station) == before


def test_adding_an_officer_keeps_the_one_there_and_the_history_says_so(client, users, station):
    client.force_login(users["admin"])
    item = o7(station)
    first = Assignment.objects.get(unit=station, item=item).responsible.get()
    second = Officer.objects.filter(unit=station, is_active=True).exclude(pk=first.pk).first()
    data = current(station)
    data[f"responsible-{item.pk}"] = [first.pk, second.pk]
    response = client.post(url(station), data, follow=True)
    assert "1 ข้อ" in response.content.decode()
    assignment = Assignment.objects.get(unit=station, item=item)
    assert set(assignment.responsible.all()) == {first, second}
    record = assignment.history.latest("history_date")
    assert record.history_user == users["admin"]
    assert {row.officer_id for row in record.responsible.all()} == {first.pk, second.pk}


def test_the_bulk_assignment_takes_the_rows_ticked_in_the_table(client, users, station):
    client.force_login(users["admin"])
    items = list(Item.objects.for_unit(station, FY))
    chosen, untouched = items[:2], items[2]
    officer = Officer.objects.get(key="bk-thawit")
    before = {i.pk: set(Assignment.objects.get(unit=station, item=i).controllers.all()) for i in items[:3]}
    response = client.post(url(station), {"bulk": "1", "items": "chosen", "officer": officer.pk, "relation": "controllers",
                                          "chosen": [str(i.pk) for i in chosen]})
    assert response.status_code == 302
    for item in chosen:
        assert set(Assignment.objects.get(unit=station, item=item).controllers.all()) == before[item.pk] | {officer}
    assert set(Assignment.objects.get(unit=station, item=untouched).controllers.all()) == before[untouched.pk]


def test_a_refused_bulk_assignment_keeps_the_ticks(client, users, station):
    client.force_login(users["admin"])
    item = o7(station)
    response = client.post(url(station), {"bulk": "1", "items": "chosen", "relation": "controllers", "chosen": [str(item.pk)]})
    assert response.status_code == 400
    assert re.search(rf'name="chosen" value="{item.pk}" form="bulk-form" checked', response.content.decode())


@pytest.mark.parametrize("who", ["admin", "division-admin"])
def test_the_units_admin_and_the_admin_above_may_save(client, users, station, division_admin, who):
    client.force_login(division_admin if who == "division-admin" else users["admin"])
    item = o7(station)
    officer = Officer.objects.get(key="bk-thawit")
    client.post(url(station), {"bulk": "1", "items": "chosen", "officer": officer.pk, "relation": "responsible", "chosen": [item.pk]})
    assert officer in Assignment.objects.get(unit=station, item=item).responsible.all()


@pytest.mark.parametrize("who", ["other-admin", "hq-supervisor", "division-supervisor", "responsible", "commander", "anonymous"])
def test_no_one_else_may_change_assignments(client, users, station, who):
    if who != "anonymous":
        client.force_login(users[who])
    before = current(station)
    item = o7(station)
    officer = Officer.objects.get(key="bk-thawit")
    for data in ({**before, f"controllers-{item.pk}": [officer.pk]},
                 {"bulk": "1", "items": "all", "officer": officer.pk, "relation": "controllers"}):
        response = client.post(url(station), data)
        if who == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 403
    assert current(station) == before
