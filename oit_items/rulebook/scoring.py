"""How a framework's year is scored, as data (the `scoring` blocks of a data file, see
frameworks/README.md): the pass mark, the dates of the assessment calendar, and each item's points and
the data the portal itself holds for it. A new year's rules are an edit of the file, never code.

    scoring:                      # the framework's
      pass_mark: 85
      excellent: 95
      window: {from: 2023-10-01, to: 2024-03-31}   # evidence must be about a day inside it
      deadline: 2024-04-30        # end of the OIT reporting phase: published by then, or it does not count
      appeal: {from: 2024-06-17, to: 2024-06-26}
    items:
      - code: O5
        scoring: {points: 1, portal_data: [contacts]}   # an item's (every key optional)
      - code: O3
        scoring: {dated: false}   # its documents are dated when issued (laws, manuals), not in the window
"""

import datetime

from django.utils.translation import gettext as _

from ita_portal.lib import thaidate

PORTAL_DATA = {"contacts", "executives", "statistics"}
DATE_KEYS = (("window", "from"), ("window", "to"), ("deadline", None), ("appeal", "from"), ("appeal", "to"))


class ScoringError(ValueError):
    pass


def _day(value, where: str) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ScoringError(_("scoring.%(key)s must be a date YYYY-MM-DD") % {"key": where})


def _mark(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise ScoringError(_("scoring.%(key)s must be a number from 0 to 100") % {"key": where})
    return value


def normalise_framework(scoring, fiscal_year: int) -> dict:
    """The framework's block, validated and complete: the defaults (pass mark 85, the fiscal year's
    first six months as the window, 30 April as the deadline) where the file says nothing."""
    if scoring is None:
        scoring = {}
    if not isinstance(scoring, dict):
        raise ScoringError(_("scoring must be a mapping"))
    unknown = set(scoring) - {"pass_mark", "excellent", "window", "deadline", "appeal"}
    if unknown:
        raise ScoringError(_("unknown scoring keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    start = datetime.date(thaidate.ce_year(fiscal_year) - 1, 10, 1)
    result = {
        "pass_mark": _mark(scoring.get("pass_mark", 85), "pass_mark"),
        "excellent": _mark(scoring.get("excellent", 95), "excellent"),
        "window": {"from": start.isoformat(), "to": start.replace(year=start.year + 1, month=3, day=31).isoformat()},
        "deadline": start.replace(year=start.year + 1, month=4, day=30).isoformat(),
    }
    for key in ("window", "appeal"):
        if key in scoring:
            value = scoring[key]
            if not isinstance(value, dict) or set(value) != {"from", "to"}:
                raise ScoringError(_("scoring.%(key)s needs from and to") % {"key": key})
            result[key] = {end: _day(value[end], f"{key}.{end}") for end in ("from", "to")}
            if result[key]["to"] < result[key]["from"]:
                raise ScoringError(_("scoring.%(key)s ends before it starts") % {"key": key})
    if "deadline" in scoring:
        result["deadline"] = _day(scoring["deadline"], "deadline")
    return result


def normalise_item(scoring) -> dict:
    """An item's block, validated and complete: one point, no data held by the portal, evidence about a
    day inside the year's window ("dated") by default."""
    if scoring is None:
        scoring = {}
    if not isinstance(scoring, dict) or set(scoring) - {"points", "portal_data", "dated"}:
        raise ScoringError(_("an item's scoring may only give points, portal_data and dated"))
    dated = scoring.get("dated", True)
    if not isinstance(dated, bool):
        raise ScoringError(_("scoring.dated must be true or false"))
    points = scoring.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise ScoringError(_("scoring.points must be a whole number, 0 or more"))
    held = scoring.get("portal_data", [])
    if not isinstance(held, list) or not set(held) <= PORTAL_DATA:
        raise ScoringError(_("scoring.portal_data may list only %(kinds)s") % {"kinds": ", ".join(sorted(PORTAL_DATA))})
    return {"points": points, "portal_data": sorted(set(held)), "dated": dated}


def shift_years(scoring: dict, years: int) -> dict:
    """The same block for a fiscal year `years` later: its dates move with the year."""
    shifted = {key: (dict(value) if isinstance(value, dict) else value) for key, value in scoring.items()}
    for key, end in DATE_KEYS:
        if key not in shifted:
            continue
        holder, name = (shifted[key], end) if end else (shifted, key)
        day = datetime.date.fromisoformat(holder[name])
        try:
            holder[name] = day.replace(year=day.year + years).isoformat()
        except ValueError:  # 29 February
            holder[name] = day.replace(year=day.year + years, day=28).isoformat()
    return shifted
