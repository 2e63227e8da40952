from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ita_portal.backup import BackupError, copy_into_storage


class Command(BaseCommand):
    help = ("Copy the files stored on local disk (MEDIA_ROOT, or the folder given) into the configured storage "
            "(S3_BUCKET) under the same names, checking each by SHA-256. Run it once after switching to S3; "
            "it can run again: files already there with the same content are left alone.")

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="the folder of the local files (default: MEDIA_ROOT)")

    def handle(self, source=None, **options):
        folder = Path(source or settings.MEDIA_ROOT)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            done = copy_into_storage(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{len(done['copied'])} files copied and checked by SHA-256; "
                          f"{len(done['kept'])} were already there with the same content.")
