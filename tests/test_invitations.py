"""Invitations: the one-time, expiring link to choose a password; re-sending; who has not
accepted yet; the national admin command. Works in production (DEBUG off)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from units import invitations
from units.models import Invitation, Role, Unit


@pytest.fixture
def invited(db, station):
    user = get_user_model().objects.create_user("bk-new", "new@police.go.th")
    Role.objects.create(user=user, unit=station, role=Role.RESPONSIBLE)
    invitation = invitations.invite(user, station)
    assert invitations.send(invitation)
    return invitation


def link_in(message) -> str:
    return re.search(r"https?://\S+/invite/\S+/", message.body).group(0)


def path_of(link) -> str:
    return "/" + link.split("/", 3)[3]


def accept(client, link, password="Ch0ose-a-g00d-one"):
    response = client.get(path_of(link))
    if response.status_code != 302:
        return response
    return client.post(response["Location"], {"new_password1": password, "new_password2": password})


def test_the_link_sets_the_password_once(client, invited, settings):
    settings.DEBUG = False
    message = mail.outbox[-1]
    assert message.to == ["new@police.go.th"] and "bk-new" in message.body and "สน.บึงกุ่ม" in message.subject
    link = link_in(message)
    assert link.startswith(settings.SITE_URL)
    response = accept(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("my-work")  # where a login lands too
    user = get_user_model().objects.get(username="bk-new")
    assert user.check_password("Ch0ose-a-g00d-one")
    invited.refresh_from_db()
    assert invited.accepted_at is not None
    client.logout()
    again = client.get(path_of(link))  # single use: the password hash is part of the token
    assert again.status_code == 400 and "ใช้ไม่ได้แล้ว" in again.content.decode()


def test_the_token_leaves_the_address_before_the_form(client, invited):
    response = client.get(path_of(link_in(mail.outbox[-1])))
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "bk-new" in page.content.decode()


def test_the_link_expires(client, invited, settings, monkeypatch):
    link = link_in(mail.outbox[-1])
    later = datetime.datetime.now() + datetime.timedelta(days=settings.INVITATION_TIMEOUT_DAYS, hours=1)
    monkeypatch.setattr(invitations.tokens, "_now", lambda: later)
    assert client.get(path_of(link)).status_code == 400
    monkeypatch.setattr(invitations.tokens, "_now", lambda: later - datetime.timedelta(hours=2))
    assert client.get(path_of(link)).status_code == 302


def test_sending_again_makes_the_earlier_link_useless(client, invited):
    first = link_in(mail.outbox[-1])
    assert invitations.send(invited)
    second = link_in(mail.outbox[-1])
    assert first != second and client.get(path_of(first)).status_code == 400
    assert accept(client, second).status_code == 302


def test_an_invitation_whose_mail_fails_stays_unsent_for_the_retry(db, station, monkeypatch):
    user = get_user_model().objects.create_user("bk-new", "new@police.go.th")
    invitation = invitations.invite(user, station)

    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(invitations, "send_mail", smtp_down)
    with pytest.raises(OSError):
        invitations.send(invitation)
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.sent_at is None and stored.send_count == 0
    monkeypatch.undo()
    assert invitations.send(stored) and len(mail.outbox) == 1


def test_password_validators_apply_and_nothing_is_lost(client, invited):
    response = accept(client, link_in(mail.outbox[-1]), password="12345678")
    assert response.status_code == 400 and "รหัสผ่าน" in response.content.decode()
    assert not get_user_model().objects.get(username="bk-new").has_usable_password()


def test_a_forged_link_is_refused(client, invited):
    assert client.get("/invite/MQ/abc-def/").status_code == 400
    assert client.get("/invite/!!/set-password/").status_code == 400


def test_pending_list_and_resend(client, users, invited, django_capture_on_commit_callbacks, django_assert_num_queries):
    client.force_login(users["admin"])
    page = client.get(reverse("invitations"))
    assert page.status_code == 200 and "bk-new" in page.content.decode()
    with django_assert_num_queries(6):  # session, user, admin paths, any?, count, page
        client.get(reverse("invitations"))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation-resend", args=[invited.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("invitations") and len(mail.outbox) == sent + 1
    invited.refresh_from_db()
    assert invited.send_count == 2


@pytest.mark.parametrize("who", ["responsible", "viewer", "hq-supervisor", "other-admin"])
def test_pending_list_and_resend_are_for_those_who_run_the_unit(client, users, invited, who):
    client.force_login(users[who])
    if who == "other-admin":
        assert "bk-new" not in client.get(reverse("invitations")).content.decode()
    else:
        assert client.get(reverse("invitations")).status_code == 403
    assert client.post(reverse("invitation-resend", args=[invited.pk])).status_code == 403


def test_invitation_pages_send_anonymous_to_login(client, invited):
    for response in (client.get(reverse("invitations")), client.post(reverse("invitation-resend", args=[invited.pk]))):
        assert response["Location"].startswith(reverse("login"))


def test_national_admin_command_invites_and_sets_no_password(db, capsys):
    call_command("create_national_admin", "nacc-admin", email="admin@police.go.th")
    user = get_user_model().objects.get(username="nacc-admin")
    assert not user.has_usable_password()
    assert Role.objects.filter(user=user, unit=Unit.objects.get(slug="rtp"), role=Role.ADMIN).exists()
    assert mail.outbox[-1].to == ["admin@police.go.th"] and "/invite/" in mail.outbox[-1].body
    assert "admin@police.go.th" in capsys.readouterr().out
    assert Invitation.objects.get(user=user).unit.slug == "rtp"


def test_an_invitation_sent_while_serving_another_address_links_there(invited):
    """Issue 19: `make run PORT=8811` — an invitation sent while a page is served on 8811 links to 8811."""
    from ita_portal.lib.site import serving

    with serving("http://127.0.0.1:8811"):
        invitations.send(invited)
    assert link_in(mail.outbox[-1]).startswith("http://127.0.0.1:8811/invite/")


SITE_URL_OF = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


@pytest.mark.parametrize("debug, expected", [("true", "http://127.0.0.1:8811"), ("false", "http://127.0.0.1:8000")])
def test_commands_outside_a_request_follow_the_port_make_run_serves(tmp_path, debug, expected):
    """`make run PORT=8811` writes the address it serves on; a command run beside it (the national admin's
    invitation, printed on the console) links there too — in development only: production needs SITE_URL."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    served = tmp_path / "run-site-url"
    served.write_text("http://127.0.0.1:8811\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings", "RUN_SITE_URL_FILE": str(served), "DEBUG": debug,
        "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "localhost"}
    done = subprocess.run([sys.executable, "-c", SITE_URL_OF], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert done.stdout.strip() == expected, done.stderr[-1500:]


def test_the_password_page_asks_to_confirm_the_new_password_not_an_old_one(client, invited):
    """Fixed with the password reset (issue 19): the second field's help does not speak of an old password."""
    response = client.get(path_of(link_in(mail.outbox[-1])), follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and 'name="new_password2"' in body and "รหัสผ่านเดิม" not in body
