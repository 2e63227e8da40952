from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from units import demo, reference
from units.models import LineOfWork, UnitType


class Command(BaseCommand):
    help = "Load the demo units, officers, assignments and logins (idempotent; development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even when DEBUG is off")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo logins have a published password; refusing with DEBUG off (use --force).")
        reference.ensure(UnitType, LineOfWork)  # normally there from migration 0002; not after a flush
        call_command("load_frameworks", stdout=self.stdout)
        counts = demo.load()
        self.stdout.write("demo data: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
