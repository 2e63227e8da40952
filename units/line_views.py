"""The LINE webhook and each person's notification settings: link or unlink LINE with a one-time code
(and a QR code to add the Official Account), choose e-mail, LINE or both per kind of message, quiet
hours; a unit's admin links the unit's LINE group the same way."""

import json
import logging

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from units import line, line_links
from units.messaging_models import CHANNEL_CHOICES, KIND_CHOICES, LineGroup, LinkCode, MessagingProfile
from units.models import Role, Unit
from units.permissions import get_unit_for

log = logging.getLogger(__name__)


@csrf_exempt  # LINE's servers post here; the signature with the channel secret stands for the token
@require_POST
def webhook(request, account=""):
    """/line/webhook/ for the national account, /line/webhook/<slug>/ for a supervising unit's own."""
    if line.channel(account) is None:
        raise Http404
    signature = request.headers.get("X-Line-Signature", "")
    if not signature:
        return HttpResponseBadRequest("missing signature")
    try:
        events = line.parse(request.body.decode("utf-8"), signature, account)
    except line.InvalidSignatureError:
        return HttpResponse("invalid signature", status=401)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, json.JSONDecodeError):
        return HttpResponseBadRequest("malformed body")
    for event in events:
        line_links.handle(event, account)
    return HttpResponse("OK")


class PreferencesForm(forms.Form):
    quiet_from = forms.TimeField(label=gettext_lazy("Quiet from"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_to = forms.TimeField(label=gettext_lazy("Quiet until"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, profile: MessagingProfile, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in KIND_CHOICES:
            self.fields[f"kind_{kind}"] = forms.ChoiceField(label=label, choices=CHANNEL_CHOICES,
                                                            initial=profile.channel(kind))
        self.fields["quiet_from"].initial, self.fields["quiet_to"].initial = profile.quiet_from, profile.quiet_to
        self.order_fields([f"kind_{k}" for k, _label in KIND_CHOICES] + ["quiet_from", "quiet_to"])

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_from")) != bool(data.get("quiet_to")):
            raise forms.ValidationError(_("Give both ends of the quiet hours, or neither."))
        return data

    def save(self, profile: MessagingProfile) -> None:
        profile.channels = {kind: self.cleaned_data[f"kind_{kind}"] for kind, _label in KIND_CHOICES}
        profile.quiet_from, profile.quiet_to = self.cleaned_data["quiet_from"], self.cleaned_data["quiet_to"]
        profile.save()


def _admin_units(user):
    """Units whose LINE group this user may link: those they administer."""
    ids = Role.objects.filter(user=user, role=Role.ADMIN).values_list("unit_id", flat=True)
    return list(Unit.objects.filter(pk__in=ids).select_related("line_group").order_by("path"))


def _qr(data: str) -> str:
    return segno.make(data, error="m").svg_data_uri(scale=5) if data else ""


@login_required
def settings_page(request):
    if not line.enabled():
        raise Http404
    profile, _created = MessagingProfile.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        form.save(profile)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("line-settings")
    code = LinkCode.objects.valid().filter(user=request.user, unit=None).order_by("-created_at").first()
    group_codes = {c.unit_id: c for c in LinkCode.objects.valid().filter(user=request.user, unit__isnull=False)}
    units = [(unit, getattr(unit, "line_group", None) if _has_group(unit) else None, group_codes.get(unit.pk))
             for unit in _admin_units(request.user)]
    account = line.channel_for_unit(_home_unit(request.user))
    return render(request, "units/line_settings.html", {
        "profile": profile, "form": form, "code": code, "units": units,
        "add_friend_url": account.add_friend_url if account else "",
        "qr": _qr(account.add_friend_url if account else ""),
    })


def _home_unit(user):
    """The unit whose Official Account the person adds: where they serve, else where they hold a role."""
    officer = getattr(user, "officer", None)
    if officer is not None:
        return officer.unit
    role = Role.objects.filter(user=user).select_related("unit").order_by("unit__path").first()
    return role.unit if role else None


def _has_group(unit) -> bool:
    try:
        return unit.line_group is not None
    except LineGroup.DoesNotExist:
        return False


@login_required
@require_POST
def issue_code(request):
    if not line.enabled():
        raise Http404
    LinkCode.issue(request.user)
    return redirect("line-settings")


@login_required
@require_POST
def unlink(request):
    if not line.enabled():
        raise Http404
    line_links.unlink_user(user=request.user)
    messages.success(request, _("LINE is unlinked: your messages come by e-mail."))
    return redirect("line-settings")


def _managed_unit(request, slug):
    if not line.enabled():
        raise Http404
    unit, access = get_unit_for(request.user, slug)
    if not access.administer:
        raise Http404
    return unit


@login_required
@require_POST
def issue_group_code(request, slug):
    LinkCode.issue(request.user, unit=_managed_unit(request, slug))
    return redirect("line-settings")


@login_required
@require_POST
def unlink_group(request, slug):
    LineGroup.objects.filter(unit=_managed_unit(request, slug)).delete()
    messages.success(request, _("The unit's LINE group is unlinked."))
    return redirect("line-settings")
