from django.core.management.base import BaseCommand

from shiraka.demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_load, demo_user_ensure
from shiraka.organisations.services import reference_load
from shiraka.territory.models import Region


class Command(BaseCommand):
    help = "Load the seed texts' three agreements and create the demo administrator (demo / demo)."

    def add_arguments(self, parser):
        parser.add_argument("--no-user", action="store_true", help="Do not create the demo administrator.")

    def handle(self, *args, **options):
        if not Region.objects.exists():
            reference_load()
        user = None
        if not options["no_user"]:
            user, created = demo_user_ensure()
        for agreement, created in demo_load(by=user):
            state = "loaded" if created else "already present"
            self.stdout.write(f"  {agreement.reference}: {state}")
        if user is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Demo login: username {DEMO_USERNAME} / password {DEMO_PASSWORD}")
            )
