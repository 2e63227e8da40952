from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ita_portal.backup import BackupError, RestoreIncomplete, restore, verify


class Command(BaseCommand):
    help = "Restore a backup made by `backup`: checks every SHA-256, then REPLACES the database and puts the files back."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup directory")
        parser.add_argument("--yes", action="store_true", help="replace the current data without asking")

    def handle(self, source, yes=False, **options):
        try:
            verify(Path(source))
            if not yes and input("This replaces every row of the database. Type yes to go on: ") != "yes":
                raise CommandError("Nothing was changed.")
            manifest = restore(Path(source))
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(f"Nothing was changed: {error}") from None
        except RestoreIncomplete as error:
            raise CommandError(f"{error} Restore again from the same backup to put every file back.") from None
        self.stdout.write(f"Restored the database ({len(manifest.get('tables', {}))} tables, {sum(manifest.get('tables', {}).values())} "
                          f"rows, as counted at the backup) and {len(manifest['files']) - 1} files from {source}")
