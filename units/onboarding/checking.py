"""The dry run: what importing the tables would create, update or leave, and what it refuses.

Every refusal is a Thai message naming the row and the column. Nothing here writes to the
database; `applying.apply` writes what a clean check planned. An empty cell leaves what the
portal has, so importing the same file twice changes nothing the second time.
"""

import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from ita_portal.lib.thaidate import from_thai_digits
from units.models import LineOfWork, Officer, Role, Unit, UnitType
from units.onboarding import dependents
from units.onboarding.columns import OFFICERS, UNITS, USERS
from units.onboarding.outcome import CREATE, REFUSE, UNCHANGED, UPDATE, Planned, RowResult
from units.onboarding.user_rows import check_user_row
from units.permissions import unit_access

CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
UNIT_TEXT = ("name_th", "name_en", "short_name_th", "short_name_en", "address", "phone")
OFFICER_TEXT = ("first_name", "last_name", "position", "phone")
RANKS = {th for th, _en in Officer.RANKS}


class Row:
    """A row's values and the messages about it."""

    def __init__(self, sheet, number, values, result):
        self.sheet, self.number, self.values, self.result = sheet, number, values, result

    def __getitem__(self, key):
        return self.values.get(key, "")

    def _message(self, column_key, message, params) -> str:
        return _("Row %(row)s, column “%(column)s”: %(problem)s") % {
            "row": self.number, "column": self.sheet.column(column_key).label,
            "problem": message % params if params else message}

    def refuse(self, column_key, message, **params):
        self.result.errors.append(self._message(column_key, message, params))
        self.result.action = REFUSE

    def warn(self, column_key, message, **params):
        self.result.warnings.append(self._message(column_key, message, params))

    @property
    def refused(self):
        return self.result.action == REFUSE


def _set(planned, obj, name, value, label):
    if getattr(obj, name) != value:
        setattr(obj, name, value)
        planned.changed.append(name)
        planned.result.changes.append(str(label))


class Check:
    def __init__(self, user, tables: dict):
        self.user = user
        self.tables = tables
        self.results: list[RowResult] = []
        self.units: dict[str, Planned] = {}
        self.officers: dict[str, Planned] = {}
        self.users: dict[str, Planned] = {}
        self.roles: list[tuple[Planned, str, str]] = []  # (user, unit code, role) to grant
        self.invite: list[tuple[Planned, str]] = []  # (new user, unit code of their first role)
        self.bad_units: dict[str, int] = {}  # unit codes refused for their form: {code: row}
        self.user_rows: list[Row] = []
        self.warnings: list[str] = list(getattr(tables, "warnings", []))  # about the file: sheets not read

    # -- reading what exists, in a fixed number of queries ------------------------------------
    def _rows(self, key):
        table = self.tables.get(key)
        return table.rows if table else []

    def _load(self):
        codes = {v.get(k, "") for _n, v in self._rows("units") for k in ("slug", "parent")}
        codes |= {v.get("unit", "") for key in ("officers", "users") for _n, v in self._rows(key)}
        self.db_units = {u.slug: u for u in Unit.objects.filter(slug__in=codes - {""}).select_related("unit_type")}
        keys = {v.get("key", "") for _n, v in self._rows("officers")}
        keys |= {v.get("head", "") for _n, v in self._rows("units")} | {v.get("officer", "") for _n, v in self._rows("users")}
        self.db_officers = {o.key: o for o in Officer.objects.filter(key__in=keys - {""}).select_related("unit__unit_type")}
        for officer in self.db_officers.values():  # what the importer may do to an officer is decided on their unit
            self.db_units.setdefault(officer.unit.slug, officer.unit)
        names = {v.get("username", "") for _n, v in self._rows("users")} - {""}
        User = get_user_model()
        self.db_users = {u.username: u for u in User.objects.filter(username__in=names)}
        self.db_roles = set(Role.objects.filter(user__username__in=names).values_list("user__username", "unit__slug", "role"))
        self.officer_of_user = dict(Officer.objects.filter(user__username__in=names).values_list("user__username", "key"))
        self.user_of_officer = dict(Officer.objects.filter(key__in=keys - {""}, user__isnull=False)
                                    .values_list("key", "user__username"))
        self.officer_claims = {}  # officer code → username given to it in this file
        self.types = {}
        for unit_type in UnitType.objects.all():
            self.types[unit_type.code] = self.types[unit_type.name_th] = unit_type
        self.lines = {}
        for line in LineOfWork.objects.all():
            for name in (line.code, line.name_th, line.name_en.lower()):
                self.lines[(line.unit_type_id, name)] = line
        self.role_names = {}
        for code, label in Role.CHOICES:
            for language in ("th", "en"):
                with translation.override(language):
                    text = str(label)
                self.role_names[text.lower()] = code
                inner = re.search(r"\((.+)\)", text)
                if inner:
                    self.role_names[inner.group(1).lower()] = code
            self.role_names[code] = code

    # -- what the importer may do ------------------------------------------------------------
    def manages(self, code, depth=0) -> bool:
        """May the importer run this unit (existing) or create it (new: under a unit they run)?"""
        if code in self.db_units:
            return unit_access(self.user, self.db_units[code]).manage
        planned = self.units.get(code)
        if planned is None or depth > 20:
            return False
        return self.manages(planned.parent, depth + 1) if planned.parent else self.user.is_superuser

    def grantable(self, code) -> frozenset:
        if code in self.db_units:
            return unit_access(self.user, self.db_units[code]).grantable_roles
        return frozenset(c for c, _label in Role.CHOICES) if self.manages(code) else frozenset()

    def unit_type_of(self, code):
        if code in self.units:
            return getattr(self.units[code].obj, "unit_type", None)  # None: its row gave no known type
        unit = self.db_units.get(code)
        return unit.unit_type if unit else None

    # -- the sheets --------------------------------------------------------------------------
    def run(self) -> "Check":
        self._load()
        for number, values in self._rows("units"):
            self._unit(self._row(UNITS, number, values, "slug"))
        for planned in self.units.values():
            self._unit_parent(planned)
        for number, values in self._rows("officers"):
            self._officer(self._row(OFFICERS, number, values, "key"))
        for planned in self.units.values():
            self._head(planned)
            self._may_change(planned, "slug", planned.obj.slug, _("you may not change unit %(value)s."))
        for planned in self.officers.values():
            self._may_change(planned, "unit", planned.parent, _("you may not change the officers of %(value)s."))
        seen_roles = {}
        for number, values in self._rows("users"):
            self._user(self._row(USERS, number, values, "username"), seen_roles)
        dependents.refuse_dependents(self)
        return self.finish()

    def _row(self, sheet, number, values, key_column) -> Row:
        result = RowResult(sheet.key, number, values.get(key_column, ""))
        self.results.append(result)
        row = Row(sheet, number, values, result)
        for column in self.tables[sheet.key].cleaned.get(number, []):
            row.warn(column, _("invisible characters or repeated spaces were removed; it reads “%(value)s”."),
                     value=values[column])
        return row

    def _unit(self, row):
        """Every problem of the row at once: a bad code does not hide a bad coordinate."""
        code = row["slug"]
        bad = True
        if not CODE.fullmatch(code) or len(code) > 60:
            row.refuse("slug", _("“%(value)s” is not a unit code: use lower-case English letters, digits and hyphens (at most 60)."), value=code)
            self.bad_units.setdefault(code, row.number)
        elif code in self.units:
            row.refuse("slug", _("the unit code %(value)s is already used in row %(other)s."), value=code, other=self.units[code].result.row)
        else:
            bad = False
        existing = None if bad else self.db_units.get(code)
        unit = existing or Unit(slug=code)
        planned = Planned(row.result, unit, existing is None, parent=row["parent"], head=row["head"], row=row)
        if not bad:
            self.units[code] = planned
        unit_type = self.types.get(row["type"])
        if unit_type is None:
            row.refuse("type", _("unknown unit type “%(value)s”."), value=row["type"])
        elif existing and existing.unit_type_id != unit_type.pk:
            row.refuse("type", _("the unit is a %(current)s; an import does not change a unit's type."), current=existing.unit_type)
        elif not existing:
            unit.unit_type = unit_type
        for name in UNIT_TEXT:
            self._text(row, planned, name, Unit)
        if not existing and not row["name_th"]:
            row.refuse("name_th", _("a new unit needs its Thai name."))
        self._email(row, planned, "email")
        for name in ("website", "facebook"):
            self._url(row, planned, name)
        for name, limit in (("latitude", 90), ("longitude", 180)):
            self._degrees(row, planned, name, limit)

    def _text(self, row, planned, name, model):
        value = row[name]
        if not value:
            return
        limit = model._meta.get_field(name).max_length
        if limit and len(value) > limit:
            return row.refuse(name, _("at most %(limit)s characters (this one has %(length)s)."), limit=limit, length=len(value))
        _set(planned, planned.obj, name, value, row.sheet.column(name).label)

    def _valid(self, row, name, validator, message) -> str:
        """The cell's value when the validator takes it; "" when empty or refused."""
        value = row[name]
        if not value:
            return ""
        try:
            validator(value)
        except ValidationError:
            row.refuse(name, message, value=value)
            return ""
        return value

    def _email(self, row, planned, name):
        value = self._valid(row, name, EmailValidator(), _("“%(value)s” is not an e-mail address."))
        if value and planned is not None:
            _set(planned, planned.obj, name, value, row.sheet.column(name).label)

    def _url(self, row, planned, name):
        value = self._valid(row, name, URLValidator(schemes=["http", "https"]),
                            _("“%(value)s” is not a web address; write it in full, starting with https://"))
        if not value:
            return
        unit = planned.obj
        if name == "website":
            return _set(planned, unit, "website", value, row.sheet.column(name).label)
        links = [link for link in unit.social_links or [] if link.get("label") != "Facebook"]
        links.insert(0, {"label": "Facebook", "url": value})
        if links != (unit.social_links or []) and {"label": "Facebook", "url": value} not in (unit.social_links or []):
            _set(planned, unit, "social_links", links, row.sheet.column(name).label)

    def _degrees(self, row, planned, name, limit):
        value = from_thai_digits(row[name]).replace(",", ".")
        if not value:
            return
        try:
            number = Decimal(value).quantize(Decimal("0.000001"))
        except InvalidOperation:
            return row.refuse(name, _("“%(value)s” is not a number of degrees, e.g. 13.7563."), value=row[name])
        if not -limit <= number <= limit:
            return row.refuse(name, _("must be between -%(limit)s and %(limit)s."), limit=limit)
        current = getattr(planned.obj, name)
        if current is None or Decimal(current) != number:
            _set(planned, planned.obj, name, number, row.sheet.column(name).label)

    def _unit_parent(self, planned):
        row, unit = planned.row, planned.obj
        if row.refused and not planned.new:
            return
        code = planned.parent
        if not planned.new:
            current = unit.parent.slug if unit.parent_id else ""
            if code and code != current:
                row.refuse("parent", _("the unit is under %(current)s; an import does not move units."), current=current or "—")
            return
        if not code:
            if not self.user.is_superuser:
                row.refuse("parent", _("a new unit needs its parent unit."))
            return
        parent_type = self.unit_type_of(code)
        if parent_type is None:
            if dependents.given_but_refused(self, row, "parent", code):
                return None
            return row.refuse("parent", _("no unit has the code “%(value)s” (neither in this file nor in the portal)."), value=code)
        if self._cycle(planned):
            return row.refuse("parent", _("the parent units of this row lead back to it."))
        if getattr(unit, "unit_type_id", None) and parent_type.level >= unit.unit_type.level:
            row.refuse("parent", _("a %(type)s cannot be under a %(parent)s."), type=unit.unit_type, parent=parent_type)
        if not self.manages(code):
            row.refuse("parent", _("you may not add units under %(value)s."), value=code)

    def _may_change(self, planned, column, code, message):
        """Rows that change nothing pass whoever imports them (a national file may list units the
        importer does not run); a change needs the right to make it."""
        if not planned.row.refused and planned.changed and not planned.new and not self.manages(code):
            planned.row.refuse(column, message, value=code)

    def _cycle(self, planned) -> bool:
        seen, code = {planned.obj.slug}, planned.parent
        while code in self.units and self.units[code].new:
            if code in seen:
                return True
            seen.add(code)
            code = self.units[code].parent
        return False

    def _officer(self, row):
        key, code = row["key"], row["unit"]
        bad = True
        if not KEY.fullmatch(key) or len(key) > 60:
            row.refuse("key", _("“%(value)s” is not an officer code: use English letters, digits and hyphens (at most 60)."), value=key)
        elif key in self.officers:
            row.refuse("key", _("the officer code %(value)s is already used in row %(other)s."), value=key, other=self.officers[key].result.row)
        else:
            bad = False
        existing = None if bad else self.db_officers.get(key)
        officer = existing or Officer(key=key)
        planned = Planned(row.result, officer, existing is None, parent=code, row=row)
        if not bad:
            self.officers[key] = planned
        unit_type = self.unit_type_of(code)
        if unit_type is None:
            if not dependents.given_but_refused(self, row, "unit", code):
                row.refuse("unit", _("no unit has the code “%(value)s” (neither in this file nor in the portal)."), value=code)
        elif existing and existing.unit.slug != code:
            return row.refuse("unit", _("this officer serves in %(current)s; to move them, retire them there and add them here."), current=existing.unit.slug)
        elif existing is None and not self.manages(code):
            row.refuse("unit", _("you may not add officers to %(value)s."), value=code)
        for name in OFFICER_TEXT:
            self._text(row, planned, name, Officer)
        if not existing and not row["first_name"]:
            row.refuse("first_name", _("a new officer needs a first name."))
        self._rank(row, planned)
        if unit_type is not None:
            self._line_of_work(row, planned, unit_type)
        self._email(row, planned, "email")
        if row["aliases"]:
            aliases = [a.strip() for a in re.split(r"[,;]", row["aliases"]) if a.strip()]
            _set(planned, officer, "aliases", aliases, row.sheet.column("aliases").label)

    def _rank(self, row, planned):
        text = re.sub(r"\s+", " ", row["rank"]).strip()
        if not text:
            return
        acting = text.startswith("ว่าที่")
        rank = text.removeprefix("ว่าที่").strip()
        female = rank.endswith("หญิง")
        rank = rank.removesuffix("หญิง").strip()
        if rank not in RANKS:
            return row.refuse("rank", _("unknown rank “%(value)s”; write e.g. พ.ต.ท., พ.ต.ท.หญิง or ว่าที่ พ.ต.อ."), value=row["rank"])
        label = row.sheet.column("rank").label
        for name, value in (("rank", rank), ("is_female", female), ("is_acting", acting)):
            _set(planned, planned.obj, name, value, label)
        planned.result.changes = list(dict.fromkeys(planned.result.changes))

    def _line_of_work(self, row, planned, unit_type):
        value = row["line_of_work"]
        if not value:
            return
        line = self.lines.get((unit_type.pk, value)) or self.lines.get((unit_type.pk, value.lower()))
        if line is None:
            names = ", ".join(known.name_th for known in LineOfWork.objects.filter(unit_type=unit_type)) or "—"
            return row.refuse("line_of_work", _("“%(value)s” is not a line of work of a %(type)s (%(names)s)."),
                              value=value, type=unit_type, names=names)
        if planned.obj.line_of_work_id != line.pk:
            planned.obj.line_of_work = line
            planned.changed.append("line_of_work")
            planned.result.changes.append(str(row.sheet.column("line_of_work").label))

    def _head(self, planned):
        if not planned.head or planned.row.refused:
            return
        row, key = planned.row, planned.head
        officer = self.officer(key)
        if officer is None:
            return row.refuse("head", _("no officer has the code “%(value)s”."), value=key)
        unit_of_officer = self.officers[key].parent if key in self.officers else officer.unit.slug
        if unit_of_officer != planned.obj.slug:
            return row.refuse("head", _("%(value)s is not an officer of this unit."), value=key)
        if officer.pk is None or planned.obj.head_id != officer.pk:
            planned.changed.append("head")
            planned.result.changes.append(str(row.sheet.column("head").label))

    def officer(self, key):
        if key in self.officers:
            return self.officers[key].obj
        return self.db_officers.get(key)

    def _user(self, row, seen_roles):
        self.user_rows.append(row)
        check_user_row(self, row, seen_roles)

    # -- the outcome -------------------------------------------------------------------------
    def finish(self) -> "Check":
        for result in self.results:
            if result.action == UNCHANGED and result.changes:
                result.action = UPDATE
        return self

    @property
    def summary(self) -> dict:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REFUSE: 0}
        sheets = {}
        for result in self.results:
            counts[result.action] += 1
            sheets.setdefault(result.sheet, {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REFUSE: 0})[result.action] += 1
        warned = sum(1 for result in self.results if result.warnings)
        return {**counts, "sheets": sheets, "rows": len(self.results), "warned": warned, "warnings": self.warnings}

    @property
    def refused(self) -> bool:
        return any(r.action == REFUSE for r in self.results)
