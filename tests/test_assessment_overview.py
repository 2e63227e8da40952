"""Headquarters see who is heading for a fail or zero: every unit's predicted score on the readiness
overview, the counts below the pass mark and at zero, worst first, the admin's and commander's
contacts, the export, reminders, and each unit's score in the years before (issue 18, points 2 and 5).
The stored rows are made here directly; computing them is the assessment's job."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from oit_items.assessment.models import HAS, HASNT, AssessedItem, ItemVerdict, UnitScore
from oit_items.evidence import readiness
from oit_items.evidence.models import ItemReadiness
from oit_items.overview import exports, figures, national_seed
from oit_items.overview.models import Reminder
from oit_items.rulebook.models import Framework, Item
from tests.phone_width import tables_without_scroll
from units.models import Officer, Role, Unit

FY, BEFORE = 2567, 2566


@pytest.fixture(autouse=True)
def no_computed_scores(db):
    """The demo's units were scored by load_demo; these tests give the stored rows the overview reads themselves."""
    ItemVerdict.objects.all().delete()
    UnitScore.objects.all().delete()


def overview(client, user, slug="mpd-4", year=FY, **params):
    client.force_login(user)
    return client.get(reverse("overview-year", args=[slug, year]), params)


def slugs(response):
    return [row.unit["slug"] for row in response.context["page"]]


def row_of(response, slug):
    return next(r for r in response.context["page"] if r.unit["slug"] == slug)


def station_like(slug, division="mpd-4"):
    station = Unit.objects.get(slug="sn-buengkum")
    return Unit.objects.create(unit_type=station.unit_type, parent=Unit.objects.get(slug=division), slug=slug,
                               name_th=f"สถานีตำรวจทดสอบ {slug}")


def scores(*rows, year=FY):
    """UnitScore rows: (unit, score)."""
    UnitScore.objects.bulk_create([UnitScore(unit=unit, fiscal_year=year, score=Decimal(score), pass_mark=85, items=25,
                                             items_has=round(score / 4), computed_at=timezone.now())
                                   for unit, score in rows])


@pytest.fixture
def four_stations(db):
    """Under บก.น.4: สน.บึงกุ่ม heading below the pass mark (60), one passing (92), one at zero and
    one without a stored score."""
    station = Unit.objects.get(slug="sn-buengkum")
    passing, zero, unscored = station_like("s-pass"), station_like("s-zero"), station_like("s-none")
    scores((station, 60), (passing, 92), (zero, 0))
    return {"station": station, "passing": passing, "zero": zero, "unscored": unscored}


@pytest.fixture
def previous_year(db):
    """FY2566 for both unit types: a copy of FY2567's frameworks (items matched by code)."""
    for framework in Framework.objects.filter(fiscal_year=FY):
        framework.clone_to(BEFORE)


def test_scores_counts_and_worst_first(client, users, four_stations):
    response = overview(client, users["division-supervisor"])
    root = response.context["tree"].root
    assert (root.units, root.units_below, root.units_zero, root.units_not_computed, root.units_passing) == (4, 3, 2, 1, 1)
    assert root.score == Decimal("38.00")  # (60 + 92 + 0 + 0) / 4: the unit without a score counts 0
    body = response.content.decode()
    for name, value in (("below", 3), ("zero", 2), ("passes", 1)):
        assert f'data-summary="{name}">{value}<' in body
    assert row_of(response, "sn-buengkum").score == Decimal("60.00")
    assert [row_of(response, s).outlook for s in ("sn-buengkum", "s-pass", "s-zero", "s-none")] == [
        figures.BELOW, figures.PASSES, figures.ZERO, figures.NOT_COMPUTED]
    # Worst first: the unit not computed, the one at zero, then by score.
    assert slugs(overview(client, users["division-supervisor"], sort="score")) == ["s-none", "s-zero", "sn-buengkum", "s-pass"]
    assert slugs(overview(client, users["division-supervisor"], sort="-score"))[0] == "s-pass"
    worst = overview(client, users["division-supervisor"], outlook="below", sort="score")
    assert slugs(worst) == ["s-none", "s-zero", "sn-buengkum"]
    assert '?outlook=below&amp;sort=score' in body  # the page links the worst-first view
    assert set(slugs(overview(client, users["division-supervisor"], outlook="zero"))) == {"s-zero", "s-none"}
    # The national overview adds them up by level: บช.น. counts these four; the immigration bureau's
    # one unit has no score.
    national = overview(client, users["hq-supervisor"], "rtp", level=1, sort="tree")  # the "by bureau" view
    metro, immigration = row_of(national, "mpb"), row_of(national, "imm-bureau")
    assert (metro.units, metro.units_below, metro.units_zero) == (4, 3, 2)
    assert (immigration.units_below, immigration.units_zero, immigration.units_not_computed) == (1, 1, 1)
    assert national.context["tree"].root.units_below == 4


def test_a_unit_without_a_stored_score_fails_closed(client, users, four_stations):
    response = overview(client, users["division-supervisor"])
    unscored = row_of(response, "s-none")
    assert unscored.score is None and unscored.outlook == figures.NOT_COMPUTED
    assert unscored.units_zero == 1 and unscored.units_below == 1 and unscored.units_passing == 0
    assert "s-none" not in slugs(overview(client, users["division-supervisor"], outlook="passes"))
    assert "s-none" in slugs(overview(client, users["division-supervisor"], outlook="not_computed"))
    body = response.content.decode()
    assert 'data-outlook="not_computed"' in body
    with translation.override("th"):
        assert translation.pgettext("assessment", "not computed") in body
    # A stored score only counts for its own year: FY2570's overview has none, so nobody passes there.
    later = max(response.context["tree"].years)
    if later != FY:
        root = overview(client, users["division-supervisor"], year=later).context["tree"].root
        assert root.units_passing == 0 and root.units_zero == root.units == 4


def test_each_unit_beside_its_years_before(client, users, four_stations, previous_year):
    station = four_stations["station"]
    scores((station, 50), (four_stations["passing"], 88), year=BEFORE)
    items = list(Item.objects.for_unit(station, BEFORE))
    AssessedItem.objects.bulk_create([AssessedItem(unit=station, item=item, fiscal_year=BEFORE, preliminary=HASNT,
                                                   final=HAS if n < 20 else HASNT) for n, item in enumerate(items)])
    expected = (Decimal(100 * sum(i.points for i in items[:20])) / sum(i.points for i in items)).quantize(Decimal("0.01"))
    this_year = list(Item.objects.for_unit(station, FY))
    AssessedItem.objects.bulk_create([AssessedItem(unit=station, item=item, fiscal_year=FY, preliminary=HAS)
                                      for item in this_year])  # preliminary only: no final result yet
    response = overview(client, users["division-supervisor"])
    assert response.context["tree"].trend_years == [BEFORE]
    row = row_of(response, "sn-buengkum")
    assert row.trend == [{"year": BEFORE, "score": Decimal("50.00"), "final": expected}]
    assert row.final is None
    assert row_of(response, "s-pass").trend == [{"year": BEFORE, "score": Decimal("88.00"), "final": None}]
    assert row_of(response, "s-none").trend == [{"year": BEFORE, "score": None, "final": None}]
    body = response.content.decode()
    assert f'data-trend="{BEFORE}"' in body
    # The year before has no year before it here: its own overview shows no trend.
    assert overview(client, users["division-supervisor"], year=BEFORE).context["tree"].trend_years == []


def test_admin_and_commander_with_phone_and_email(client, users, four_stations):
    commander = users["commander"]
    officer = Officer.objects.get(user=commander)
    officer.phone = "02 123 4567"
    officer.save()
    response = overview(client, users["division-supervisor"])
    row = row_of(response, "sn-buengkum")
    assert [p["name"] for p in row.contacts] == ["bk-admin"]
    assert row.commanders == [{"name": officer.display_name, "email": commander.email, "phone": "02 123 4567"}]
    body = response.content.decode()
    assert officer.display_name in body and 'href="tel:021234567"' in body and f"mailto:{commander.email}" in body
    assert row_of(response, "s-none").commanders == []


def test_export_has_the_score_the_years_before_and_the_contacts(client, users, four_stations, previous_year):
    station = four_stations["station"]
    scores((station, 50), year=BEFORE)
    officer = Officer.objects.get(user=users["commander"])
    officer.phone = "02 123 4567"
    officer.save()
    client.force_login(users["hq-supervisor"])
    response = client.get(reverse("overview-export", args=["mpd-4", FY, "xlsx"]), {"sort": "score"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    tree = figures.tree(Unit.objects.get(slug="mpd-4"), FY)
    with translation.override("th"):
        assert list(rows[0]) == exports.headers(tree)
    assert len(rows[0]) == 23 + 2 + 2  # readiness and the admin (16), the commander, the score, one year before, the unit's own
    assert [r[1] for r in rows[1:]] == ["s-none", "s-zero", "sn-buengkum", "s-pass"]  # the page's sort
    bk = next(r for r in rows if r[1] == "sn-buengkum")
    assert "bk-admin" in bk[13]
    assert bk[16:21] == (officer.display_name, users["commander"].email, "02 123 4567", 60.0, 85.0)
    assert bk[22] is None and bk[23:25] == (50.0, None)
    unscored = next(r for r in rows if r[1] == "s-none")
    assert unscored[19] is None and unscored[16] is None
    with translation.override("th"):
        assert unscored[21] == str(figures.OUTLOOK_LABELS[figures.NOT_COMPUTED])
        assert bk[21] == str(figures.OUTLOOK_LABELS[figures.BELOW])
    text = client.get(reverse("overview-export", args=["mpd-4", FY, "csv"]), {"outlook": "zero"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3 and {line.split(",")[1] for line in lines[1:]} == {"s-zero", "s-none"}


def _more(division, start, count):
    """Stations with a score, a year of assessed items, an admin and a commander each."""
    police = Item.objects.for_unit(Unit.objects.get(slug="sn-buengkum"), FY)[:3]
    for n in range(start, start + count):
        unit = station_like(f"q-{n}", division)
        scores((unit, n % 100))
        AssessedItem.objects.bulk_create([AssessedItem(unit=unit, item=item, fiscal_year=FY, final=HAS) for item in police])
        for role in (Role.ADMIN, Role.COMMANDER):
            user = get_user_model().objects.create_user(f"q-{n}-{role}", f"q{n}{role}@example.go.th", "pw-2567-x")
            Role.objects.create(user=user, unit=unit, role=role)


def test_overview_queries_stay_the_same_for_few_and_many_units(client, users, django_assert_num_queries, previous_year):
    _more("mpd-4", 0, 2)
    target = reverse("overview-year", args=["mpd-4", FY])
    client.force_login(users["hq-supervisor"])
    assert len(client.get(target).context["page"]) == 3
    # session, user, unit, roles, units, items, readiness, the rows, contacts, months, scores with frozen records
    with django_assert_num_queries(11):
        client.get(target)
    _more("mpd-4", 2, 40)
    with django_assert_num_queries(11):
        response = client.get(target, {"sort": "score"})
    assert len(response.context["page"]) == 43
    assert all(len(row.commanders) == 1 for row in response.context["page"] if row.unit["slug"].startswith("q-"))


def test_remind_the_units_heading_below_the_pass_mark(client, users, four_stations, django_capture_on_commit_callbacks):
    station = four_stations["station"]
    for user in (users["admin"], users["commander"]):
        user.email = f"{user.username}@example.go.th"
        user.save()
    o7, o5 = (Item.objects.for_unit(station, FY).get(code=code) for code in ("O7", "O5"))
    ItemVerdict.objects.bulk_create([
        ItemVerdict(unit=station, item=o7, fiscal_year=FY, verdict=HASNT, computed_at=timezone.now(),
                    reasons=[{"reason": "ขาดเดือน ม.ค.67", "next_step": "อัปโหลด", "holder": "ผู้รับผิดชอบ"}]),
        ItemVerdict(unit=station, item=o5, fiscal_year=FY, verdict=HAS, computed_at=timezone.now())])
    response = overview(client, users["division-supervisor"])
    assert response.context["failing"] == 3
    assert 'name="units" value="failing"' in response.content.decode()
    for role in ("admin", "commander", "viewer"):  # a station's own people may not
        client.force_login(users[role])
        assert client.post(reverse("overview-remind", args=["mpd-4", FY]), {"units": "failing"}).status_code == 403
    client.force_login(users["division-supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("overview-remind", args=["mpd-4", FY]), {"units": "failing"}, follow=True)
    assert response.status_code == 200
    reminded = set(Reminder.objects.values_list("unit__slug", flat=True))
    assert reminded == {"sn-buengkum", "s-zero", "s-none"}  # not the one heading for a pass
    [message] = [m for m in mail.outbox if "bk-admin@example.go.th" in m.to]
    assert "60.00" in message.body and "85" in message.body
    assert "O7" in message.body and "ขาดเดือน ม.ค.67" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("overview-remind", args=["mpd-4", FY]), {"units": "failing"})
    assert Reminder.objects.count() == 3  # at most once a day


def test_overview_tables_scroll_on_a_phone(client, users, four_stations, previous_year):
    for response in (overview(client, users["division-supervisor"]), overview(client, users["hq-supervisor"], "rtp"),
                     overview(client, users["hq-supervisor"], "rtp", level=3, sort="score")):
        tables, bare = tables_without_scroll(response.content.decode())
        assert tables >= 1 and bare == []


def test_the_national_seed_derives_scores_from_readiness(users, station, o7):
    """The bench's seed: ready → has, else hasn't; the score from the items' points; this year and
    the one before (a copy of this year's framework), for every publishing unit, idempotently cloned."""
    readiness.rebuild()
    ready = ItemReadiness.objects.filter(unit=station, item=o7).first()
    ItemReadiness.objects.update_or_create(unit=station, item=o7, defaults={
        "fiscal_year": FY, "ready": True, "first_due": ready.first_due if ready else datetime.date(2023, 11, 28)})
    counts = national_seed.seed_scores()
    publishing = Unit.objects.filter(unit_type__publishes_oit=True).count()
    assert counts["scores"] == 2 * publishing == UnitScore.objects.count()
    assert counts["verdicts"] == ItemVerdict.objects.count()
    items = list(Item.objects.for_unit(station, FY))
    assert ItemVerdict.objects.filter(unit=station, fiscal_year=FY).count() == len(items)
    assert ItemVerdict.objects.get(unit=station, item=o7).verdict == HAS
    assert set(ItemVerdict.objects.filter(unit=station, fiscal_year=FY).exclude(item=o7).values_list("verdict", flat=True)) == {HASNT}
    score = UnitScore.objects.get(unit=station, fiscal_year=FY)
    assert score.score == (Decimal(100 * o7.points) / sum(i.points for i in items)).quantize(Decimal("0.01"))
    assert (score.items, score.items_has, score.pass_mark) == (len(items), 1, 85)
    assert UnitScore.objects.filter(unit=station, fiscal_year=BEFORE).exists()
