import time

from django.core.management.base import BaseCommand

from oit_items.public import search
from units.models import Unit


class Command(BaseCommand):
    help = ("Build the public search index of every publishing unit (or of the units named) from their approved "
            "snapshots; run once after upgrading, safe to run any time. Publications keep it up to date afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these units")

    def handle(self, *args, slugs, **options):
        started = time.monotonic()
        units = Unit.objects.filter(unit_type__publishes_oit=True).order_by("path")
        if slugs:
            units = units.filter(slug__in=slugs)
        entries = sum(search.rebuild(unit) for unit in units.iterator())
        self.stdout.write(f"search index: {units.count()} units, {entries} evidence entries in {time.monotonic() - started:.1f} s")
