import time

from django.core.management.base import BaseCommand, CommandError

from shiraka.demo.synth import synth_delete, synth_exists, synth_generate
from shiraka.organisations.services import reference_load
from shiraka.territory.models import Region


class Command(BaseCommand):
    help = "Fill the database with a deterministic synthetic national portfolio (for scale tests and demos)."

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=100, help="number of agreements (default 100)")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed: same seed, same data (default 1)"
        )
        parser.add_argument("--replace", action="store_true", help="delete this seed's synthetic data first")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--fictional",
            action="store_true",
            help="mark every agreement and project as fictional in its title and source text (the demo's "
            "portfolio), and do nothing when this seed's data is already there",
        )

    def handle(
        self, *args, agreements: int, seed: int, replace: bool, quiet: bool, fictional: bool, **options
    ):
        if agreements < 1 or agreements > 100_000:
            raise CommandError("--agreements must be between 1 and 100000.", returncode=2)
        if seed < 0:
            raise CommandError("--seed must be zero or a positive number.", returncode=2)
        if not Region.objects.exists():
            reference_load()
        if synth_exists(seed):
            if fictional and not replace:
                self.stdout.write(f"Fictional portfolio (seed {seed}) already present.")
                return
            if not replace:
                raise CommandError(
                    f"Synthetic data for seed {seed} already exists; use --replace or another --seed.",
                    returncode=2,
                )
            synth_delete(seed)
        started = time.perf_counter()
        report = synth_generate(
            agreements=agreements, seed=seed, show_progress=not quiet, fictional=fictional
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic portfolio (seed {seed}) in {elapsed:.1f} s: {report}")
        )
