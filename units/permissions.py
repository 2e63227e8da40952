"""The one place that answers "may this user do X on this unit?" for every app.

Views call `get_unit_for` (or an app's own helper built on `unit_access`) and pass the returned
`Access` to templates, which show buttons from it and never compute permissions themselves.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Role, Unit


@dataclass(frozen=True)
class Access:
    """What one user may do on one unit."""

    roles: frozenset = field(default_factory=frozenset)
    supervises: bool = False  # holds the supervisor role on this unit or a unit above it
    superuser: bool = False

    def has(self, role) -> bool:
        return self.superuser or role in self.roles

    @property
    def view(self) -> bool:
        return self.superuser or self.supervises or bool(self.roles - {Role.SUPERVISOR})

    @property
    def upload(self) -> bool:
        """May upload evidence at all; a responsible officer only on the items assigned to them."""
        return self.has(Role.ADMIN) or self.has(Role.RESPONSIBLE)

    @property
    def check(self) -> bool:
        return self.has(Role.CONTROLLER)

    @property
    def approve(self) -> bool:
        return self.has(Role.COMMANDER)

    @property
    def administer(self) -> bool:
        """Manage the unit's data: contact details, officers, assignments."""
        return self.has(Role.ADMIN)

    @property
    def itap(self) -> bool:
        """Prepare the ITAP sheet and QR codes: the admin reports to ITAP, the commander approves it."""
        return self.has(Role.ADMIN) or self.has(Role.COMMANDER)

    @property
    def channels(self) -> bool:
        """Read and answer the public's questions, triage corruption complaints (sensitive: not
        supervisors, not every officer)."""
        return self.has(Role.ADMIN) or self.has(Role.COMMANDER)

    @property
    def overview(self) -> bool:
        """See the readiness of the units below and remind the lagging ones: supervisors."""
        return self.superuser or self.supervises

    def may(self, need: str) -> bool:
        if need not in ACTIONS:
            raise ValueError(f"unknown permission {need!r}")
        return getattr(self, need)


ACTIONS = ("view", "upload", "check", "approve", "administer", "itap", "channels", "overview")
NO_ACCESS = Access()


def _roles_by_unit(user) -> dict[int, set[str]]:
    """All of a user's roles in one query, remembered on the user object for the request."""
    cached = getattr(user, "_ita_roles_by_unit", None)
    if cached is None:
        cached = {}
        for unit_id, role in Role.objects.filter(user=user).values_list("unit_id", "role"):
            cached.setdefault(unit_id, set()).add(role)
        user._ita_roles_by_unit = cached
    return cached


def unit_access(user, unit: Unit) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_superuser:
        return Access(superuser=True)
    by_unit = _roles_by_unit(user)
    supervises = any(Role.SUPERVISOR in by_unit.get(unit_id, ()) for unit_id in unit.ancestor_ids)
    return Access(roles=frozenset(by_unit.get(unit.pk, ())), supervises=supervises)


def may(user, unit: Unit, need: str) -> bool:
    return unit_access(user, unit).may(need)


def get_unit_for(user, slug: str, need: str = "view") -> tuple[Unit, Access]:
    """The unit and the user's access to it; 403 unless the user may `need` on it."""
    unit = get_object_or_404(Unit.objects.select_related("unit_type", "parent", "head"), slug=slug)
    access = unit_access(user, unit)
    if not access.may(need):
        raise PermissionDenied
    return unit, access


def supervised_units(user) -> list[Unit]:
    """The highest units the user supervises, top first (the tree's roots for a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return list(Unit.objects.filter(parent__isnull=True).order_by("path"))
    ids = [unit_id for unit_id, roles in _roles_by_unit(user).items() if Role.SUPERVISOR in roles]
    units = list(Unit.objects.filter(pk__in=ids).order_by("path"))
    return [u for u in units if not any(u.pk != other.pk and u.path.startswith(other.path) for other in units)]
