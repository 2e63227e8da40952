"""Rows that lean on another row of the file: a new unit's officers and logins, a unit under a new
unit, a login of a new officer. When the row they lean on is refused, they are refused too, with
the reason — the dry run never lists as "new" something that could not be created (checking.py)."""

from django.utils.translation import gettext as _

from units.onboarding.columns import OFFICERS, UNITS


def _refused_new(planned_by_code, code):
    """The planned new object of `code` when its row is refused, else None."""
    planned = planned_by_code.get(code)
    return planned if planned is not None and planned.new and planned.row.refused else None


def _refuse(row, column, value, other, sheet):
    row.refuse(column, _("“%(value)s” will not be created: its row %(other)s in the sheet “%(sheet)s” is refused."),
               value=value, other=other, sheet=sheet.title)


def given_but_refused(check, row, column, code) -> bool:
    """Is `code` a unit of this file whose row is refused? Then `row` is (or will be, in
    `refuse_dependents`) refused for that reason rather than for naming an unknown unit."""
    if code in check.units:
        return check.units[code].row.refused
    if code in check.bad_units:
        _refuse(row, column, code, check.bad_units[code], UNITS)
        return True
    return False


def refuse_dependents(check) -> None:
    """After every sheet is checked: units under a refused new unit (to any depth), then the
    officers and logins of refused new units, and the logins of refused new officers."""
    done, changed = set(), True
    while changed:
        changed = False
        for code, planned in check.units.items():
            parent = _refused_new(check.units, planned.parent)
            if planned.new and parent is not None and code not in done:
                _refuse(planned.row, "parent", planned.parent, parent.result.row, UNITS)
                done.add(code)
                changed = True
    for planned in check.officers.values():
        unit = _refused_new(check.units, planned.parent)
        if unit is not None:
            _refuse(planned.row, "unit", planned.parent, unit.result.row, UNITS)
    for row in check.user_rows:
        unit = _refused_new(check.units, row["unit"])
        if unit is not None:
            _refuse(row, "unit", row["unit"], unit.result.row, UNITS)
        officer = _refused_new(check.officers, row["officer"]) if row["officer"] else None
        if officer is not None:
            _refuse(row, "officer", row["officer"], officer.result.row, OFFICERS)
