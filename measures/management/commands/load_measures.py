from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures import loading


class Command(BaseCommand):
    help = "Load the integrity measures data files (measures/data/*.yaml, or the files given); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="data files (default: every file in measures/data/)")
        parser.add_argument("--force", action="store_true", help="load even when the plan is already at the file's version")

    def handle(self, *args, files, force, **options):
        paths = [Path(f) for f in files] or loading.data_files()
        for path in paths:
            try:
                result = loading.load_file(path, force=force)
            except (loading.DataFileError, OSError, KeyError) as error:
                raise CommandError(f"{path}: {error}") from error
            self.stdout.write(str(result))
            for name in result.unmatched:
                self.stderr.write(f"  {path.name}: “{name}” names no officer of the unit; kept as text only")
