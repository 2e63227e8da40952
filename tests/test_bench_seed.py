"""The national bench's seeder against the current schema (issue 22): it writes with COPY, so a column
added since (or a new model the overview reads) would break `make bench SCALE=national` unnoticed. Here it
seeds a small tree into the test database, and what it wrote is read back by the pages the bench measures."""

import pytest
from django.db import connection
from django.urls import reverse

from oit_items.assessment.models import UnitScore
from oit_items.evidence import readiness
from oit_items.evidence.models import Evidence, ItemPeriod
from oit_items.overview import national_seed
from tests.conftest import require
from units.models import Unit


@pytest.fixture
def small_nation(db, monkeypatch):
    require(connection.vendor == "postgresql", "the national seed writes with PostgreSQL's COPY")
    monkeypatch.setattr(national_seed, "POLICE_STATIONS", 30)
    monkeypatch.setattr(national_seed, "METRO_STATIONS", 12)
    monkeypatch.setattr(national_seed, "IMMIGRATION_UNITS", 6)
    counts = national_seed.seed()
    readiness.rebuild()
    return counts, national_seed.seed_scores()


def test_the_seeder_writes_every_table_the_bench_reads(small_nation, client, superuser):
    counts, scored = small_nation
    assert counts["publishing"] >= 36 and counts["periods"] > 0 and counts["evidence"] > 0
    assert ItemPeriod.objects.count() >= counts["periods"] and Evidence.objects.count() >= counts["evidence"]
    publishing = Unit.objects.filter(unit_type__publishes_oit=True).count()
    seeded_years = (national_seed.FISCAL_YEAR, national_seed.PREVIOUS_YEAR)
    assert scored["scores"] == UnitScore.objects.filter(fiscal_year__in=seeded_years).count() == 2 * publishing
    assert readiness.drift() == []
    client.force_login(superuser)
    national = Unit.objects.get(parent__isnull=True, slug="rtp")
    page = client.get(reverse("overview", args=[national.slug]) + "?sort=score")
    assert page.status_code == 200


def test_the_seeded_search_index_is_what_a_rebuild_writes(small_nation):
    from oit_items.public import search
    from oit_items.public.models import SearchEntry

    unit = Unit.objects.get(slug="bench-normal")
    assert search.state(unit) == "ready" and search.search(unit, national_seed.FISCAL_YEAR, "เอกสารหลักฐาน")
    fields = ("item_id", "month", "kind", "revision", "body", "text", "starts", "ends", "prefix_ends")
    seeded = sorted(SearchEntry.objects.filter(unit=unit).values_list(*fields), key=repr)
    search.rebuild(unit)
    assert seeded and sorted(SearchEntry.objects.filter(unit=unit).values_list(*fields), key=repr) == seeded
