"""The `shiraka` console command: Django's management commands under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loads the settings so a bad environment is caught here
    except ImproperlyConfigured as error:
        print(f"shiraka: {error}", file=sys.stderr)
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shiraka", *sys.argv[1:]])


if __name__ == "__main__":
    main()
