"""The current fiscal year always exists: a beat task and a command clone the latest framework of
each unit type, with every unit's assignments, in bulk; the demo shows it as a live year."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita_portal.lib import pagecache, thaidate
from oit_items import tasks
from oit_items.evidence.models import Assignment
from oit_items.public import publication
from oit_items.rulebook import fiscal_year
from oit_items.rulebook.models import Framework
from units.models import Officer, Unit, UnitType


def current_year():
    return thaidate.fiscal_year(timezone.localdate())


def test_the_demo_has_the_current_year_beside_2567(db):
    year = current_year()
    for unit_type in UnitType.objects.filter(publishes_oit=True):
        framework = Framework.objects.get(unit_type=unit_type, fiscal_year=year)
        source = Framework.objects.get(unit_type=unit_type, fiscal_year=2567)
        assert framework.provisional and framework.cloned_from == source and source.version == 2
        assert framework.items.count() == source.items.filter(retired=False).count()
        assert "criteria copied from 2567" in framework.source


@pytest.mark.parametrize("slug", ["sn-buengkum", "imm-buengkan"])
def test_the_current_workspace_opens_for_every_demo_unit_with_deadlines_ahead(client, users, slug):
    unit = Unit.objects.get(slug=slug)
    client.force_login(users["hq-supervisor"])
    response = client.get(reverse("workspace", args=[slug, current_year()]))
    assert response.status_code == 200
    space = response.context["space"]
    today = timezone.localdate()
    dues = [cell.due for row in space.rows for cell in row.cells]
    assert dues and any(due >= today for due in dues) and not all(cell.overdue for row in space.rows for cell in row.cells)
    assert "คัดลอกจากปี 2567" in response.content.decode()
    assert Assignment.objects.filter(unit=unit, item__framework__fiscal_year=current_year()).count() == len(space.rows)
    detail = client.get(reverse("unit-detail", args=[slug]))
    assert detail.context["fiscal_year"] == current_year()


def test_ensure_creates_a_missing_year_once_with_every_assignment(db, station):
    year = current_year() + 1
    done = fiscal_year.ensure(year)
    assert [created for _fw, created in done] == [True, True]
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=year)
    assert police.cloned_from.fiscal_year == current_year()  # the latest one, not 2567
    old = {a.item.code: set(a.responsible.all()) for a in Assignment.objects.for_unit(station, current_year())}
    new = {a.item.code: set(a.responsible.all()) for a in Assignment.objects.for_unit(station, year)}
    assert new == old
    assert [created for _fw, created in fiscal_year.ensure(year)] == [False, False]


def test_a_retired_officer_is_not_copied(db, station):
    chatchai = Officer.objects.get(key="bk-chatchai")
    Officer.objects.filter(pk=chatchai.pk).update(is_active=False)
    fiscal_year.ensure(current_year() + 2)
    assert not Assignment.objects.filter(item__framework__fiscal_year=current_year() + 2, responsible=chatchai).exists()


def test_the_clone_costs_the_same_queries_for_many_more_units(db):
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)

    def clone_queries(year):
        source = Framework.objects.get(pk=police.pk)
        with CaptureQueriesContext(connection) as queries:
            source.clone_to(year)
        return len(queries)

    few = clone_queries(2590)
    division = Unit.objects.get(slug="mpd-4")
    units = [Unit.objects.create(unit_type=police.unit_type, parent=division, slug=f"bulk-{n}", name_th=f"สน.{n}") for n in range(30)]
    officers = Officer.objects.bulk_create(Officer(unit=u, first_name="ก", last_name=str(n)) for n, u in enumerate(units))
    items = list(police.items.all())
    assignments = Assignment.objects.bulk_create(Assignment(unit=u, item=i) for u in units for i in items)
    Assignment.responsible.through.objects.bulk_create(
        Assignment.responsible.through(assignment_id=a.pk, officer_id=o.pk) for a in assignments for o in officers if o.unit_id == a.unit_id)
    many = clone_queries(2591)
    assert many == few, (few, many)
    assert Assignment.objects.filter(item__framework__fiscal_year=2591).count() == Assignment.objects.filter(
        item__framework=police).count() == 25 * 31


def test_beat_and_command(db, capsys):
    schedule = settings.CELERY_BEAT_SCHEDULE["current-fiscal-year"]
    assert schedule["task"] == "oit_items.tasks.ensure_current_fiscal_year"
    assert tasks.ensure_current_fiscal_year.delay().get() == [
        fw.pk for fw in Framework.objects.filter(fiscal_year=current_year()).order_by("unit_type__level", "unit_type__code")]
    call_command("ensure_fiscal_year", str(current_year() + 3))
    assert "created from" in capsys.readouterr().out
    assert Framework.objects.filter(fiscal_year=current_year() + 3).count() == 2


def test_on_1_october_the_new_year_appears(db):
    first_october = datetime.date(thaidate.ce_year(current_year()), 10, 1)
    assert not Framework.objects.filter(fiscal_year=current_year() + 1).exists()
    fiscal_year.ensure(today=first_october)
    assert Framework.objects.filter(fiscal_year=current_year() + 1, provisional=True).count() == 2


def test_a_new_year_is_indexed_ready_and_shown_once_committed(db, station, django_capture_on_commit_callbacks):
    """The copy is a framework like a loaded one: its items are in the search and the public pages
    that list the years are rendered again."""
    from oit_items.public.models import SearchEntry
    from oit_items.public.publication import requirements_stamp

    year = current_year() + 1
    before = requirements_stamp()
    with django_capture_on_commit_callbacks(execute=True):
        fiscal_year.ensure(year)
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=year)
    assert SearchEntry.objects.filter(item__framework=police).count() >= police.items.count() > 0
    assert requirements_stamp() != before


def _next_framework(station):
    newest = thaidate.fiscal_year(timezone.localdate())
    return Framework.objects.get(unit_type=station.unit_type, fiscal_year=newest).clone_to(newest + 1)


def _requirements_changed():
    pagecache.touch_live(publication.FRAMEWORKS, "*")  # as loading.requirements_changed does, on commit


@pytest.mark.usefixtures("empty_caches")
def test_a_new_fiscal_year_refreshes_the_unit_home_catalogue_and_sitemaps(client, station, approved_o7):
    newest = thaidate.fiscal_year(timezone.localdate())
    pages = ["/u/sn-buengkum/", "/api/v1/", "/sitemap.xml", f"/sitemaps/sn-buengkum-{newest}.xml"]
    before = {path: client.get(path) for path in pages}
    _next_framework(station)
    _requirements_changed()
    for path in pages:
        after = client.get(path, HTTP_IF_NONE_MATCH=before[path]["ETag"])
        assert after.status_code == 200 and after["ETag"] != before[path]["ETag"], path
    assert f"/u/sn-buengkum/ita/{newest + 1}/" in client.get("/u/sn-buengkum/").content.decode()
    assert f"/sitemaps/sn-buengkum-{newest + 1}.xml" in client.get("/sitemap.xml").content.decode()
    assert newest + 1 in {u["slug"]: u for u in client.get("/api/v1/").json()["units"]}["sn-buengkum"]["fiscal_years"]
    # The unit's own pages move to the newest year's part.
    assert "/u/sn-buengkum/questions/" not in client.get(f"/sitemaps/sn-buengkum-{newest}.xml").content.decode()
