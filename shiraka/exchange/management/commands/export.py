"""`shiraka export KIND --format xlsx|csv|json --output FILE [filters]`: what the list pages export,
with the same filters as their query strings, as the given user sees it (default: what the public
sees, published records only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shiraka.accounts.access import is_member
from shiraka.exchange.exports import KINDS, export_sheets
from shiraka.exchange.selection import acting_user, export_source
from shiraka.exchange.writers import csv_chunks, json_chunks, write_xlsx

FILTERS = (
    "q",
    "region",
    "province",
    "programme",
    "kind",
    "status",
    "partner",
    "year",
    "category",
    "owner",
    "late",
    "sort",
)


class Command(BaseCommand):
    help = "Export agreements, projects, an agreement's transfers, an organisation's commitments or alerts."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[k for k in KINDS if k != "alerts"])
        parser.add_argument("--format", required=True, choices=("xlsx", "csv", "json"))
        parser.add_argument("--output", required=True, help="path of the file to write")
        parser.add_argument("--user", help="export as this user sees (default: the public's view)")
        parser.add_argument("--language", default=None, help="ar, fr or en")
        parser.add_argument("--agreement", help="transfers: the agreement's reference")
        parser.add_argument("--organisation", type=int, help="commitments: the organisation's id")
        for name in FILTERS:
            parser.add_argument(f"--{name}", help="as in the list page's query string")

    def handle(self, *args, kind, format, output, user, language, **options):
        from django.contrib.auth.models import AnonymousUser

        language = language or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            raise CommandError(
                f"--language must be one of: {', '.join(dict(settings.LANGUAGES))}.", returncode=2
            )
        reader = acting_user(user) if user else AnonymousUser()
        params = {name: options[name] for name in FILTERS if options.get(name) is not None}
        params |= {name: options[name] for name in ("agreement", "organisation") if options.get(name)}
        try:
            source = export_source(kind, reader, params)
        except LookupError as error:
            raise CommandError(str(error), returncode=2) from None
        sheets = export_sheets(
            kind, source, language=language, members=is_member(reader), sort=params.get("sort", "")
        )
        if format == "xlsx":
            write_xlsx(sheets, output, language=language)
        else:
            sheet, rows = sheets[0]
            chunks = (
                csv_chunks(sheet, rows, language=language)
                if format == "csv"
                else json_chunks(sheet, rows, language=language)
            )
            with open(output, "w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        self.stdout.write(f"{output} written.")
