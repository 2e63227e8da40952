"""Write what a clean dry run planned: in one transaction, in bulk, with history records.

New logins get no password (an unusable one) and, unless told otherwise, an invitation whose
e-mail is sent after the transaction commits.
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from units import enqueue
from units.models import Invitation, Officer, Role, Unit
from units.signals import unit_details_changed

BATCH = 1000


class NotClean(Exception):
    pass


def _depth(check, code) -> int:
    depth = 0
    while code in check.units and check.units[code].new:
        code = check.units[code].parent
        depth += 1
    return depth


def _unit(check, code) -> Unit:
    return check.units[code].obj if code in check.units else check.db_units[code]


def _update(planned_list, model, by, exclude=()):
    objs = [p.obj for p in planned_list if not p.new and set(p.changed) - set(exclude)]
    fields = sorted({name for p in planned_list if not p.new for name in p.changed} - set(exclude))
    if objs:
        bulk_update_with_history(objs, model, fields, batch_size=BATCH, default_user=by)
    return len(objs)


@transaction.atomic
def apply(check, by=None, invite: bool = True) -> dict:
    if check.refused:
        raise NotClean("refused rows: nothing is applied")
    counts = {"units": 0, "officers": 0, "users": 0, "linked": 0, "roles": 0, "invitations": 0}
    new_units = [p for p in check.units.values() if p.new]
    for depth in sorted({_depth(check, p.obj.slug) for p in new_units}):
        level = [p.obj for p in new_units if _depth(check, p.obj.slug) == depth]
        for unit in level:
            unit.parent = _unit(check, check.units[unit.slug].parent) if check.units[unit.slug].parent else None
        bulk_create_with_history(level, Unit, batch_size=BATCH, default_user=by)
        for unit in level:
            unit.path = unit._computed_path()
        Unit.objects.bulk_update(level, ["path"], batch_size=BATCH)
    counts["units"] = len(new_units) + _update(check.units.values(), Unit, by, exclude=("head",))

    new_officers = [p for p in check.officers.values() if p.new]
    for planned in check.officers.values():
        planned.obj.unit = _unit(check, planned.parent)
    bulk_create_with_history([p.obj for p in new_officers], Officer, batch_size=BATCH, default_user=by)
    counts["officers"] = len(new_officers) + _update(check.officers.values(), Officer, by)

    heads = [p.obj for p in check.units.values() if "head" in p.changed]
    for unit in heads:
        unit.head = check.officer(check.units[unit.slug].head)
    if heads:
        bulk_update_with_history(heads, Unit, ["head"], batch_size=BATCH, default_user=by)
    for planned in check.units.values():
        if planned.changed and not planned.new:  # its public pages show its details and head
            transaction.on_commit(partial(unit_details_changed.send, sender=Unit, unit=planned.obj))

    counts["users"], counts["linked"] = _users(check, by)
    roles = [Role(user=planned.obj, unit=_unit(check, code), role=role) for planned, code, role in check.roles]
    bulk_create_with_history(roles, Role, batch_size=BATCH, default_user=by)
    counts["roles"] = len(roles)
    if invite and check.invite:
        invitations = Invitation.objects.bulk_create(
            [Invitation(user=planned.obj, unit=_unit(check, code), invited_by=by) for planned, code in check.invite],
            batch_size=BATCH)
        enqueue.invitations([i.pk for i in invitations])
        counts["invitations"] = len(invitations)
    return counts


def _users(check, by) -> tuple[int, int]:
    """(new logins, officers linked to a login)."""
    new = [p for p in check.users.values() if p.new]
    for planned in new:
        user = planned.obj
        officer = check.officer(planned.officer_key) if planned.officer_key else None
        user.email, user.password = planned.email, make_password(None)  # "!" + random: no password matches it
        if officer is not None:
            user.first_name, user.last_name = officer.first_name[:150], officer.last_name[:150]
    get_user_model().objects.bulk_create([p.obj for p in new], batch_size=BATCH)
    links = []
    for planned in check.users.values():
        officer = check.officer(planned.officer_key) if planned.officer_key else None
        if officer is not None and officer.user_id != planned.obj.pk:
            officer.user = planned.obj
            links.append(officer)
    if links:
        bulk_update_with_history(links, Officer, ["user"], batch_size=BATCH, default_user=by)
    return len(new), len(links)
