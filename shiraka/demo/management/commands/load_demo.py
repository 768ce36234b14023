import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shiraka.demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_load, demo_user_ensure
from shiraka.organisations.services import reference_load
from shiraka.territory.models import Region

PASSWORD_VARIABLE = "SHIRAKA_DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        "Load the seed texts' three agreements and, on a development machine (SHIRAKA_DEBUG=1), create "
        "the demo administrator (demo / demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-user", action="store_true", help="Do not create the demo administrator.")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help=f"Create the administrator 'demo' with the password in ${PASSWORD_VARIABLE} "
            "(required when debug is off; the password must pass the password rules).",
        )

    def handle(self, *args, **options):
        if options["no_user"] and options["superuser"]:
            raise CommandError("--no-user and --superuser contradict each other.", returncode=2)
        # Checked before anything is written: a refused command leaves the database as it was.
        password = self._password(options)
        if not Region.objects.exists():
            reference_load()
        user = None
        if password is not None:
            with transaction.atomic():
                user, created = demo_user_ensure()
                if password != DEMO_PASSWORD:
                    user.set_password(password)
                    user.save(update_fields=["password"])
        for agreement, created in demo_load(by=user):
            state = "loaded" if created else "already present"
            self.stdout.write(f"  {agreement.reference}: {state}")
        if password == DEMO_PASSWORD:
            self.stdout.write(
                self.style.SUCCESS(f"Demo login: username {DEMO_USERNAME} / password {DEMO_PASSWORD}")
            )
        elif user is not None:
            self.stdout.write(self.style.SUCCESS(f"Administrator: username {DEMO_USERNAME}"))

    def _password(self, options) -> str | None:
        """The demo administrator's password, None for no administrator. A superuser with a known
        password on a server open to the internet is an open door: outside debug it takes an explicit
        --superuser and a password of the operator's that passes the password rules."""
        if options["no_user"]:
            return None
        if not options["superuser"]:
            if settings.DEBUG:
                return DEMO_PASSWORD
            raise CommandError(
                f"Debug is off: the demo administrator ({DEMO_USERNAME} / {DEMO_PASSWORD}) is not created. "
                f"Use --no-user, or --superuser with ${PASSWORD_VARIABLE} set to a strong password.",
                returncode=2,
            )
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(f"--superuser needs the password in ${PASSWORD_VARIABLE}.", returncode=2)
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(f"${PASSWORD_VARIABLE}: {' '.join(error.messages)}", returncode=2) from error
        return password
