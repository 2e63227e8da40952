"""`manage.py import_units FILE [FILE …] [--apply] [--as USERNAME] [--no-invitations]`

The same import as the staff page: a dry run by default (the report, row by row, in Thai);
with --apply, everything in one transaction or nothing when a row is refused. With --as, the
rows are checked against what that user may do; without it, the shell has every right.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from units.onboarding import jobs, reader


class Command(BaseCommand):
    help = "Import units, officers and logins with their roles from XLSX/CSV (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--apply", action="store_true", help="apply (all or nothing) when no row is refused")
        parser.add_argument("--as", dest="username", help="check the rows against this user's rights")
        parser.add_argument("--no-invitations", action="store_true", help="do not e-mail invitations to new logins")
        parser.add_argument("--quiet-rows", action="store_true", help="print refused rows and the summary only")

    def handle(self, *args, files, apply, username, no_invitations, quiet_rows, **options):
        translation.activate("th")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username!r}")
        try:
            data = [(Path(name).name, Path(name).read_bytes()) for name in files]
            check, counts = jobs.run(data, user=user, apply=apply, invite=not no_invitations)
        except OSError as exc:
            raise CommandError(str(exc))
        except reader.FileProblem as problem:
            raise CommandError(str(problem))
        for result in check.results:
            if quiet_rows and result.action != "refuse":
                continue
            detail = "; ".join(result.errors) or ", ".join(result.changes)
            self.stdout.write(f"{result.sheet} {result.row} {result.key}: {result.action} {detail}".rstrip())
            for warning in result.warnings:
                self.stdout.write(f"  ⚠ {warning}")
        summary = check.summary
        for warning in summary["warnings"]:  # about the file: sheets not read
            self.stdout.write(f"⚠ {warning}")
        self.stdout.write(f"rows={summary['rows']} create={summary['create']} update={summary['update']} "
                          f"unchanged={summary['unchanged']} refuse={summary['refuse']}")
        if check.refused:
            raise CommandError("refused rows: nothing was applied" if apply else "refused rows: fix them before --apply")
        self.stdout.write("applied: " + ", ".join(f"{k}={v}" for k, v in counts.items()) if counts is not None
                          else "dry run: nothing was changed (use --apply)")
