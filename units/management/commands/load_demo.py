from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from units import demo, reference
from units.models import LineOfWork, UnitType


class Command(BaseCommand):
    help = "Load the demo units, officers, assignments and logins (idempotent; development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even when DEBUG is off")
        parser.add_argument("--samples", action="store_true",
                            help="also publish sample O7 documents (Oct–Dec 2566) through the workflow")

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
            from oit_items.demo_evidence import publish_samples
            from units.models import Unit

            published = publish_samples(Unit.objects.get(slug="sn-buengkum"), demo.DEMO_FISCAL_YEAR, "O7")
            self.stdout.write(f"sample evidence: {published} months of O7 published for sn-buengkum")
