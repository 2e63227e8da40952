"""The one place that answers "may this user do X on this unit?" for every app.

Views call `get_unit_for` (or an app's own helper built on `unit_access`) and pass the returned
`Access` to templates, which show buttons from it and never compute permissions themselves.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from units.models import Role, Unit


@dataclass(frozen=True)
class Access:
    """What one user may do on one unit."""

    roles: frozenset = field(default_factory=frozenset)
    supervises: bool = False  # holds the supervisor role on this unit or a unit above it
    superuser: bool = False
    admin_above: bool = False  # administers a unit above this one (supervising and national admins)
    unit: object = field(default=None, compare=False, repr=False)

    def has(self, role) -> bool:
        return self.superuser or role in self.roles

    @property
    def view(self) -> bool:
        return self.superuser or self.supervises or self.admin_above or bool(self.roles - {Role.SUPERVISOR})

    @property
    def manage(self) -> bool:
        """Run the unit in the staff UI: contacts, officers, head, roles, item assignments — its own
        admin, and the admins of the units above it."""
        return self.has(Role.ADMIN) or self.admin_above

    @property
    def grantable_roles(self) -> frozenset:
        """Roles this user may grant and revoke on this unit: a unit's admin every role of the unit
        but supervisor; an admin above, every role. The admin of a supervising unit (national,
        bureau, division) may also make supervisors of it: they see what its admin runs anyway."""
        if self.superuser or self.admin_above:
            return frozenset(code for code, _label in Role.CHOICES)
        if Role.ADMIN in self.roles:
            supervising = self.unit is not None and not self.unit.unit_type.publishes_oit
            return frozenset(Role.UNIT_ROLES) | ({Role.SUPERVISOR} if supervising else frozenset())
        return frozenset()

    def may_revoke(self, role) -> bool:
        """A role this user may grant — but never the unit's last admin, whom only an admin above
        the unit may remove (the unit would be left with nobody to run it)."""
        if role.role not in self.grantable_roles:
            return False
        if role.role != Role.ADMIN or self.admin_above or self.superuser:
            return True
        return Role.objects.filter(unit_id=role.unit_id, role=Role.ADMIN).exclude(pk=role.pk).exists()

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
    def take_down(self) -> bool:
        """Withdraw published evidence at once (a file with personal data, a wrong month): the
        commander who approved it and the admin who publishes."""
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


ACTIONS = ("view", "upload", "check", "approve", "administer", "itap", "channels", "manage", "overview", "take_down")
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


def roles_held(user) -> set[str]:
    """Every role the user holds on any unit (from the same one query as unit_access)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set().union(*_roles_by_unit(user).values())


def unit_access(user, unit: Unit) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_superuser:
        return Access(superuser=True)
    by_unit = _roles_by_unit(user)
    supervises = any(Role.SUPERVISOR in by_unit.get(unit_id, ()) for unit_id in unit.ancestor_ids)
    admin_above = any(Role.ADMIN in by_unit.get(unit_id, ()) for unit_id in unit.ancestor_ids[:-1])
    return Access(roles=frozenset(by_unit.get(unit.pk, ())), supervises=supervises, admin_above=admin_above, unit=unit)


def may(user, unit: Unit, need: str) -> bool:
    return unit_access(user, unit).may(need)


def get_public_unit(slug: str) -> Unit:
    """A unit whose disclosures are public (it publishes OIT items), for anyone; 404 otherwise."""
    return get_object_or_404(Unit.objects.select_related("unit_type", "head", "parent"), slug=slug,
                             unit_type__publishes_oit=True)


def get_unit_for(user, slug: str, need: str = "view") -> tuple[Unit, Access]:
    """The unit and the user's access to it; 403 unless the user may `need` on it."""
    unit = get_object_or_404(Unit.objects.select_related("unit_type", "parent", "head"), slug=slug)
    access = unit_access(user, unit)
    if not access.may(need):
        raise PermissionDenied
    return unit, access


def managed_units(user):
    """Every unit the user runs: where they are admin, and every unit below those."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    paths = Unit.objects.filter(roles__user=user, roles__role=Role.ADMIN).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def may_import(user) -> bool:
    """The spreadsheet import is for admins of units that have units below (national, bureau,
    division); every row is then checked against what the importer may do on its unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.objects.filter(user=user, role=Role.ADMIN, unit__unit_type__publishes_oit=False).exists()


def may_edit_frameworks(user) -> bool:
    """National admins (admins of a top unit) edit the OIT frameworks every unit works on."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.objects.filter(user=user, role=Role.ADMIN, unit__parent__isnull=True).exists()


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def supervised_units(user) -> list[Unit]:
    """The highest units the user supervises, top first (the tree's roots for a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return list(Unit.objects.filter(parent__isnull=True).order_by("path"))
    ids = [unit_id for unit_id, roles in _roles_by_unit(user).items() if Role.SUPERVISOR in roles]
    units = list(Unit.objects.filter(pk__in=ids).order_by("path"))
    return [u for u in units if not any(u.pk != other.pk and u.path.startswith(other.path) for other in units)]
