from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from oit_items import demo
from oit_items.assessment import scores
from oit_items.demo.evidence import publish_all
from oit_items.public import search
from units import demo as people
from units import reference
from units.models import LineOfWork, Unit, UnitType


class Command(BaseCommand):
    help = "Load the demo units, officers, assignments and logins (idempotent; development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even when DEBUG is off")
        parser.add_argument("--samples", action="store_true",
                            help="also publish sample evidence (O7, O15, O17, O19 and the immigration unit's O6, O18) through the workflow")

    def handle(self, *args, force, samples, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo logins have a published password; refusing with DEBUG off (use --force).")
        reference.ensure(UnitType, LineOfWork)  # normally there from migration 0002; not after a flush
        call_command("load_frameworks", stdout=self.stdout)
        counts = demo.load()
        self.stdout.write("demo data: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        call_command("load_measures", stdout=self.stdout)  # the seeds' integrity measures (measures/data/)
        # FY2567 stays as the seeds have it; the current fiscal year is a live year beside it.
        call_command("ensure_fiscal_year", stdout=self.stdout)
        if samples:
            for line in publish_all(people.DEMO_FISCAL_YEAR):
                self.stdout.write(f"sample evidence: {line}")
        for unit in Unit.objects.filter(slug__in=people.PUBLISHING_UNITS):  # what approvals queue later
            search.rebuild(unit)
        # Their predicted scores, every year: stored figures like any unit's (the signals refresh them
        # after each sample approval too, but a demo without samples must show its zeros honestly).
        demo_units = list(Unit.objects.filter(slug__in=people.PUBLISHING_UNITS).values_list("pk", flat=True))
        for fiscal_year in scores.all_years():
            scores.refresh_many(demo_units, fiscal_year)
