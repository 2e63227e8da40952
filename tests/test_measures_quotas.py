"""EIT/IIT quotas: the police seed's minimum respondents per line of work and their collectors,
counts entered as collection goes, and the progress page."""

import datetime

import pytest

from measures import quotas
from measures.models import MeasurePlan, QuotaCount, SurveyQuota
from tests.data.measures_seed_rows import POLICE_EIT_QUOTAS

FY = 2567
URL = "/staff/units/sn-buengkum/measures/2567/quotas/"


@pytest.fixture
def plan(station):
    return MeasurePlan.objects.get(unit=station, fiscal_year=FY)


def test_the_seeds_quotas(plan):
    from measures.people import Directory

    eit = {q.line_of_work.code: q for q in plan.quotas.filter(instrument=SurveyQuota.EIT).select_related("line_of_work")}
    directory = Directory.of(plan.unit)
    for line, (minimum, collector) in POLICE_EIT_QUOTAS.items():
        assert eit[line].minimum == minimum
        assert collector.split(".")[-1].split()[0] in eit[line].collector  # kept as printed
        assert list(eit[line].collectors.all()) == [directory.find(collector)]
    assert sum(q.minimum for q in eit.values()) == 500
    iit = plan.quotas.get(instrument=SurveyQuota.IIT)
    assert iit.minimum is None and {o.key for o in iit.collectors.all()} == {"bk-wittaya", "bk-chatchai"}


def test_progress_follows_the_latest_count(plan, users):
    administration = plan.quotas.get(line_of_work__code="administration")
    quotas.record_count(administration, datetime.date(2024, 2, 1), 20, users["admin"])
    quotas.record_count(administration, datetime.date(2024, 3, 1), 45, users["admin"])
    quotas.record_count(administration, datetime.date(2024, 3, 1), 55, users["admin"])  # the same day: corrected
    [eit, iit] = quotas.progress(plan)
    row = next(r for r in eit.rows if r.quota.pk == administration.pk)
    assert (row.count, row.percent, row.met, row.remaining) == (55, 100, True, 0)
    assert row.counted_on == datetime.date(2024, 3, 1)
    assert (eit.count, eit.minimum, eit.percent, eit.met) == (55, 500, 11, False)
    assert iit.rows[0].percent is None
    assert QuotaCount.objects.filter(quota=administration).count() == 2


@pytest.mark.parametrize("role", ["admin", "commander"])
def test_editors_enter_counts(client, users, plan, role):
    traffic = plan.quotas.get(line_of_work__code="traffic")
    client.force_login(users[role])
    response = client.post(URL, {"quota": traffic.pk, "date": "15/3/2567", "count": "30"})
    assert response.status_code == 302
    entry = QuotaCount.objects.get(quota=traffic)
    assert (entry.date, entry.count, entry.entered_by) == (datetime.date(2024, 3, 15), 30, users[role])
    page = client.get(URL).content.decode()
    assert "30 / 100" in page and "30 / 500" in page and "ร.ต.ท.สมใจ เดชกล้า" in page


def test_a_count_of_another_units_quota_is_refused(client, users, plan, other_unit):
    foreign = SurveyQuota.objects.create(plan=MeasurePlan.objects.get(unit=other_unit, fiscal_year=FY), key="eit-x",
                                         instrument="eit", label="x", minimum=10)
    client.force_login(users["admin"])
    assert client.post(URL, {"quota": foreign.pk, "date": "15/3/2567", "count": "3"}).status_code == 404
    assert client.post(URL, {"quota": "", "date": "15/3/2567", "count": "-3"}).status_code == 400
    assert not QuotaCount.objects.exists()


@pytest.mark.parametrize("role", ["responsible", "controller", "viewer", "division-supervisor"])
def test_others_see_but_do_not_enter(client, users, plan, role):
    client.force_login(users[role])
    page = client.get(URL)
    assert page.status_code == 200 and 'name="count"' not in page.content.decode()
    traffic = plan.quotas.get(line_of_work__code="traffic")
    assert client.post(URL, {"quota": traffic.pk, "date": "15/3/2567", "count": "30"}).status_code == 403


def test_a_quota_can_be_added(client, users, plan):
    client.force_login(users["admin"])
    response = client.post(URL + "add/", {"instrument": "iit", "label": "ข้าราชการตำรวจในสังกัด", "minimum": "40",
                                          "collector": "งานอำนวยการ", "note": ""})
    assert response.status_code == 302
    assert plan.quotas.filter(instrument="iit", minimum=40).exists()
