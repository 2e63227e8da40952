"""Invitations: a new login chooses its own password through a one-time, expiring link.

Nobody ever sets or publishes a password for someone else. The link carries one of Django's
password-reset tokens (an HMAC of the user's password hash, last login and the invitation's
send time), so it stops working as soon as the password is chosen, when a newer invitation is
sent, or after INVITATION_TIMEOUT_DAYS.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from ita_portal.lib.site import site_url
from units.models import Invitation


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "units.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        invitation = Invitation.objects.filter(user=user).values_list("sent_at", flat=True).first()
        return super()._make_hash_value(user, timestamp) + str(invitation or "")

    def check_token(self, user, token):
        """Django's check, with the invitation's own validity instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - timestamp
        if age > settings.INVITATION_TIMEOUT_DAYS * 86400:
            return False
        return any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks])


tokens = InvitationTokenGenerator()


def invite(user, unit, by=None) -> Invitation:
    """The invitation of a login that has no password yet (created once; sending is separate)."""
    invitation, _created = Invitation.objects.get_or_create(user=user, defaults={"unit": unit, "invited_by": by})
    return invitation


def link(invitation) -> str:
    uid = urlsafe_base64_encode(force_bytes(invitation.user.pk))
    return site_url() + reverse("invitation-accept", args=[uid, tokens.make_token(invitation.user)])


def send(invitation) -> bool:
    """E-mail the link (a fresh one: earlier links stop working). False when there is no address
    or the invitation was accepted already."""
    user = invitation.user
    if invitation.accepted_at or not user.email or user.has_usable_password():
        return False
    with transaction.atomic():  # a failed send leaves it unsent, for the task's retry
        invitation.sent_at = timezone.now()
        invitation.send_count += 1
        invitation.save(update_fields=["sent_at", "send_count"])  # before the link: its token hashes sent_at
        context = {"user": user, "unit": invitation.unit, "link": link(invitation), "days": settings.INVITATION_TIMEOUT_DAYS,
                   "site": site_url()}
        with translation.override("th"):
            subject = render_to_string("units/email/invitation_subject.txt", context).strip()
            body = render_to_string("units/email/invitation_body.txt", context)
        send_mail(subject, body, None, [user.email])
    return True


def accepted(invitation) -> None:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
