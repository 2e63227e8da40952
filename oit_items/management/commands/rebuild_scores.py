import sys
import time

from django.core.management.base import BaseCommand

from oit_items.assessment import scores
from oit_items.rulebook.models import Item
from units.models import Unit


class Command(BaseCommand):
    help = ("Recompute the stored predicted verdicts and scores of every publishing unit (safe to run any time). "
            "With --check, change nothing: list the stored rows that differ from a recomputation.")

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, help="Only this fiscal year (BE); every year with a framework by default.")
        parser.add_argument("--check", action="store_true",
                            help="Only report the rows that differ (exit status 1 if any do); change nothing.")

    def handle(self, *args, fiscal_year=None, check=False, **options):
        started = time.monotonic()
        years = [fiscal_year] if fiscal_year else scores.all_years()
        if not check:
            count = scores.rebuild(years)
            self.stdout.write(f"predicted scores: {count} unit-years rebuilt ({', '.join(map(str, years))}) "
                              f"in {time.monotonic() - started:.1f} s")
            return
        rows = [row for year in years for row in scores.drift(year)]
        units = dict(Unit.objects.filter(pk__in={unit_id for (unit_id, _item), _s, _c in rows}).values_list("pk", "slug"))
        items = {pk: f"{code} {year}" for pk, code, year in Item.objects.filter(pk__in={item for (_u, item), _s, _c in rows if item})
                 .values_list("pk", "code", "framework__fiscal_year")}
        for (unit_id, item_id), stored, computed in rows:
            where = items.get(item_id, item_id) if item_id else "score"
            self.stdout.write(f"{units.get(unit_id, unit_id)} · {where}: {self.difference(stored, computed)}")
        self.stdout.write(f"predicted scores: {len(rows)} rows differ from a recomputation ({time.monotonic() - started:.1f} s)")
        if rows:
            sys.exit(1)  # as `makemigrations --check`: a deployment check fails on drift

    @staticmethod
    def difference(stored, computed) -> str:
        if stored is None:
            return "not stored"
        if computed is None:
            return "stored, but nothing to compute (the item is retired or the unit no longer publishes)"
        return f"{stored[:2]!r} stored, {computed[:2]!r} recomputed" if stored[:2] != computed[:2] else "other figures or reasons differ"
