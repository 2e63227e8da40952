import time

from django.core.management.base import BaseCommand

from oit_items.evidence import readiness


class Command(BaseCommand):
    help = "Recompute the stored readiness of every unit and item from scratch (safe to run any time)."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = readiness.rebuild()
        self.stdout.write(f"readiness: {count} rows rebuilt in {time.monotonic() - started:.1f} s")
