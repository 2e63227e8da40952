"""Linking LINE to the portal through the webhook: a person sends their one-time code to the Official
Account (a `message` from a user), a unit admin posts the unit's code in the group the account joined
(a `message` from a group); blocking the account (`unfollow`) or removing it from the group (`leave`)
unlinks. Only the IDs a valid code links are stored — nothing else sent to the account is kept."""

import re

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from linebot.v3.webhooks import (
    FollowEvent,
    GroupSource,
    JoinEvent,
    LeaveEvent,
    MessageEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from units import line
from units.messaging_models import LineGroup, LinkCode, MessagingProfile

CODE_PATTERN = re.compile(r"^\s*ITA-?([A-Z0-9]{6})\s*$", re.IGNORECASE)


def handle(event, account: str = "") -> None:
    """One webhook event received by the channel `account`; replies in Thai where the person waits."""
    source = event.source
    with translation.override("th"):
        if isinstance(event, FollowEvent) and isinstance(source, UserSource):
            line.reply(event.reply_token, account=account, text=_("Welcome. To receive the portal's messages here, send the code "
                                            "shown on your notification settings page in the ITA Portal."))
        elif isinstance(event, UnfollowEvent) and isinstance(source, UserSource):
            unlink_user(line_user_id=source.user_id, account=account)
        elif isinstance(event, JoinEvent) and isinstance(source, GroupSource):
            line.reply(event.reply_token, account=account, text=_("To receive the unit's messages in this group, the unit's admin "
                                            "posts the group code from the ITA Portal here."))
        elif isinstance(event, LeaveEvent) and isinstance(source, GroupSource):
            LineGroup.objects.filter(group_id=source.group_id, account=account).delete()
        elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            _message(event, source, account)


def _message(event, source, account) -> None:
    match = CODE_PATTERN.match(event.message.text or "")
    if isinstance(source, GroupSource):
        if match is None:
            return  # the group's own conversation: not for the portal
        unit = link_group("ITA-" + match.group(1).upper(), source.group_id, account)
        reply = (_("This group now receives the messages of %(unit)s.") % {"unit": unit} if unit
                 else _("This code is not valid or has expired. Ask for a new code in the ITA Portal."))
    elif isinstance(source, UserSource):
        user = link_user("ITA-" + match.group(1).upper(), source.user_id, account) if match else None
        reply = (_("Linked. The portal's messages for %(name)s now come here.") % {"name": user.get_full_name() or user.username}
                 if user else _("This code is not valid or has expired. Ask for a new code in the ITA Portal."))
    else:
        return
    line.reply(event.reply_token, reply, account)


@transaction.atomic
def _use(code: str, for_group: bool):
    found = (LinkCode.objects.valid().select_for_update(of=("self",)).select_related("user", "unit")
             .filter(code=code, unit__isnull=not for_group).first())
    if found is not None:
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
    return found


@transaction.atomic
def link_user(code: str, line_user_id: str, account: str = ""):
    """The user whose valid code this is, now linked to `line_user_id`; None for a bad code."""
    found = _use(code, for_group=False)
    if found is None or not found.user.is_active:
        return None
    MessagingProfile.objects.filter(line_user_id=line_user_id).exclude(user=found.user).update(
        line_user_id=None, linked_at=None)  # one LINE account reaches one person
    profile, _created = MessagingProfile.objects.get_or_create(user=found.user)
    profile.line_user_id, profile.linked_at, profile.account = line_user_id, timezone.now(), account
    profile.save(update_fields=["line_user_id", "linked_at", "account"])
    return found.user


def unlink_user(user=None, line_user_id: str | None = None, account: str = "") -> int:
    """From the profile (`user`) or by blocking the account (`line_user_id` on `account`): e-mail from then on."""
    profiles = MessagingProfile.objects.exclude(line_user_id=None)
    profiles = (profiles.filter(user=user) if user is not None
                else profiles.filter(line_user_id=line_user_id, account=account))
    return profiles.update(line_user_id=None, linked_at=None)


@transaction.atomic
def link_group(code: str, group_id: str, account: str = ""):
    """The unit whose valid group code this is, now linked to the group; None for a bad code."""
    found = _use(code, for_group=True)
    if found is None:
        return None
    LineGroup.objects.filter(group_id=group_id).exclude(unit=found.unit).delete()
    LineGroup.objects.update_or_create(unit=found.unit, defaults={"group_id": group_id, "linked_by": found.user,
                                                                  "account": account})
    return found.unit
