"""`shiraka figures --verify | --refresh | --today`: prove the figures kept per agreement and per
partnership exact to the centime against the money rows, compute them all again (after a bulk load, a
restore from an older version, or when `--verify` found a difference), or make what is kept current
for the new day before anyone reads it (cron, after midnight)."""

import time

from django.core.management.base import BaseCommand, CommandError

from shiraka.portfolio.figures import refresh_figures, start_day, verify_figures
from shiraka.portfolio.milestones import refresh_open_milestones

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Check the kept portfolio figures against the money rows (--verify), compute them again"
        " (--refresh), or make them and the kept alerts current for today (--today)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--verify", action="store_true", help="compare every kept figure with the rows")
        action.add_argument("--refresh", action="store_true", help="compute every kept figure again")
        action.add_argument(
            "--today",
            action="store_true",
            help="make the kept figures and alerts current for today (what the day's first reader would wait for)",
        )

    def handle(self, *args, verify, refresh, today, **options):
        if not (verify or refresh or today):
            raise CommandError("Say what to do: --verify, --refresh or --today.", returncode=2)
        started = time.perf_counter()
        if today:
            count, renewed = start_day()
            self.stdout.write(
                f"Figures of {count} agreements made current for today;"
                f" {', '.join(renewed) or 'nothing else'} computed again"
                f" ({time.perf_counter() - started:.1f} s)."
            )
            return
        if refresh:
            count = refresh_figures()
            late = refresh_open_milestones()
            self.stdout.write(
                f"Figures of {count} agreements and the oldest open milestone of {late} projects"
                f" computed again in {time.perf_counter() - started:.1f} s."
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
