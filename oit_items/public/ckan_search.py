"""The parameters of the CKAN-compatible API: integers and booleans as CKAN validates them, and the
Solr-style `q` and `fq` a harvester sends, turned into database filters on the dataset rows.

Understood clauses: `organization:<name>` (or `(a OR b)`), `owner_org:<id>`, `name:`/`id:`,
`fiscal_year:`, `metadata_modified:[from TO to]` and `metadata_created:[…]` (ISO times, `*`,
`NOW`), and `dataset_type:dataset` / `state:active` / `private:false` (always true here); a
leading `-` excludes, a leading `+` requires. Anything else in `fq` is a Search Query Error,
as Solr would answer; free words in `q` search the units' names.
"""

import datetime
import re

from django.db.models import Q
from django.utils import dateparse, timezone

from oit_items.public.datasets import matching, parse_name


class NotFound(Exception):
    pass


class ValidationError(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class SearchQueryError(Exception):
    pass


def integer(params, key, default, maximum=None):
    """A natural number; over `maximum`, `maximum` (CKAN caps rows the same way)."""
    value = params.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({key: ["Invalid integer"]}) from None
    if number < 0:
        raise ValidationError({key: ["Must be a natural number"]})
    return min(number, maximum) if maximum is not None else number


def boolean(params, key) -> bool:
    return str(params.get(key, "")).strip().lower() in ("true", "1", "yes", "on")


CLAUSE = re.compile(r'(?P<sign>[-+]?)(?P<field>\w+):(?P<value>"[^"]*"|\[[^\]]*\]|\([^)]*\)|\S+)')
ALWAYS = {"dataset_type": "dataset", "type": "dataset", "state": "active", "private": "false", "capacity": "public"}


def _when(text: str, end: bool):
    text = text.strip()
    if text == "*":
        return None
    if text.upper() == "NOW":
        return timezone.now()
    found = dateparse.parse_datetime(text)
    if found is None:
        day = dateparse.parse_date(text)
        if day is None:
            raise SearchQueryError(f"not a time: {text}")
        found = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return found if timezone.is_aware(found) else timezone.make_aware(found, datetime.timezone.utc)


def _range(field: str, value: str) -> Q:
    found = re.fullmatch(r"\[\s*(\S+)\s+TO\s+(\S+)\s*\]", value)
    if not found:
        raise SearchQueryError(f"{field} takes a range [from TO to]")
    low, high = _when(found[1], end=False), _when(found[2], end=True)
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{field}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field}__lte": high})
    return condition


def _names(value: str) -> list[str]:
    value = value.strip('"')
    if value.startswith("("):
        return [v.strip('"') for v in value.strip("()").split() if v.upper() != "OR"]
    return [value]


def _clause(field: str, value: str) -> Q:
    if field in ("organization", "owner_org"):
        condition = Q(pk__in=[])
        for name in _names(value):
            condition |= Q(slug__iexact=name)
        return condition
    if field in ("name", "id"):
        slug, year = parse_name(value.strip('"'))
        return Q(slug__iexact=slug, fiscal_year=year) if slug else Q(pk__in=[])
    if field == "fiscal_year":
        if not value.strip('"').isdigit():
            raise SearchQueryError("fiscal_year is a number")
        return Q(fiscal_year=int(value.strip('"')))
    if field in ("metadata_modified", "metadata_created"):
        return _range({"metadata_modified": "modified", "metadata_created": "created"}[field], value)
    if field in ALWAYS:
        return Q() if value.strip('"').lower() == ALWAYS[field] else Q(pk__in=[])
    raise SearchQueryError(f"undefined field {field}")


def _clauses(text: str, words_allowed: bool):
    """(conditions, free words) of a `q` or `fq`."""
    conditions, words, position = [], [], 0
    for found in CLAUSE.finditer(text):
        words += text[position:found.start()].split()
        position = found.end()
        condition = _clause(found["field"], found["value"])
        conditions.append(~condition if found["sign"] == "-" else condition)
    words += text[position:].split()
    words = [w for w in words if w.upper() != "AND" and w != "*:*"]
    if words and not words_allowed:
        raise SearchQueryError(f"cannot read {' '.join(words)!r}")
    return conditions, words


def filtered(queryset, q: str, fq: str):
    conditions, words = _clauses(q, words_allowed=True)
    more, _ = _clauses(fq, words_allowed=False)
    for condition in conditions + more:
        queryset = queryset.filter(condition)
    return matching(queryset, " ".join(words))
