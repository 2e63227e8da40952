"""manage.py import_assessment FILE [--fiscal-year N] [--commit] [--as USERNAME]

The assessors' results from a spreadsheet (the template of the import page): a dry run by default,
listing per row what would change or why it is refused; --commit stores them, and only if no row
is refused. --as checks every row against what that login may do (default: every unit)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from ita_portal.lib import thaidate
from oit_items.assessment import importing
from units.onboarding.reader import FileProblem


class Command(BaseCommand):
    help = "Import the assessors' preliminary and final results (dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--fiscal-year", type=int, default=None, help="BE; default: the current fiscal year")
        parser.add_argument("--commit", action="store_true", help="store the results (else only the dry run)")
        parser.add_argument("--as", dest="username", default=None, help="check the rows as this login")

    def handle(self, file, fiscal_year=None, commit=False, username=None, **options):
        translation.activate("th")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"unknown user {username}")
        fiscal_year = fiscal_year or thaidate.fiscal_year(timezone.localdate())
        try:
            plan = importing.check(importing.read(path.name, path.read_bytes()), fiscal_year, user)
        except FileProblem as problem:
            raise CommandError(str(problem))
        for result in plan.results:
            if result.errors:
                for error in result.errors:
                    self.stdout.write(f"REFUSED {error}")
            elif result.changes:
                self.stdout.write(f"{result.action.upper()} {result.row} {result.key}: {'; '.join(result.changes)}")
        counts = plan.counts()
        self.stdout.write(f"fiscal year {fiscal_year}: {counts['create']} new, {counts['update']} changed, "
                          f"{counts['unchanged']} unchanged, {counts['refuse']} refused")
        if plan.refused:
            raise CommandError("nothing stored: some rows are refused")
        if not commit:
            self.stdout.write("dry run: nothing stored (add --commit to store)")
            return
        count = importing.apply(plan, user)
        self.stdout.write(self.style.SUCCESS(f"stored: {count} items changed"))
