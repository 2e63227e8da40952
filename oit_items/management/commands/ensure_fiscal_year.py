from django.core.management.base import BaseCommand, CommandError

from ita_portal.lib import thaidate
from oit_items.rulebook import fiscal_year


class Command(BaseCommand):
    help = ("Make sure the current fiscal year (or the one given, BE) has a framework for every unit type, "
            "copying the latest one with every unit's assignments where it is missing. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", help="fiscal year, BE (default: the current one)")

    def handle(self, *args, year, **options):
        try:
            target = thaidate.parse_be_year(year) if year else None
        except ValueError:
            raise CommandError("The year must be a four-digit Buddhist Era year, e.g. 2570.")
        for framework, created in fiscal_year.ensure(target):
            state = "created from " + str(framework.cloned_from.fiscal_year) if created else "already there"
            self.stdout.write(f"{framework}: {state}, {framework.items.count()} items")
