"""Forgot your password (issue 19): Django's reset views in Thai, linked from the login page; the same answer
whether or not the address has a login; the link works once and expires; a few requests per hour."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

NEW_PASSWORD = "Ch0ose-a-n3w-one"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the rate limits count in the cache


@pytest.fixture
def commander(db):
    user = get_user_model().objects.get(username="bk-commander")
    user.email = "commander@police.go.th"
    user.save(update_fields=["email"])
    return user


def ask(client, email):
    return client.post(reverse("password-reset"), {"email": email})


def link_in(message) -> str:
    return re.search(r"https?://\S+/password-reset/\S+/\S+/", message.body).group(0)


def path_of(link) -> str:
    return urlsplit(link).path


def test_the_login_page_links_to_it_in_thai(client, db):
    login = client.get(reverse("login")).content.decode()
    assert reverse("password-reset") in login and "ลืมรหัสผ่าน" in login
    page = client.get(reverse("password-reset")).content.decode()
    assert "ส่งลิงก์ให้ฉัน" in page and 'name="email"' in page


def test_a_known_address_gets_a_link_that_sets_a_new_password_once(client, commander, settings):
    response = ask(client, "Commander@police.go.th")
    assert response.status_code == 302 and response["Location"] == reverse("password-reset-sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["commander@police.go.th"]
    assert "ตั้งรหัสผ่านใหม่" in mail.outbox[0].subject
    link = link_in(mail.outbox[0])
    assert link.startswith("http://testserver/password-reset/")  # the address served (development), see site.py
    form = client.get(path_of(link), follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form.content.decode() and "bk-commander" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password-reset-complete")
    assert client.post(reverse("login"), {"username": "bk-commander", "password": NEW_PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    again = client.get(path_of(link), follow=True).content.decode()
    assert "data-reset-invalid" in again  # used once: never again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, commander):
    known, unknown = ask(client, "commander@police.go.th"), ask(client, "nobody@police.go.th")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_a_login_still_waiting_for_its_invitation_gets_no_link(client, commander):
    commander.set_unusable_password()
    commander.save()
    assert ask(client, "commander@police.go.th").status_code == 302 and mail.outbox == []


def test_the_link_expires(client, commander, settings, monkeypatch):
    ask(client, "commander@police.go.th")
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = client.get(path_of(link_in(mail.outbox[0])), follow=True).content.decode()
    assert "data-reset-invalid" in page and "ลิงก์นี้ใช้ไม่ได้แล้ว" in page


def test_asking_too_often_is_refused_in_thai(client, commander):
    for _ in range(3):
        assert ask(client, "commander@police.go.th").status_code == 302
    refused = ask(client, "commander@police.go.th")
    assert refused.status_code == 429 and "data-reset-limited" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_a_mail_server_that_refuses_changes_nothing_in_the_answer(client, commander, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    response = ask(client, "commander@police.go.th")
    assert response.status_code == 302 and response["Location"] == reverse("password-reset-sent")
