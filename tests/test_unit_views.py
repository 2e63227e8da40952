import pytest
from django.urls import reverse

from oit_items.evidence.models import Assignment
from units.models import Officer, Unit

OWN_ROLES = ("admin", "responsible", "controller", "commander", "viewer")


def get(client, user, url):
    if not user.is_anonymous:
        client.force_login(user)
    return client.get(url)


def test_anonymous_is_sent_to_login(client, station):
    for url in (reverse("dashboard"), reverse("unit-detail", args=[station.slug])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", OWN_ROLES + ("division-supervisor", "hq-supervisor"))
def test_unit_page_for_everyone_with_a_role(client, users, station, role):
    response = get(client, users[role], reverse("unit-detail", args=[station.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "สถานีตำรวจนครบาลบึงกุ่ม" in body
    assert "ผู้รับผิดชอบ" in body and "พ.ต.ท.วิทยา ภูษะมา" in body  # Thai UI, the seed's controller
    # Only the unit's admin gets the reassign button.
    assert ("โอนงานที่รับผิดชอบ" in body) == (role == "admin")


@pytest.mark.parametrize("role", OWN_ROLES)
def test_unit_page_refused_to_another_unit(client, users, station, role):
    assert get(client, users[f"other-{role}"], reverse("unit-detail", args=[station.slug])).status_code == 403


def test_unit_page_unknown_unit_is_404(client, users):
    assert get(client, users["hq-supervisor"], reverse("unit-detail", args=["no-such-unit"])).status_code == 404


def test_dashboard_of_a_supervisor_is_their_overview(client, users):
    response = get(client, users["division-supervisor"], reverse("dashboard"))
    assert response["Location"] == reverse("overview", args=["mpd-4"])
    body = client.get(response["Location"], follow=True).content.decode()
    assert "สน.บึงกุ่ม" in body and "บึงกาฬ" not in body


def test_dashboard_queries_do_not_grow_with_units(client, users, django_assert_num_queries):
    from units.models import Role

    viewer = users["viewer"]  # a station officer who also supervises the division: the plain list
    Role.objects.create(user=viewer, unit=Unit.objects.get(slug="mpd-4"), role=Role.SUPERVISOR)
    client.force_login(viewer)
    # session, user, roles, supervised units, other roles?, roles for the list, units
    with django_assert_num_queries(7):
        client.get(reverse("dashboard"))
    parent = Unit.objects.get(slug="mpd-4")
    for n in range(10):
        Unit.objects.create(unit_type=parent.unit_type, parent=parent, slug=f"extra-{n}", name_th=f"หน่วย {n}")
    with django_assert_num_queries(7):
        body = client.get(reverse("dashboard")).content.decode()
    assert "หน่วย 9" in body


def test_unit_page_queries_are_constant(client, users, station, django_assert_num_queries):
    client.force_login(users["viewer"])
    url = reverse("unit-detail", args=[station.slug])
    client.get(url)
    with django_assert_num_queries(10):  # session, user, unit, roles, years, assignments x3, officers, predicted score
        client.get(url)
    extra = [Officer.objects.create(unit=station, first_name=f"ทดสอบ{n}", last_name="ใจดี", rank="ส.ต.ต.") for n in range(5)]
    for assignment in Assignment.objects.filter(unit=station):
        assignment.responsible.add(*extra)
    with django_assert_num_queries(10):  # session, user, unit, roles, years, assignments x3, officers, predicted score
        client.get(url)


@pytest.mark.parametrize("role", ("responsible", "controller", "commander", "viewer", "division-supervisor"))
def test_reassign_only_for_the_units_admin(client, users, station, role):
    leaver = Officer.objects.get(key="bk-wittaya")
    client.force_login(users[role])
    url = reverse("officer-reassign", args=[station.slug, leaver.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"successor": Officer.objects.get(key="bk-thawit").pk}).status_code == 403
    assert Assignment.objects.filter(controllers=leaver).exists()


def test_reassign_refused_to_another_units_admin(client, users, station):
    leaver = Officer.objects.get(key="bk-wittaya")
    client.force_login(users["other-admin"])
    assert client.get(reverse("officer-reassign", args=[station.slug, leaver.pk])).status_code == 403


def test_admin_reassigns_a_leaver_in_one_step(client, users, station):
    leaver = Officer.objects.get(key="bk-wittaya")
    successor = Officer.objects.get(key="bk-thawit")
    count = Assignment.objects.of_officer(leaver).count()
    client.force_login(users["admin"])
    url = reverse("officer-reassign", args=[station.slug, leaver.pk])
    page = client.get(url).content.decode()
    assert "O24" in page and "โอนงาน" in page
    response = client.post(url, {"successor": successor.pk, "retire": "on"}, follow=True)
    assert f"โอนงาน {count} ข้อ" in response.content.decode()
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Assignment.objects.of_officer(leaver).exists()
    assert Assignment.objects.of_officer(successor).count() >= count


def test_reassign_rejects_an_officer_of_another_unit(client, users, station):
    leaver = Officer.objects.get(key="bk-wittaya")
    client.force_login(users["admin"])
    response = client.post(
        reverse("officer-reassign", args=[station.slug, leaver.pk]), {"successor": Officer.objects.get(key="bg-jessada").pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Assignment.objects.of_officer(leaver).exists()


def test_reassign_an_officer_of_another_unit_via_url_is_404(client, users, station):
    client.force_login(users["admin"])
    other = Officer.objects.get(key="bg-jessada")
    assert client.get(reverse("officer-reassign", args=[station.slug, other.pk])).status_code == 404
