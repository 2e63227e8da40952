"""What is missing of the data the portal itself holds for an item (Item.portal_data): the unit's
contacts for the contact item (O5 police, O4 immigration), its head for the structure item (O1). A
page never calls such an item current while any of it is empty: it names what is missing."""

from django.utils.translation import gettext_lazy as _

CONTACTS = (("address", _("address")), ("phone", _("phone")), ("email", _("e-mail")), ("map", _("map")))


def _given(unit, field: str) -> bool:
    if field == "map":  # a map needs both coordinates
        return unit.latitude is not None and unit.longitude is not None
    return bool((getattr(unit, field) or "").strip())


def missing(unit, kinds) -> list:
    """The labels of what is empty of the `kinds` of data ("contacts", "executives", "statistics")
    for `unit`, in the order a reader looks for them; [] when complete. The complaint statistics are
    counted from the complaints themselves: never missing."""
    found = []
    if "executives" in kinds and not unit.head_id:
        found.append(_("head of unit"))
    if "contacts" in kinds:
        found += [label for field, label in CONTACTS if not _given(unit, field)]
    return found


def missing_for(unit, item) -> list:
    return missing(unit, item.portal_data)
