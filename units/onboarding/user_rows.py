"""The users sheet of the dry run: one row per login and role (see checking.py)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from units.models import Role
from units.onboarding import dependents
from units.onboarding.outcome import CREATE, Planned


def check_user_row(check, row, seen_roles) -> None:
    """Every problem of the row at once (a bad username does not hide an unknown role or unit)."""
    username, code = row["username"], row["unit"]
    try:
        UnicodeUsernameValidator()(username)
        if len(username) > 150:
            raise ValidationError("too long")
    except ValidationError:
        row.refuse("username", _("“%(value)s” is not a username: letters, digits and @ . + - _ only (at most 150)."), value=username)
    role = check.role_names.get(row["role"].strip().lower())
    if role is None:
        row.refuse("role", _("unknown role “%(value)s”; one of %(roles)s."), value=row["role"],
                   roles=", ".join(code for code, _label in Role.CHOICES))
    unit_type = check.unit_type_of(code)
    if unit_type is None and not dependents.given_but_refused(check, row, "unit", code):
        row.refuse("unit", _("no unit has the code “%(value)s” (neither in this file nor in the portal)."), value=code)
    if role is not None and unit_type is not None:
        _role_fits(row, role, unit_type)
    if row.refused:
        return
    if (username, code, role) in seen_roles:
        return row.refuse("role", _("the same login, unit and role are already in row %(other)s."), other=seen_roles[(username, code, role)])
    seen_roles[(username, code, role)] = row.number
    planned = check.users.get(username)
    first = planned is None
    if first:
        existing = check.db_users.get(username)
        planned = Planned(row.result, existing or get_user_model()(username=username), existing is None, row=row)
        planned.officer_key, planned.email = check.officer_of_user.get(username, ""), ""
        check.users[username] = planned
    elif planned.new:
        row.result.action = CREATE
    _officer(check, row, planned, username)
    _email(check, row, planned, first)
    if (username, code, role) not in check.db_roles and not row.refused:
        if role not in check.grantable(code):
            return row.refuse("role", _("you may not grant the role “%(role)s” on %(unit)s."), role=dict(Role.CHOICES)[role], unit=code)
        check.roles.append((planned, code, role))
        row.result.changes.append(str(row.sheet.column("role").label))
    if first and planned.new and not row.refused:
        check.invite.append((planned, code))


def _role_fits(row, role, unit_type) -> None:
    """A supervisor oversees the units below: a station has none (refused). The item roles work on a
    unit's own OIT items: a bureau or division publishes none, so the role gives nothing to do (warned)."""
    label = dict(Role.CHOICES)[role]
    if role == Role.SUPERVISOR and unit_type.publishes_oit:
        row.refuse("role", _("a %(type)s has no units below it to supervise; give “%(role)s” on the division or bureau above it."),
                   type=unit_type, role=label)
    elif role in Role.ITEM_ROLES and not unit_type.publishes_oit:
        row.warn("role", _("a %(type)s publishes no OIT items of its own, so “%(role)s” gives nothing to do there; "
                           "did you mean a station or unit below it?"), type=unit_type, role=label)


def _officer(check, row, planned, username):
    key = row["officer"]
    if not key:
        return
    officer = check.officer(key)
    if officer is None:
        return row.refuse("officer", _("no officer has the code “%(value)s”."), value=key)
    if planned.officer_key and planned.officer_key != key:
        return row.refuse("officer", _("the login %(user)s belongs to officer %(other)s."), user=username, other=planned.officer_key)
    holder = check.user_of_officer.get(key) or check.officer_claims.get(key)
    if holder and holder != username:
        return row.refuse("officer", _("officer %(value)s already has the login %(other)s (an officer has one login)."), value=key, other=holder)
    if check.user_of_officer.get(key) != username and check.officer_claims.get(key) != username:
        code = check.officers[key].parent if key in check.officers else officer.unit.slug
        if not check.manages(code):  # a login linked to an officer acts as them: their unit's admins decide
            return row.refuse("officer", _("you may not change the officers of %(value)s."), value=code)
        row.result.changes.append(str(row.sheet.column("officer").label))
    planned.officer_key = key
    check.officer_claims[key] = username


def _email(check, row, planned, first):
    value = row["email"]
    if value:
        check._email(row, None, "email")
        if planned.email and planned.email != value and not row.refused:
            return row.refuse("email", _("another row gives this login the e-mail %(other)s."), other=planned.email)
        planned.email = planned.email or value
    if first and planned.new and not planned.email and not row.refused:
        officer = check.officer(planned.officer_key) if planned.officer_key else None
        planned.email = officer.email if officer is not None else ""
        if not planned.email:
            row.refuse("email", _("a new login needs an e-mail address for its invitation (here or on the officer's row)."))
