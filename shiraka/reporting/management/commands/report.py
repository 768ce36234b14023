"""`shiraka report agreement|province|region|partner KEY --language ar|fr --output FILE.pdf`: the status
report as PDF (KEY: agreement reference, province or region HCP code, partner's id)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shiraka.reporting.reports import KINDS, LANGUAGES, ReportSubjectMissing, report_pdf


class Command(BaseCommand):
    help = "Write the status report of an agreement, a province, a region or a partner as PDF."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("key", help="agreement reference, province or region code, or partner id")
        parser.add_argument("--language", default="ar", choices=LANGUAGES)
        parser.add_argument("--output", required=True, help="path of the PDF to write")

    def handle(self, *args, kind: str, key: str, language: str, output: str, **options):
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"--output: no folder {target.parent}.", returncode=2)
        try:
            content = report_pdf(kind, key, language=language)
        except ReportSubjectMissing:
            raise CommandError(f"No {kind} answers to {key!r}.", returncode=2) from None
        target.write_bytes(content)
        self.stdout.write(f"{target}: {len(content)} bytes")
