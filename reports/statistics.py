"""The statistics categories of each unit type, read from reports/data/statistics/<type>.yaml."""

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils import translation

DATA_DIR = Path(__file__).resolve().parent / "data" / "statistics"


class CategoriesError(ValueError):
    pass


@dataclass(frozen=True)
class Label:
    key: str
    th: str
    en: str

    def __str__(self):
        return self.en if translation.get_language() == "en" and self.en else self.th


@dataclass(frozen=True)
class StatTable:
    key: str
    title: Label
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]

    def cells(self):
        """(row, column, "table.row.column") for every count of the table."""
        for row in self.rows:
            for column in self.columns:
                yield row, column, f"{self.key}.{row.key}.{column.key}"


def _labels(entries, where) -> tuple[Label, ...]:
    if not isinstance(entries, list) or not entries:
        raise CategoriesError(f"{where} must be a non-empty list")
    labels = tuple(Label(e["key"], e["th"], e.get("en", "")) for e in entries)
    if len({label.key for label in labels}) != len(labels) or any("." in label.key for label in labels):
        raise CategoriesError(f"{where}: keys must be unique and contain no dots")
    return labels


def parse(data: dict) -> tuple[StatTable, ...]:
    tables = []
    for entry in data.get("tables") or []:
        key = entry["key"]
        tables.append(StatTable(key, Label(key, entry["title_th"], entry.get("title_en", "")),
                                _labels(entry.get("columns"), f"{key}.columns"), _labels(entry.get("rows"), f"{key}.rows")))
    if not tables or len({t.key for t in tables}) != len(tables):
        raise CategoriesError("tables must be a non-empty list with unique keys")
    return tuple(tables)


@functools.lru_cache(maxsize=8)
def tables_for(unit_type_code: str) -> tuple[StatTable, ...]:
    """The tables of a unit type; () when the type has no statistics file."""
    path = DATA_DIR / f"{unit_type_code}.yaml"
    if not path.exists():
        return ()
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
