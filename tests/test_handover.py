"""Handover covers everything a leaver holds: found through Django's model meta, so that a model
added later that points at an officer is covered — or this test fails until it is."""

import datetime

from django.apps import apps
from django.core import mail
from django.urls import reverse
from simple_history.models import HistoricalChanges

from measures import reminders
from measures.models import Measure, MeasurePlan
from oit_items.evidence.models import Assignment
from tests.test_unit_management import _published
from units import handover
from units.models import Officer, Role, Unit
from units.permissions import Access


def every_officer_reference():
    """Independently of units.handover: every concrete relation to Officer of every model."""
    found = []
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is Officer:
                found.append((model, field))
    return found


def holds(model, field, officer):
    return model._default_manager.filter(**{field.name: officer}).exists()


def test_handover_moves_every_reference_to_the_leaver(db, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    references = every_officer_reference()
    names = {f"{model._meta.label}.{field.name}" for model, field in references}
    assert {"oit_items.Assignment.responsible", "oit_items.Assignment.controllers", "units.Unit.head",
            "measures.Measure.responsible", "measures.Activity.responsible", "measures.CalendarPhase.responsible",
            "measures.SurveyQuota.collectors", "measures.MeasurePlan.briefing_chair_officer"} <= names
    for model, field in references:  # make sure the leaver holds one of each, whatever the demo data
        if holds(model, field, leaver):
            continue
        row = model._default_manager.filter(**_in_unit(model, station)).first()
        assert row is not None, f"no {model._meta.label} to test the handover of {field.name} with: add demo data"
        if field.many_to_many:
            getattr(row, field.name).add(leaver)
        else:
            setattr(row, field.name, leaver)
            row.save(update_fields=[field.name])
    held = {(m, f): m._default_manager.filter(**{f.name: leaver}).count() for m, f in references}
    assert all(held.values())
    items = Assignment.objects.filter(unit=station).of_officer(leaver).distinct().count()  # responsible and controller: once

    result = handover.hand_over(leaver, successor)

    for (model, field), count in held.items():
        assert not holds(model, field, leaver), f"{model._meta.label}.{field.name} still names the leaver"
        assert model._default_manager.filter(**{field.name: successor}).count() >= 1
    by_name = {(m._meta.label, f.name): count for (m, f), count in held.items()}
    assert result.count_of(Unit) == 1
    assert result.count_of(Assignment) == items <= by_name[("oit_items.Assignment", "responsible")] + by_name[("oit_items.Assignment", "controllers")]
    leaver.refresh_from_db()
    assert not leaver.is_active and not Role.objects.filter(user=leaver.user, unit=station).exists()


def _in_unit(model, station):
    for path in ("unit", "plan__unit", "pk"):
        try:
            model._meta.get_field(path.split("__")[0])
        except Exception:
            continue
        return {path: station} if path != "pk" else {"pk": station.pk}
    return {}


def test_the_measures_page_and_its_printed_cells_name_the_successor(client, users, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    client.force_login(users["viewer"])
    url = reverse("measures-plan", args=[station.slug, 2567])
    before = client.get(url).content.decode()
    named = before.count(leaver.display_name)
    assert named > 20
    handover.hand_over(leaver, successor)
    after = client.get(url).content.decode()
    assert after.count(leaver.display_name) == 0 and after.count(successor.display_name) >= named
    plan = MeasurePlan.objects.get(unit=station, fiscal_year=2567)
    texts = " ".join(Measure.objects.filter(plan=plan).values_list("people", flat=True))
    assert "ชาติชาย" not in texts and successor.display_name in texts


def test_reminders_go_to_the_successor_not_the_leaver(db, station, users):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-wittaya")
    plan = MeasurePlan.objects.get(unit=station, fiscal_year=2567)
    measure = Measure.objects.filter(plan=plan, responsible=leaver).first()
    day = datetime.date(2023, 12, 1)
    Measure.objects.filter(pk=measure.pk).update(deadline=day + datetime.timedelta(days=3), status=Measure.NOT_STARTED)
    handover.hand_over(leaver, successor)
    reminders.send(day)
    addressed = {address for message in mail.outbox for address in message.to}
    assert leaver.user.email not in addressed and successor.user.email in addressed


def test_successor_list_shows_who_has_a_login(client, users, station):
    client.force_login(users["admin"])
    page = client.get(reverse("officer-reassign", args=[station.slug, Officer.objects.get(key="bk-chatchai").pk])).content.decode()
    assert "พ.ต.ท.วิทยา ภูษะมา สว.อก.สน.บึงกุ่ม — บัญชี bk-controller" in page
    assert "ส.ต.อ.ไชยกร ชันทเวทย์ — ยังไม่มีบัญชีเข้าระบบ" in page
    assert "มาตรการ" in page  # what the leaver holds besides items


def test_the_handover_page_moves_everything_and_says_so(client, users, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    client.force_login(users["admin"])
    response = client.post(reverse("officer-reassign", args=[station.slug, leaver.pk]),
                           {"successor": successor.pk, "retire": "on", "revoke": "on"}, follow=True)
    body = response.content.decode()
    assert "โอนงาน" in body and "มาตรการ" in body
    assert not any(holds(m, f, leaver) for m, f in every_officer_reference())


def test_handover_keeps_the_units_last_admin(db, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    Role.objects.filter(unit=station, role=Role.ADMIN).delete()
    last_admin = Role.objects.create(user=leaver.user, unit=station, role=Role.ADMIN)
    unit_admin = Access(roles=frozenset({Role.ADMIN}), unit=station)

    result = handover.hand_over(leaver, successor, access=unit_admin)

    assert result.kept == [last_admin] and Role.objects.filter(pk=last_admin.pk).exists()
    assert not Role.objects.filter(user=leaver.user, unit=station, role=Role.RESPONSIBLE).exists()


def test_the_handover_page_keeps_roles_the_admin_may_not_remove_and_says_so(client, users, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    supervisor = Role.objects.create(user=leaver.user, unit=station, role=Role.SUPERVISOR)  # granted from above
    client.force_login(users["admin"])
    response = client.post(reverse("officer-reassign", args=[station.slug, leaver.pk]),
                           {"successor": successor.pk, "retire": "on", "revoke": "on"}, follow=True)
    assert list(Role.objects.filter(user=leaver.user, unit=station)) == [supervisor]
    assert "บทบาทของ bk-responsible ที่ท่านไม่มีสิทธิ์ยกเลิกยังคงอยู่" in response.content.decode()


def test_a_head_handed_over_reaches_the_public_pages(db, station, django_capture_on_commit_callbacks):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    Unit.objects.filter(pk=station.pk).update(head=leaver, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        handover.hand_over(leaver, successor)
    assert _published(station)


def test_an_item_held_twice_is_counted_once(client, users, station):
    leaver, successor = Officer.objects.get(key="bk-chatchai"), Officer.objects.get(key="bk-thawit")
    both = Assignment.objects.filter(unit=station, responsible=leaver).first()
    both.controllers.add(leaver)
    items = Assignment.objects.filter(unit=station).of_officer(leaver).distinct().count()
    assert handover.holdings(leaver)[Assignment] == items
    client.force_login(users["admin"])
    page = client.get(reverse("officer-reassign", args=[station.slug, leaver.pk])).content.decode()
    assert f"{Assignment._meta.verbose_name_plural}: {items}<" in page
    assert handover.hand_over(leaver, successor).count_of(Assignment) == items
