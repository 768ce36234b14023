"""`shiraka figures --verify | --refresh`: prove the figures kept per agreement and per partnership
exact to the centime against the money rows, or compute them all again (after a bulk load, a restore
from an older version, or when `--verify` found a difference)."""

import time

from django.core.management.base import BaseCommand, CommandError

from shiraka.portfolio.figures import refresh_figures, verify_figures

SHOWN = 20


class Command(BaseCommand):
    help = "Check the kept portfolio figures against the money rows (--verify) or compute them again (--refresh)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--verify", action="store_true", help="compare every kept figure with the rows")
        action.add_argument("--refresh", action="store_true", help="compute every kept figure again")

    def handle(self, *args, verify, refresh, **options):
        if not (verify or refresh):
            raise CommandError("Say what to do: --verify or --refresh.", returncode=2)
        started = time.perf_counter()
        if refresh:
            count = refresh_figures()
            self.stdout.write(
                f"Figures of {count} agreements computed again in {time.perf_counter() - started:.1f} s."
            )
            return
        differences = verify_figures()
        elapsed = time.perf_counter() - started
        if not differences:
            self.stdout.write(
                f"Kept figures exact: every agreement and partnership checked in {elapsed:.1f} s."
            )
            return
        for difference in differences[:SHOWN]:
            self.stderr.write(str(difference))
        if len(differences) > SHOWN:
            self.stderr.write(f"... and {len(differences) - SHOWN} more.")
        raise CommandError(
            f"{len(differences)} kept figures differ from the rows: run `shiraka figures --refresh`.",
            returncode=1,
        )
