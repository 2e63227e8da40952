"""`manage.py freeze_itap_record 2567 [--unit sn-buengkum]`: freeze the record as submitted to ITAP of
one unit, or of every publishing unit that has the year's items, and say what was frozen now and what
was frozen already (left as it was)."""

from django.core.management.base import BaseCommand, CommandError

from oit_items.assessment import freezing
from oit_items.assessment.models import ItapRecord
from oit_items.rulebook.models import Framework
from units.models import Unit


class Command(BaseCommand):
    help = "Freeze the record as submitted to ITAP of a fiscal year (one unit with --unit)."

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int)
        parser.add_argument("--unit", help="the unit's slug (default: every unit publishing that year)")

    def handle(self, *args, fiscal_year, unit=None, **options):
        types = Framework.objects.filter(fiscal_year=fiscal_year).values_list("unit_type_id", flat=True)
        units = Unit.objects.filter(unit_type_id__in=types, unit_type__publishes_oit=True).order_by("path")
        if unit:
            units = units.filter(slug=unit)
            if not units.exists():
                raise CommandError(f"no unit {unit!r} publishing OIT items in fiscal year {fiscal_year}")
        names = dict(units.values_list("pk", "slug"))
        frozen, already = 0, 0
        ids = list(names)
        for start in range(0, len(ids), freezing.CHUNK):
            outcome = freezing.freeze_many(ids[start:start + freezing.CHUNK], fiscal_year, ItapRecord.COMMAND)
            for pk, record in outcome.frozen.items():
                self.stdout.write(f"frozen: {names[pk]} {fiscal_year} at {record.frozen_at:%Y-%m-%d %H:%M:%S}")
            for pk, record in outcome.already.items():
                self.stdout.write(f"already frozen: {names[pk]} {fiscal_year} at {record.frozen_at:%Y-%m-%d %H:%M:%S} "
                                  f"({record.trigger})")
            frozen, already = frozen + len(outcome.frozen), already + len(outcome.already)
        self.stdout.write(f"{frozen} frozen now, {already} already frozen")
