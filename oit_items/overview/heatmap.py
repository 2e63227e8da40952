"""Item × unit heatmap for one level: which OIT item lags most across the units below.

Columns are the units right below the overview's unit (each adding up its own subtree), rows the
items of one unit type; a cell is the share of periods approved, from the stored readiness."""

from collections import defaultdict
from dataclasses import dataclass, field

from oit_items.evidence.models import ItemReadiness
from oit_items.overview.figures import band_of, item_first_due


@dataclass
class Cell:
    approved: int = 0
    expected: int = 0
    overdue: int = 0   # units with the item overdue

    @property
    def pct(self) -> int | None:
        return round(100 * self.approved / self.expected) if self.expected else None

    @property
    def band(self) -> str | None:
        return band_of(self.pct)


@dataclass
class Row:
    item: object
    cells: list
    total: Cell
    lags: bool = False
    first_due: object = None   # the item's first due date; shown while it is still ahead
    due_yet: bool = True


@dataclass
class Table:
    unit_type: dict         # {"th": …, "en": …}
    columns: list           # Figures of the units right below
    rows: list = field(default_factory=list)


def _column_of(root, tree) -> dict:
    """{publishing unit id: the unit right below the root that contains it}."""
    depth = len(root.ancestor_ids)
    column = {}
    for figures in tree.below():
        if figures.publishes:
            ids = [int(part) for part in figures.unit["path"].strip("/").split("/")]
            column[figures.pk] = ids[depth]
    return column


def tables(root, tree, today) -> list[Table]:
    column_of = _column_of(root, tree)
    units = defaultdict(int)  # (unit type id, column id) -> publishing units
    for unit_id, column_id in column_of.items():
        units[(tree.by_id[unit_id].unit["unit_type_id"], column_id)] += 1
    sums = defaultdict(lambda: [0, 0, 0])  # (item id, column id) -> [approved, rows, overdue]
    item_ids = [item.pk for items in tree.items.values() for item in items]
    stored = (ItemReadiness.objects.filter(item_id__in=item_ids, unit__path__startswith=root.path)
              .values_list("unit_id", "item_id", "approved", "open_due"))
    for unit_id, item_id, approved, open_due in stored:
        if unit_id in column_of:
            entry = sums[(item_id, column_of[unit_id])]
            entry[0] += approved
            entry[1] += 1
            entry[2] += int(open_due is not None and open_due < today)
    result = []
    for type_id, items in tree.items.items():
        columns = [c for c in tree.root.children if units[(type_id, c.pk)]]
        if not columns:
            continue
        table = Table(_type_name(tree, type_id), columns)
        for item in items:
            periods = len(item.months) or 1
            first_overdue = item_first_due(item) < today
            cells = []
            for column in columns:
                n = units[(type_id, column.pk)]
                approved, rows, overdue = sums[(item.pk, column.pk)]
                cells.append(Cell(approved, n * periods, overdue + (n - rows if first_overdue else 0)))
            total = Cell(sum(c.approved for c in cells), sum(c.expected for c in cells), sum(c.overdue for c in cells))
            table.rows.append(Row(item, cells, total, first_due=item_first_due(item), due_yet=first_overdue))
        _mark_most_overdue(table.rows)
        result.append((sum(units[(type_id, c.pk)] for c in columns), table))
    return [table for _count, table in sorted(result, key=lambda pair: -pair[0])]  # the most units first


def _mark_most_overdue(rows, marked=3) -> None:
    """"Lags most": the three items overdue today at the most units, by each period's own due date;
    among equals the lower share approved, then the longer overdue, then the framework's order. An
    item not yet due lags nowhere, however little of it is approved."""
    overdue = [r for r in rows if r.total.overdue > 0]
    worst = sorted(overdue, key=lambda r: (-r.total.overdue, r.total.pct if r.total.pct is not None else 101, r.first_due))
    for row in worst[:marked]:
        row.lags = True


def _type_name(tree, type_id) -> dict:
    unit = next(f.unit for f in tree.below() if f.unit["unit_type_id"] == type_id)
    return {"th": unit["unit_type__name_th"], "en": unit["unit_type__name_en"]}
