"""`shiraka extract FILE`: the extraction's command line under the project's command."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Read a press release (FILE, or - for standard input) and print the agreement draft as JSON."

    def run_from_argv(self, argv):
        # The extraction has its own argument parser and exit codes (2 on bad input); hand it the
        # arguments untouched rather than going through Django's parser.
        from shiraka.extraction.cli import main

        try:
            code = main(argv[2:])
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (e.g. `| head`): not an error of ours.
            sys.stderr.close()
            code = 0
        sys.exit(code)

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv does the work
        raise NotImplementedError
