from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ita_portal.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump on PostgreSQL, JSON on SQLite) and every stored file together, "
            "with a SHA-256 manifest and the row count of every table.")

    def add_arguments(self, parser):
        parser.add_argument("target", help="a new directory to write the backup to")

    def handle(self, target, **options):
        try:
            manifest = backup(Path(target))
        except FileExistsError:
            raise CommandError(f"{target} exists: give a new directory.") from None
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{len(manifest['files']) - 1} files and the database ({manifest['database']}: "
                          f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows) written to {target}")
        if manifest["missing"]:
            self.stderr.write(f"{len(manifest['missing'])} files the database names were missing: "
                              + ", ".join(manifest["missing"][:20]))
