"""`shiraka import FILE [--dry-run] [--user USERNAME]`: a workbook or CSV file written through the
same checks and services as the import page, all rows or none. A refused file exits with code 2 and
lists every bad row on stderr (sheet, line, column, message); nothing is written."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shiraka.exchange.imports import import_workbook
from shiraka.exchange.selection import acting_user


class Command(BaseCommand):
    help = "Import a workbook (.xlsx) or CSV file: agreements, partners, schedule, transfers, projects, …"

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="the user who imports (default: the only superuser)")
        parser.add_argument("--language", default=None, help="language of the messages: ar, fr or en")

    def handle(self, *args, file, dry_run, user, language, **options):
        language = language or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            raise CommandError(
                f"--language must be one of: {', '.join(dict(settings.LANGUAGES))}.", returncode=2
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.", returncode=2)
        importer = acting_user(user)
        with translation.override(language), path.open("rb") as handle:
            report = import_workbook(handle, importer, dry_run=dry_run)
        counts = report.counts()
        summary = (
            f"{counts['create']} to create, {counts['change']} to change, "
            f"{counts['unchanged']} unchanged, {counts['skip']} skipped"
        )
        for notice in report.notices:
            self.stderr.write(notice)
        if report.errors:
            for error in report.errors:
                place = ", ".join(
                    str(p)
                    for p in (error.sheet, f"line {error.line}" if error.line else "", error.column)
                    if p
                )
                self.stderr.write(f"{place}: {error.message}" if place else error.message)
            self.stderr.write(f"{len(report.errors)} problem(s): nothing was written.")
            sys.exit(2)
        self.stdout.write(("checked (nothing written): " if dry_run else "written: ") + summary)
