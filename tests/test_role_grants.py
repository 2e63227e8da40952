"""Who may grant and revoke which role where: a unit's admin every role of their unit but never
supervisor and never on another unit; admins of a supervising unit every role below it."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from units.models import Invitation, Officer, Role, Unit
from units.permissions import unit_access


def grant(client, unit, person, role, **extra):
    return client.post(reverse("roles", args=[unit.slug]), {"person": person, "role": role, **extra})


def test_grantable_roles_follow_the_rules(users, station, other_unit, division_admin, national_admin):
    unit_roles = set(Role.UNIT_ROLES)
    everything = {code for code, _label in Role.CHOICES}
    assert unit_access(users["admin"], station).grantable_roles == unit_roles
    assert unit_access(users["admin"], other_unit).grantable_roles == set()
    assert unit_access(division_admin, station).grantable_roles == everything
    assert unit_access(division_admin, Unit.objects.get(slug="mpd-4")).grantable_roles == everything  # a supervising unit
    assert unit_access(division_admin, other_unit).grantable_roles == set()
    assert unit_access(national_admin, other_unit).grantable_roles == everything
    for role in ("responsible", "commander", "viewer", "hq-supervisor"):
        assert unit_access(users[role], station).grantable_roles == set()


def test_unit_admin_grants_responsible_to_an_officer_without_login(client, users, station, django_capture_on_commit_callbacks):
    officer = Officer.objects.get(key="bk-chaiyakorn")
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = grant(client, station, f"o{officer.pk}", "responsible", username="bk-chaiyakorn", email="chaiyakorn@police.go.th")
    assert response.status_code == 302
    user = get_user_model().objects.get(username="bk-chaiyakorn")
    assert Officer.objects.get(pk=officer.pk).user == user and not user.has_usable_password()
    assert Role.objects.filter(user=user, unit=station, role="responsible").exists()
    assert Invitation.objects.get(user=user).invited_by == users["admin"] and mail.outbox[-1].to == ["chaiyakorn@police.go.th"]
    assert Role.history.filter(user_id=user.pk).get().history_user == users["admin"]


def test_unit_admin_grants_another_role_to_an_existing_login(client, users, station):
    client.force_login(users["admin"])
    thawit = Officer.objects.get(key="bk-thawit")  # bk-viewer
    assert grant(client, station, f"o{thawit.pk}", "controller").status_code == 302
    assert Role.objects.filter(user=users["viewer"], unit=station, role="controller").exists()
    again = grant(client, station, f"o{thawit.pk}", "controller")
    assert again.status_code == 400 and "มีบทบาทนี้" in again.content.decode()


def test_unit_admin_trying_supervisor_is_refused_and_nothing_is_stored(client, users, station):
    client.force_login(users["admin"])
    before = Role.objects.count()
    response = grant(client, station, f"o{Officer.objects.get(key='bk-thawit').pk}", "supervisor")
    assert response.status_code == 400 and Role.objects.count() == before
    assert "supervisor" not in [value for value, _label in response.context["form"].fields["role"].choices]


def test_unit_admin_trying_another_unit_is_refused(client, users, other_unit):
    client.force_login(users["admin"])
    before = Role.objects.count()
    jessada = Officer.objects.get(key="bg-jessada")
    assert grant(client, other_unit, f"o{jessada.pk}", "viewer").status_code == 403
    role = Role.objects.filter(unit=other_unit).first()
    assert client.post(reverse("role-revoke", args=[other_unit.slug, role.pk])).status_code == 403
    assert Role.objects.count() == before


def test_a_role_of_another_unit_cannot_be_revoked_through_this_one(client, users, station, other_unit):
    client.force_login(users["admin"])
    role = Role.objects.filter(unit=other_unit).first()
    assert client.post(reverse("role-revoke", args=[station.slug, role.pk])).status_code == 404


def test_a_supervising_admin_grants_supervisor_below(client, users, division_admin, station):
    client.force_login(division_admin)
    login = f"u{users['admin'].pk}"  # bk-admin, a login without an officer record
    assert grant(client, station, login, "supervisor").status_code == 302
    assert Role.objects.filter(user=users["admin"], unit=station, role="supervisor").exists()
    mpd4 = Unit.objects.get(slug="mpd-4")  # their own, supervising, unit: a supervisor of it sees what they run
    assert grant(client, mpd4, f"u{users['division-supervisor'].pk}", "viewer").status_code == 302


def test_revoking_and_the_last_admin(client, users, station, division_admin):
    client.force_login(users["admin"])
    viewer_role = Role.objects.get(user=users["viewer"], unit=station)
    assert client.post(reverse("role-revoke", args=[station.slug, viewer_role.pk])).status_code == 302
    assert not Role.objects.filter(pk=viewer_role.pk).exists()
    assert Role.history.filter(id=viewer_role.pk, history_type="-").get().history_user == users["admin"]
    own = Role.objects.get(user=users["admin"], unit=station, role="admin")
    response = client.post(reverse("role-revoke", args=[station.slug, own.pk]), follow=True)
    assert Role.objects.filter(pk=own.pk).exists() and "ผู้ดูแลระบบคนสุดท้าย" in response.content.decode()
    client.force_login(division_admin)
    client.post(reverse("role-revoke", args=[station.slug, own.pk]))
    assert not Role.objects.filter(pk=own.pk).exists()


def test_role_revoke_still_keeps_the_last_admin(client, users, station):
    client.force_login(users["admin"])
    role = Role.objects.get(user=users["admin"], unit=station, role=Role.ADMIN)
    client.post(reverse("role-revoke", args=[station.slug, role.pk]))
    assert Role.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("who", ["responsible", "commander", "viewer", "hq-supervisor", "division-supervisor"])
def test_roles_page_is_refused_to_those_who_do_not_run_the_unit(client, users, station, who):
    client.force_login(users[who])
    assert client.get(reverse("roles", args=[station.slug])).status_code == 403
    assert grant(client, station, f"u{users[who].pk}", "admin").status_code == 403


def test_roles_page_queries_do_not_grow(client, users, station, django_assert_num_queries):
    client.force_login(users["admin"])
    url = reverse("roles", args=[station.slug])
    with django_assert_num_queries(8):
        client.get(url)
    for n in range(4):
        user = get_user_model().objects.create_user(f"extra-{n}", f"e{n}@police.go.th")
        Role.objects.create(user=user, unit=station, role="viewer")
    with django_assert_num_queries(8):
        client.get(url)
