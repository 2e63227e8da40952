"""Who has not accepted their invitation yet (and re-sending it); accepting one: choosing a password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from units import enqueue, invitations
from units.models import Invitation
from units.permissions import managed_units, require, unit_access

SESSION_TOKEN = "_invitation_token"
TOKEN_IN_URL = "set-password"


@login_required
def pending(request):
    units = managed_units(request.user)
    invitations_qs = (Invitation.objects.pending().filter(unit__in=units)
                      .select_related("user", "unit", "user__officer").order_by("unit__path", "user__username"))
    require(units.exists())
    page = Paginator(invitations_qs, 50).get_page(request.GET.get("page"))
    return render(request, "units/invitations.html", {"page": page})


@login_required
@require_POST
def resend(request, pk):
    invitation = get_object_or_404(Invitation.objects.select_related("unit", "user"), pk=pk)
    require(unit_access(request.user, invitation.unit).manage)
    if invitation.accepted_at is None:
        enqueue.invitations([invitation.pk], resend=True)
        messages.success(request, _("A new invitation is on its way to %(email)s; the earlier link no longer works.")
                         % {"email": invitation.user.email})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "invitations"
    return redirect(target)


def _user_of(uidb64):
    try:
        return get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None


@never_cache
@sensitive_post_parameters()
def accept(request, uidb64, token):
    """Django's password-reset pattern: the token leaves the address bar (and so the Referer)
    for the session before the form is shown."""
    user = _user_of(uidb64)
    if token != TOKEN_IN_URL:
        if user is not None and invitations.tokens.check_token(user, token):
            request.session[SESSION_TOKEN] = token
            return redirect("invitation-accept", uidb64=uidb64, token=TOKEN_IN_URL)
        return render(request, "units/invitation_invalid.html", status=400)
    token = request.session.get(SESSION_TOKEN, "")
    if user is None or not invitations.tokens.check_token(user, token):
        return render(request, "units/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        invitation = Invitation.objects.filter(user=user).first()
        if invitation:
            invitations.accepted(invitation)
        del request.session[SESSION_TOKEN]
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. Welcome, %(username)s.") % {"username": user.username})
        return redirect(settings.LOGIN_REDIRECT_URL)  # where a login lands: my work
    return render(request, "units/invitation_accept.html", {"form": form, "invited": user},
                  status=400 if request.method == "POST" else 200)
