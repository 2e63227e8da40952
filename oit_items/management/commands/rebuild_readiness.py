import sys
import time

from django.core.management.base import BaseCommand

from oit_items.evidence import readiness
from oit_items.rulebook.models import Item
from units.models import Unit


class Command(BaseCommand):
    help = ("Recompute the stored readiness of every unit and item from scratch (safe to run any time). "
            "With --check, change nothing: list the stored rows that differ from a recomputation.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Only report the rows that differ (exit status 1 if any do); change nothing.")

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        if not check:
            count = readiness.rebuild()
            self.stdout.write(f"readiness: {count} rows rebuilt in {time.monotonic() - started:.1f} s")
            return
        rows = readiness.drift()
        units = dict(Unit.objects.filter(pk__in={unit_id for (unit_id, _item), _s, _c in rows}).values_list("pk", "slug"))
        items = {pk: f"{code} {year}" for pk, code, year in Item.objects.filter(pk__in={item_id for (_unit, item_id), _s, _c in rows})
                 .values_list("pk", "code", "framework__fiscal_year")}
        for (unit_id, item_id), stored, computed in rows:
            self.stdout.write(f"{units.get(unit_id, unit_id)} · {items.get(item_id, item_id)}: {self.difference(stored, computed)}")
        self.stdout.write(f"readiness: {len(rows)} rows differ from a recomputation ({time.monotonic() - started:.1f} s)")
        if rows:
            sys.exit(1)  # as `makemigrations --check`: a deployment check fails on drift

    @staticmethod
    def difference(stored, computed) -> str:
        if stored is None:
            return "not stored"
        if computed is None:
            return "stored, but nothing to compute (no period, or the item is retired)"
        return "; ".join(f"{name} {stored[name]!r} stored, {computed[name]!r} recomputed"
                         for name in computed if stored.get(name) != computed[name])
