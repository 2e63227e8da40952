"""`manage.py create_national_admin USERNAME --email E [--unit SLUG]`

A national admin administers the top unit (ตร.), and so every unit below it: they import the
units' spreadsheet, grant roles anywhere and edit the OIT frameworks. No password is set here:
the new login gets an invitation e-mail with a one-time link to choose one.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from units import invitations
from units.models import Role, Unit, UnitType

TOP = {"slug": "rtp", "name_th": "สำนักงานตำรวจแห่งชาติ", "name_en": "Royal Thai Police", "short_name_th": "ตร.",
       "short_name_en": "RTP"}


class Command(BaseCommand):
    help = "Create (or promote) a national admin: admin of the top unit; invited by e-mail to choose a password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--unit", help="slug of the top unit (default: the only top unit, created as rtp if none)")

    def handle(self, *args, username, email, unit, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address")
        with transaction.atomic():
            top = self._top(unit)
            User = get_user_model()
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            if created:
                user.set_unusable_password()
                user.save()
            Role.objects.get_or_create(user=user, unit=top, role=Role.ADMIN)
            invitation = invitations.invite(user, top) if not user.has_usable_password() else None
        self.stdout.write(f"{username} is an admin of {top.slug} ({top.name_th}).")
        if invitation is not None and invitations.send(invitation):
            self.stdout.write(f"An invitation to choose a password was e-mailed to {user.email}.")
        elif invitation is None:
            self.stdout.write("The login already has a password; nothing was sent.")

    def _top(self, slug):
        if slug:
            top = Unit.objects.filter(slug=slug, parent__isnull=True).first()
            if top is None:
                raise CommandError(f"no top unit (without a parent) has the slug {slug!r}")
            return top
        tops = list(Unit.objects.filter(parent__isnull=True))
        if len(tops) > 1:
            raise CommandError("several top units: choose one with --unit")
        if tops:
            return tops[0]
        return Unit.objects.create(unit_type=UnitType.objects.get(code="national"), **TOP)
