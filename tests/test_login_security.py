"""Logging in: password guessing locks the account being guessed (not everyone behind the same
address), an admin unlocks it; TOTP two-step verification with recovery codes, required in
production for admins, commanders and supervisors; sessions that end after an idle hour."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from oit_items.evidence.models import AuditEvent, ItemPeriod
from tests.conftest import approve_period, make_docx, make_pdf
from units.models import Role

PASSWORD = settings.DEMO_PASSWORD


def log_in(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, db):
    for n in range(50):
        log_in(client, "bk-commander", f"guess-{n}")
    response = log_in(client, "bk-commander")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "ล็อก" in page and "ผู้ดูแลระบบ" in page  # Thai: locked, ask the administrator


def test_the_others_behind_the_same_address_still_log_in(client, db):
    for n in range(6):
        log_in(client, "bk-commander", f"guess-{n}")
    assert log_in(client, "bk-commander").status_code == 429
    assert log_in(client, "bk-responsible").status_code == 302  # the same 127.0.0.1, another account
    assert "_auth_user_id" in client.session


def test_behind_the_proxy_the_lock_follows_the_client_address_the_portal_uses(client, db, settings):
    """USE_X_FORWARDED_FOR: the guesser's address (audit.client_ip, as in the audit log and the
    rate limits) is locked, not the proxy's — the same officer from another address still logs in."""
    from axes.models import AccessAttempt

    settings.USE_X_FORWARDED_FOR, settings.TRUSTED_PROXIES = True, ["10.0.0.1"]
    guesser = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for n in range(6):
        log_in(client, "bk-commander", f"guess-{n}", **guesser)
    assert log_in(client, "bk-commander", **guesser).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert log_in(client, "bk-commander", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_twelve_addresses_cannot_take_turns_at_one_account(client, db):
    """Issue 22: five wrong passwords lock an account on one address; ten from any addresses lock it everywhere."""
    for n in range(12):
        log_in(client, "bk-commander", f"guess-{n}", REMOTE_ADDR=f"198.51.100.{n + 1}")
    response = log_in(client, "bk-commander", REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "ล็อก" in response.content.decode()
    assert log_in(client, "bk-responsible", REMOTE_ADDR="198.51.100.1").status_code == 302  # only that account


def test_below_the_ceiling_the_account_still_logs_in_from_elsewhere(client, db):
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT - 1):
        log_in(client, "bk-commander", f"guess-{n}", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert log_in(client, "bk-commander", REMOTE_ADDR="198.51.100.200").status_code == 302


def test_a_forwarded_address_is_believed_only_from_a_named_proxy(client, db, settings):
    """A client that writes X-Forwarded-For itself keeps its own address; so does one that prepends a
    false address before a trusted proxy appends the real one."""
    from ita_portal.lib.http import client_ip

    settings.USE_X_FORWARDED_FOR, settings.TRUSTED_PROXIES = True, ["10.0.0.1"]
    request = client.get("/healthz/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4").wsgi_request
    assert client_ip(request) == "203.0.113.9"
    request = client.get("/healthz/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9").wsgi_request
    assert client_ip(request) == "203.0.113.9"


def test_use_x_forwarded_for_without_a_named_proxy_is_refused(settings):
    from ita_portal import checks

    settings.USE_X_FORWARDED_FOR, settings.TRUSTED_PROXIES = True, []
    assert [e.id for e in checks.trusted_proxy()] == ["ita_portal.E004"]
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert checks.trusted_proxy() == []


def test_an_admin_unlocks_the_account(client, superuser, db):
    from axes.models import AccessAttempt

    for n in range(6):
        log_in(client, "bk-commander", f"guess-{n}")
    assert log_in(client, "bk-commander").status_code == 429
    admin = client.__class__()
    admin.force_login(superuser)
    attempts = AccessAttempt.objects.filter(username="bk-commander")
    response = admin.post("/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": list(
        attempts.values_list("pk", flat=True)), "post": "yes"})
    assert response.status_code == 302 and not attempts.exists()
    assert log_in(client, "bk-commander").status_code == 302


def enrol(client, username) -> tuple[str, list[str]]:
    """Set up the authenticator app as a person would: read the key off the page, type its code."""
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get("/account/2fa/setup/").content.decode()
    secret = re.search(r"data-secret>([A-Z2-7]+)<", page).group(1)
    response = client.post("/account/2fa/setup/", {"token": code_for(secret)})
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert response.status_code == 200 and len(codes) == 10
    return secret, codes


def code_for(secret: str, later: int = 0) -> str:
    """What the app shows now (or `later` seconds from now: a code is accepted once, never replayed)."""
    import base64

    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def test_two_step_verification_after_the_password(client, db):
    secret, codes = enrol(client, "bk-admin")
    client.post("/logout/")
    assert log_in(client, "bk-admin").status_code == 302
    workspace = client.get("/staff/")
    assert workspace.status_code == 302 and workspace["Location"].startswith("/account/2fa/verify/")
    wrong = client.post("/account/2fa/verify/", {"token": "123456", "next": "/staff/"})
    assert wrong.status_code == 400 and "ไม่ถูกต้อง" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes a guesser wait after a wrong code (1 s, 2 s, 4 s …)
    assert client.post("/account/2fa/verify/", {"token": code_for(secret), "next": "/staff/"}).status_code == 400  # replayed
    time.sleep(2.1)
    response = client.post("/account/2fa/verify/", {"token": code_for(secret, later=30), "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_recovery_code_works_once(client, db):
    _secret, codes = enrol(client, "bk-commander")
    client.post("/logout/")
    log_in(client, "bk-commander")
    assert client.post("/account/2fa/verify/", {"token": codes[0]}).status_code == 302
    client.post("/logout/")
    log_in(client, "bk-commander")
    assert client.post("/account/2fa/verify/", {"token": codes[0]}).status_code == 400


@pytest.mark.parametrize("username, must_enrol", [
    ("bk-admin", True), ("bk-commander", True), ("hq-supervisor", True), ("bk-responsible", False), ("bk-viewer", False),
])
def test_required_in_production_for_those_who_publish(client, settings, db, username, must_enrol):
    settings.TWO_FACTOR_REQUIRED = True
    assert log_in(client, username).status_code == 302
    response = client.get("/staff/")
    if must_enrol:
        assert response.status_code == 302 and response["Location"] == "/account/2fa/setup/"
        assert client.get("/account/2fa/setup/").status_code == 200  # enrolling is allowed, of course
    else:
        assert response.status_code == 200


def test_the_development_demo_offers_it_without_enforcing(client, db):
    assert settings.TWO_FACTOR_REQUIRED is False  # DEBUG: the README's demo logins keep working
    assert log_in(client, "bk-commander").status_code == 302
    page = client.get("/staff/")
    assert page.status_code == 200 and "/account/2fa/" in page.content.decode()


def test_staff_sessions_end_after_an_idle_hour(client, db):
    assert settings.SESSION_COOKIE_AGE == 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    log_in(client, "bk-viewer")
    session = client.session
    session["seen"] = 0  # last request long ago (for the purpose of sliding the expiry)
    session.save()
    before = session.get_expiry_date()
    client.get("/staff/")
    assert client.session.get_expiry_date() >= before and client.session["seen"] > 0


def test_password_validators_refuse_a_weak_password(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = get_user_model().objects.get(username="bk-viewer")
    for weak in ("12345678", "password", "bk-viewer1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)


def test_a_promotion_while_signed_in_needs_the_second_factor_before_the_next_staff_page(client, settings, station, users, o7):
    """Issue 22: the need follows the roles held now. A viewer promoted to commander while signed in
    cannot approve and publish with the session opened without a second factor."""
    settings.TWO_FACTOR_REQUIRED = True
    period = approve_period(users, station, o7, datetime.date(2023, 10, 1),
                            [("รายงาน.pdf", make_pdf()), ("รายงาน.docx", make_docx())], publish=False)
    assert log_in(client, "bk-viewer").status_code == 302
    assert client.get("/staff/").status_code == 200  # a viewer needs none
    viewer = get_user_model().objects.get(username="bk-viewer")
    Role.objects.create(user=viewer, unit=station, role=Role.COMMANDER)
    approve = reverse("period-transition", args=[station.slug, 2567, "o7", "m10", "approve"])
    response = client.post(approve)
    assert response.status_code == 302 and response["Location"] == "/account/2fa/setup/"
    assert ItemPeriod.objects.get(pk=period.pk).state == ItemPeriod.CHECKED
    assert not AuditEvent.objects.filter(item_period=period, action="approve").exists()
    assert client.get("/staff/")["Location"] == "/account/2fa/setup/"
    assert client.session["2fa_required"] is True


def test_a_device_set_up_in_another_session_is_asked_for_not_set_up_again(client, settings, db):
    settings.TWO_FACTOR_REQUIRED = True
    assert log_in(client, "bk-commander").status_code == 302  # no device yet: must set one up
    other = Client()
    enrol(other, "bk-commander")
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/verify/")
