"""Granting a role on a unit, to one of its officers (creating their login) or an existing login."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from units import enqueue, invitations
from units.forms import successor_label
from units.models import Officer, Role


class GrantForm(forms.Form):
    person = forms.ChoiceField(label=_("Officer or login"))
    role = forms.ChoiceField(label=_("Role"))
    username = forms.CharField(label=_("Username of the new login"), max_length=150, required=False,
                               validators=[UnicodeUsernameValidator()],
                               help_text=_("Only for an officer without a login; e.g. bk-somchai."))
    email = forms.EmailField(label=_("E-mail for the invitation"), required=False,
                             help_text=_("Only for an officer without a login; the officer's e-mail when empty."))

    def __init__(self, *args, unit, grantable, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        User = get_user_model()
        self.officers = {f"o{o.pk}": o for o in Officer.objects.filter(unit=unit, is_active=True).select_related("user")}
        self.logins = {f"u{u.pk}": u for u in User.objects.filter(unit_roles__unit=unit, officer__isnull=True).distinct()}
        self.fields["person"].choices = [("", "—")] + [(k, successor_label(o)) for k, o in self.officers.items()] + [
            (k, _("login %(username)s") % {"username": u.username}) for k, u in self.logins.items()]
        self.fields["role"].choices = [(code, label) for code, label in Role.CHOICES if code in grantable]

    def clean(self):
        data = super().clean()
        key = data.get("person")
        if not key or "role" not in data:
            return data
        officer = self.officers.get(key)
        user = self.logins.get(key) or (officer.user if officer and officer.user_id else None)
        data["officer"], data["user"] = officer, user
        if user is None:
            username, email = data.get("username"), data.get("email") or officer.email
            if not username:
                self.add_error("username", _("%(name)s has no login yet: choose a username for it.") % {"name": officer.display_name})
            elif get_user_model().objects.filter(username=username).exists():
                self.add_error("username", _("The username %(username)s is taken.") % {"username": username})
            if not email:
                self.add_error("email", _("Give an e-mail address: the invitation to choose a password goes there."))
            data["email"] = email
        elif Role.objects.filter(user=user, unit=self.unit, role=data["role"]).exists():
            self.add_error("role", _("%(user)s already has this role here.") % {"user": user.username})
        return data

    @transaction.atomic
    def save(self, by):
        data, user = self.cleaned_data, self.cleaned_data["user"]
        invitation = None
        if user is None:
            officer = data["officer"]
            user = get_user_model().objects.create_user(data["username"], email=data["email"], first_name=officer.first_name[:150],
                                                        last_name=officer.last_name[:150])  # no password: unusable
            officer.user = user
            officer.save(update_fields=["user"])
            invitation = invitations.invite(user, self.unit, by)
            enqueue.invitations([invitation.pk])
        role = Role.objects.create(user=user, unit=self.unit, role=data["role"])
        return role, invitation
