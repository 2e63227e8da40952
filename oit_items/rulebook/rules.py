"""The rule types a framework data file may name, and the validation of their parameters.

A rule is `{"type": <name>, ...params}`. The closed set below is what the loader accepts, so a
typo in a data file fails loudly at load time instead of silently never checking anything.
"""

import datetime

from django.utils.translation import gettext as _

FORMATS = {"pdf", "docx", "xlsx", "image"}
KINDS = {"news", "photo", "file", "link"}
LANGUAGES = {"th", "en"}
MONTHS = set(range(1, 13))


class RuleError(ValueError):
    pass


def _months(params):
    months = params.get("months")
    if not isinstance(months, list) or not months or not set(months) <= MONTHS:
        raise RuleError(_("periods.months must be a non-empty list of month numbers 1-12"))
    if not isinstance(params.get("none_allowed", False), bool):
        raise RuleError(_("periods.none_allowed must be true or false"))


def _formats(params):
    groups = params.get("all_of")
    if not isinstance(groups, list) or not groups:
        raise RuleError(_("formats.all_of must be a non-empty list of lists"))
    for group in groups:
        if not isinstance(group, list) or not group or not set(group) <= FORMATS:
            raise RuleError(_("formats.all_of groups must use only %(formats)s: %(group)r") % {"formats": sorted(FORMATS), "group": group})


def _languages(params):
    required = params.get("required")
    if not isinstance(required, list) or not required or not set(required) <= LANGUAGES:
        raise RuleError(_("languages.required must list th and/or en"))


def _min_count(params):
    if params.get("kind") not in KINDS:
        raise RuleError(_("min_count.kind must be one of %(kinds)s") % {"kinds": sorted(KINDS)})
    if not isinstance(params.get("count"), int) or params["count"] < 1:
        raise RuleError(_("min_count.count must be a positive integer"))


def _links(params):
    if not isinstance(params.get("min", 1), int) or params.get("min", 1) < 0:
        raise RuleError(_("links.min must be a non-negative integer"))
    names = params.get("names_th", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise RuleError(_("links.names_th must be a list of names"))


def _about_date(params):
    for key in ("from", "to"):
        if key in params:
            value = params[key]
            if isinstance(value, datetime.date):
                continue
            try:
                datetime.date.fromisoformat(str(value))
            except ValueError:
                raise RuleError(_("about_date.%(key)s must be a date YYYY-MM-DD") % {"key": key})
    if "from" not in params and "to" not in params:
        raise RuleError(_("about_date needs from and/or to"))


VALIDATORS = {
    "periods": _months,
    "formats": _formats,
    "languages": _languages,
    "min_count": _min_count,
    "links": _links,
    "about_date": _about_date,
}


def normalise(rules) -> list[dict]:
    """Validate a list of rules and return it JSON-ready (dates as ISO strings)."""
    if not isinstance(rules, list):
        raise RuleError(_("rules must be a list"))
    result = []
    for rule in rules:
        if not isinstance(rule, dict) or rule.get("type") not in VALIDATORS:
            raise RuleError(_("unknown rule type: %(rule)r; known: %(known)s") % {"rule": rule, "known": sorted(VALIDATORS)})
        VALIDATORS[rule["type"]](rule)
        result.append({k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in rule.items()})
    return result


def shift_years(rules: list[dict], years: int) -> list[dict]:
    """The same rules for a fiscal year `years` later: date bounds move with the year."""
    shifted = []
    for rule in rules:
        rule = dict(rule)
        if rule["type"] == "about_date":
            for key in ("from", "to"):
                if key in rule:
                    day = datetime.date.fromisoformat(rule[key])
                    try:
                        rule[key] = day.replace(year=day.year + years).isoformat()
                    except ValueError:  # 29 February
                        rule[key] = day.replace(year=day.year + years, day=28).isoformat()
        shifted.append(rule)
    return shifted
