import pytest
from django.urls import reverse

from oit_items.rulebook.models import Framework


@pytest.mark.parametrize(
    "model", ["units/unittype", "units/unit", "units/officer", "units/role", "oit_items/framework", "oit_items/item", "oit_items/assignment"]
)
def test_admin_pages_in_thai(client, superuser, model):
    client.force_login(superuser)
    app, name = model.split("/")
    changelist = client.get(reverse(f"admin:{app}_{name}_changelist"))
    assert changelist.status_code == 200
    assert "ระบบจัดการ ITA Portal" in changelist.content.decode()
    assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200


def test_admin_is_closed_to_unit_staff(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("admin:units_unit_changelist")).status_code == 302


def test_clone_action_enqueues_after_commit(client, superuser, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("admin:oit_items_framework_changelist"),
            {"action": "clone_to_next_year", "_selected_action": [police.pk]},
            follow=True,
        )
    # The clone job, and once it has run, the new year's predicted scores (framework_added, a job too).
    assert len(callbacks) == 2
    assert "2568" in response.content.decode()
    clone = Framework.objects.get(unit_type=police.unit_type, fiscal_year=2568)
    assert clone.items.count() == 25 and clone.cloned_from == police


def test_clone_action_warns_when_the_year_exists(client, superuser, django_capture_on_commit_callbacks):
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)
    police.clone_to(2568)
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("admin:oit_items_framework_changelist"),
            {"action": "clone_to_next_year", "_selected_action": [police.pk]},
            follow=True,
        )
    assert callbacks == [] and "มีกรอบการประเมินปีงบประมาณ 2568 อยู่แล้ว" in response.content.decode()


def test_framework_form_refuses_a_ce_year(client, superuser):
    client.force_login(superuser)
    police = Framework.objects.get(unit_type__code="police_station", fiscal_year=2567)
    response = client.post(
        reverse("admin:oit_items_framework_change", args=[police.pk]),
        {"unit_type": police.unit_type.pk, "fiscal_year": "2024", "version": 1, "title_th": police.title_th,
         "items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0},
    )
    assert response.status_code == 200 and "คริสต์ศักราช" in response.content.decode()
    police.refresh_from_db()
    assert police.fiscal_year == 2567


def _more_rows(count):
    from django.contrib.auth import get_user_model

    from units.models import Officer, Role, Unit

    division = Unit.objects.get(slug="mpd-4")
    station_type = Unit.objects.get(slug="sn-buengkum").unit_type
    for n in range(count):
        unit = Unit.objects.create(unit_type=station_type, parent=division, slug=f"admin-extra-{n}", name_th=f"สน.{n}")
        officer = Officer.objects.create(unit=unit, first_name=f"ทดสอบ{n}", last_name="ใจดี", rank="ด.ต.")
        Unit.objects.filter(pk=unit.pk).update(head=officer)
        user = get_user_model().objects.create(username=f"admin-extra-{n}")
        Role.objects.create(user=user, unit=unit, role=Role.ADMIN)


@pytest.mark.parametrize("model", ["units/unit", "units/officer", "units/role", "oit_items/item", "oit_items/framework"])
def test_admin_lists_take_the_same_queries_for_more_rows(client, superuser, model, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(superuser)
    app, name = model.split("/")
    url = reverse(f"admin:{app}_{name}_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _more_rows(30)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
