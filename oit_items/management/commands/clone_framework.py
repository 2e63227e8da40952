from django.core.management.base import BaseCommand, CommandError

from ita_portal.lib import thaidate
from oit_items.rulebook.loading import framework_added
from oit_items.rulebook.models import Framework, FrameworkExists


class Command(BaseCommand):
    help = "Clone the frameworks of one fiscal year (BE) into another, with every unit's assignments."

    def add_arguments(self, parser):
        parser.add_argument("source_year", help="fiscal year to copy from, BE (e.g. 2567)")
        parser.add_argument("target_year", nargs="?", help="fiscal year to create, BE (default: the next one)")
        parser.add_argument("--unit-type", help="only this unit type code (e.g. police_station)")

    def handle(self, *args, source_year, target_year, unit_type, **options):
        try:
            source = thaidate.parse_be_year(source_year)
            target = thaidate.parse_be_year(target_year) if target_year else source + 1
        except thaidate.AmbiguousYear as exc:
            raise CommandError(f"{exc.args[0]} looks like a Christian Era year; give the Buddhist Era year.")
        except ValueError:
            raise CommandError("Years must be four-digit Buddhist Era years, e.g. 2567.")
        frameworks = Framework.objects.filter(fiscal_year=source).select_related("unit_type")
        if unit_type:
            frameworks = frameworks.filter(unit_type__code=unit_type)
        if not frameworks:
            raise CommandError(f"No framework for fiscal year {source}.")
        for framework in frameworks:
            try:
                clone = framework.clone_to(target)
            except FrameworkExists as exc:
                raise CommandError(f"{exc} (not cloned from {framework}); nothing changed.")
            framework_added(clone)
            self.stdout.write(f"{framework} → {clone}: {clone.items.count()} items")
