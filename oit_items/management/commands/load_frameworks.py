from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oit_items.rulebook.loading import FRAMEWORK_DIR, FrameworkFileError, load_all, load_file


class Command(BaseCommand):
    help = "Load the OIT framework data files (idempotent; a higher version updates in place)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="framework YAML files (default: all shipped files)")

    def handle(self, *args, files, **options):
        try:
            results = [load_file(Path(f)) for f in files] if files else load_all(FRAMEWORK_DIR)
        except FrameworkFileError as exc:
            raise CommandError(str(exc))
        for result in results:
            self.stdout.write(str(result))
