"""`shiraka export_iati --output FILE [--agreement REF …]`: IATI 2.03 activity XML of the published
agreements, or of the agreements named (published or not: the operator chooses). Named `export_iati`
because `shiraka export` is the exchange's list export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shiraka.agreements.models import Agreement
from shiraka.reporting.iati import activities_xml


class Command(BaseCommand):
    help = "Write the IATI 2.03 activity file of the published agreements (or of those given)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="path of the XML file to write")
        parser.add_argument(
            "--agreement", action="append", default=[], help="an agreement's reference (repeatable)"
        )

    def handle(self, *args, output: str, agreement: list[str], **options):
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"--output: no folder {target.parent}.", returncode=2)
        if agreement:
            agreements = Agreement.objects.filter(reference__in=agreement)
            missing = sorted(set(agreement) - set(agreements.values_list("reference", flat=True)))
            if missing:
                raise CommandError(f"No agreement with the reference: {', '.join(missing)}.", returncode=2)
        else:
            agreements = Agreement.objects.filter(is_published=True)
        content = activities_xml(agreements)
        target.write_bytes(content)
        self.stdout.write(f"{target}: {content.count(b'<iati-activity ')} activities, {len(content)} bytes")
