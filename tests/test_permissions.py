import pytest
from django.core.exceptions import PermissionDenied

from units.models import Role, Unit
from units.permissions import get_unit_for, may, unit_access

ACTIONS = ("view", "upload", "check", "approve", "administer")

# What each role may do on its own unit.
OWN_UNIT = {
    "admin": {"view", "upload", "administer"},
    "responsible": {"view", "upload"},
    "controller": {"view", "check"},
    "commander": {"view", "approve"},
    "viewer": {"view"},
}


@pytest.mark.parametrize("role", sorted(OWN_UNIT))
def test_each_role_on_own_unit(users, station, role):
    access = unit_access(users[role], station)
    assert {a for a in ACTIONS if access.may(a)} == OWN_UNIT[role]


@pytest.mark.parametrize("role", sorted(OWN_UNIT))
def test_roles_give_nothing_on_another_unit(users, station, role):
    # bg-* users hold the same roles on the immigration unit, none on the police station.
    access = unit_access(users[f"other-{role}"], station)
    assert not any(access.may(a) for a in ACTIONS)


def test_supervisor_sees_units_below_only_read(users, station, other_unit):
    division = users["division-supervisor"]  # supervisor on บก.น.4, above the station only
    assert {a for a in ACTIONS if may(division, station, a)} == {"view"}
    assert not may(division, other_unit, "view")
    hq = users["hq-supervisor"]  # supervisor on ตร., above every unit
    for unit in (station, other_unit, Unit.objects.get(slug="mpd-4")):
        assert {a for a in ACTIONS if may(hq, unit, a)} == {"view"}


def test_supervisor_does_not_see_the_level_above(users):
    assert not may(users["division-supervisor"], Unit.objects.get(slug="mpb"), "view")


def test_anonymous_and_inactive_get_nothing(users, station):
    assert not any(may(users["anonymous"], station, a) for a in ACTIONS)
    commander = users["commander"]
    commander.is_active = False
    assert not may(commander, station, "view")


def test_superuser_may_everything(superuser, station):
    assert all(may(superuser, station, a) for a in ACTIONS)


def test_roles_are_read_in_one_query(users, station, other_unit, django_assert_num_queries):
    user = users["admin"]
    with django_assert_num_queries(1):
        for unit in (station, other_unit, station):
            unit_access(user, unit)


def test_get_unit_for_returns_unit_and_access(users, station):
    unit, access = get_unit_for(users["controller"], "sn-buengkum", "check")
    assert unit == station and access.check and not access.approve
    with pytest.raises(PermissionDenied):
        get_unit_for(users["controller"], "sn-buengkum", "approve")
    with pytest.raises(PermissionDenied):
        get_unit_for(users["other-admin"], "sn-buengkum", "view")


def test_unknown_permission_is_a_programming_error(users, station):
    with pytest.raises(ValueError):
        may(users["admin"], station, "delete_everything")


def test_visible_units_follow_roles_and_supervision(users):
    assert set(Unit.objects.visible_to(users["viewer"]).values_list("slug", flat=True)) == {"sn-buengkum"}
    assert set(Unit.objects.visible_to(users["division-supervisor"]).values_list("slug", flat=True)) == {
        "mpd-4", "sn-buengkum"
    }
    assert Unit.objects.visible_to(users["hq-supervisor"]).count() == Unit.objects.count()
    assert not Unit.objects.visible_to(users["anonymous"]).exists()


def test_granting_a_role_changes_access(users, station):
    viewer = users["other-viewer"]
    Role.objects.create(user=viewer, unit=station, role=Role.CONTROLLER)
    viewer = type(viewer).objects.get(pk=viewer.pk)  # a new request: roles are read afresh
    assert may(viewer, station, "check")
