from django.core.management.base import BaseCommand

from shiraka.organisations.services import reference_load


class Command(BaseCommand):
    help = "Load (or refresh) regions, provinces, communes, facility types and institutions."

    def handle(self, *args, **options):
        report = reference_load()
        self.stdout.write(self.style.SUCCESS(f"Reference data: {report}"))
