"""A second factor (TOTP with recovery codes, django-otp) for the people who publish for a unit.

Required (when TWO_FACTOR_REQUIRED, the default in production) for admins, commanders, supervisors
and Django staff; offered to everyone else, and to everyone in the development demo so that the
README's demo logins keep working. Whether a user needs one follows the user's CURRENT roles: it is
asked again on every request of a session not yet verified (a viewer promoted to commander while
signed in must set up or present a second factor before the next staff page). A verified session pays
no query for it; neither does the development demo, where it is not required.
"""

import base64
import time

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ita_portal.lib import languages
from units.models import Role

ENROLLED, REQUIRED = "2fa_enrolled", "2fa_required"
RECOVERY_CODES = 10
REQUIRED_ROLES = (Role.ADMIN, Role.COMMANDER, Role.SUPERVISOR)


def needs_second_factor(user) -> bool:
    return user.is_staff or user.is_superuser or Role.objects.filter(user=user, role__in=REQUIRED_ROLES).exists()


@receiver(user_logged_in)
def _remember_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED] = user_has_device(user, confirmed=True)
        request.session[REQUIRED] = needs_second_factor(user)
        request.session["seen"] = int(time.time())  # the idle timeout counts from here


def require_second_factor(get_response):
    """A user with a device proves it after the password; one who must have one enrols first."""

    def middleware(request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _exempt(request.path):
            if request.session.get(ENROLLED):
                return redirect(f"{reverse('two-factor-verify')}?next={request.get_full_path()}")
            if settings.TWO_FACTOR_REQUIRED and _required_now(request, user):
                if user_has_device(user, confirmed=True):  # enrolled in another session since this login
                    request.session[ENROLLED] = True
                    return redirect(f"{reverse('two-factor-verify')}?next={request.get_full_path()}")
                messages.info(request, _("Your role needs two-step verification: set it up to continue."))
                return redirect("two-factor-setup")
        return get_response(request)

    return middleware


def _required_now(request, user) -> bool:
    """Asked of the roles held now, not of those held at login: a grant takes effect on the next request."""
    required = needs_second_factor(user)
    if request.session.get(REQUIRED) != required:  # saved only when it changed (the 2FA page shows it)
        request.session[REQUIRED] = required
    return required


def _exempt(path: str) -> bool:
    path = languages.without_prefix(path)  # /en/account/2fa/ as /account/2fa/
    return any(path.startswith(prefix) for prefix in settings.TWO_FACTOR_EXEMPT_PATHS)


class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Code from the authenticator app, or a recovery code"), max_length=16,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").replace("-", "").strip()


@login_required
def overview(request):
    return render(request, "two_factor/overview.html", {
        "enrolled": request.session.get(ENROLLED, False), "required": request.session.get(REQUIRED, False),
        "codes_left": StaticToken.objects.filter(device__user=request.user).count()})


@login_required
def setup(request):
    """Scan the QR code, type the code it shows: the device is confirmed and recovery codes given."""
    if request.session.get(ENROLLED):
        return redirect("two-factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[ENROLLED] = True
            return render(request, "two_factor/codes.html", {"codes": _new_recovery_codes(request.user)})
        form.add_error("token", _("That code is not right. Type the 6 digits the app shows now."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "two_factor/setup.html", {"form": form, "qr": qr, "secret": secret},
                  status=400 if form.errors else 200)


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
@require_POST
def recovery_codes(request):
    if not request.user.is_verified():
        return redirect("two-factor-verify")
    return render(request, "two_factor/codes.html", {"codes": _new_recovery_codes(request.user)})


@login_required
def verify(request):
    """The second step of logging in: a code from the app, or one recovery code (used up)."""
    next_url = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = settings.LOGIN_REDIRECT_URL
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("That code is not right. Type the 6 digits the app shows now, or a recovery code."))
    return render(request, "two_factor/verify.html", {"form": form, "next": next_url}, status=400 if form.errors else 200)


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes' lockout answer: a Thai page saying what happened and what to do (429)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
