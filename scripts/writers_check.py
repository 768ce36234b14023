"""Many processes recording transfers at once, then the proof that nothing was lost or invented: every
transfer a writer was told it recorded is in the database, no other; the sums per partner are exact to
the centime; the figures kept per agreement and per partnership agree with the rows; the dashboard's
parts, read and kept by other processes all the while, agree with the kept figures at the versions the
writes left; and no writer nor reader saw "database is locked".

    .venv/bin/python scripts/writers_check.py [--processes 16] [--readers 2] [--seconds 60]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

It works in a scratch database of its own (a temporary SQLite file, or a new PostgreSQL database on the
server of --database-url, dropped at the end): the app's data is never touched. Half the writers share
one agreement, so its kept figures are written by many transactions at the same time. Every partner
owes a contribution due before today, so each transfer also writes its agreement's kept alerts again
(an overdue contribution); they are checked with the kept figures."""

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PARTNERS = 8


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["SHIRAKA_DATABASE_URL"] = database_url
    os.environ.setdefault("SHIRAKA_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")
    import django

    django.setup()


def _prepare() -> list[int]:
    from django.core.management import call_command

    from shiraka.agreements import services
    from shiraka.core.rules import today
    from shiraka.followup.kept_alerts import ensure_kept_alerts
    from shiraka.organisations.services import organisation_create

    call_command("migrate", verbosity=0)
    partnerships = []
    for letter in "AB":
        agreement = services.agreement_create(
            reference=f"WRITERS-{letter}",
            kind="partnership",
            title_fr=f"Écritures concurrentes {letter}",
            total_amount=Decimal("900000000.00"),
            signed_on=date(2025, 1, 15),
            status="signed",
        )
        for n in range(PARTNERS):
            organisation = organisation_create(name_fr=f"Partenaire {letter}{n}", kind="ministry")
            partnership = services.partnership_commit(
                agreement=agreement, organisation=organisation, committed_amount=Decimal("100000000.00")
            )
            services.contribution_schedule(
                partnership=partnership, due_on=date(2025, 6, 30), amount=Decimal("90000000.00")
            )
            partnerships.append(partnership.pk)
    ensure_kept_alerts(today())
    return partnerships


def _writer(database_url: str, partnerships: list[int], seconds: float, seed: int, results) -> None:
    _setup(database_url)
    from django.db import IntegrityError, OperationalError

    from shiraka.agreements.models import Partnership
    from shiraka.agreements.services import transfer_record
    from shiraka.core.rules import today

    rng = random.Random(seed)
    # Half the writers write on agreement A only: contention on one agreement's kept figures.
    choices = partnerships[:PARTNERS] if seed % 2 else partnerships
    recorded, locked, other = [], 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        partnership = Partnership.objects.get(pk=rng.choice(choices))
        amount = Decimal(rng.randint(1, 5_000_000)) / 100
        try:
            transfer = transfer_record(partnership=partnership, transferred_on=today(), amount=amount)
        except (OperationalError, IntegrityError) as error:
            locked += "locked" in str(error)
            other += "locked" not in str(error)
            continue
        recorded.append((transfer.pk, partnership.pk, str(amount)))
    results.put((recorded, locked, other))


def _reader(database_url: str, seconds: float, results) -> None:
    """The dashboard read again and again while the writers write: each process sums the parts it
    finds stale and keeps them in the database (`core.kept`), which the check proves afterwards."""
    _setup(database_url)
    from django.db import OperationalError

    from shiraka.agreements.models import Agreement
    from shiraka.reporting.national import dashboard_figures

    reads, locked, other = 0, 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            dashboard_figures(Agreement.objects.all(), "all")
        except OperationalError as error:
            locked += "locked" in str(error)
            other += "locked" not in str(error)
            continue
        reads += 1
    results.put((reads, locked, other))


def _check(recorded: list, expected_count: int) -> list[str]:
    from django.db.models import Sum

    from shiraka.agreements.models import Transfer
    from shiraka.portfolio.figures import verify_figures
    from shiraka.portfolio.models import AgreementFigures

    problems = []
    rows = dict(Transfer.objects.values_list("pk", "amount"))
    told = {pk: Decimal(amount) for pk, _, amount in recorded}
    lost = set(told) - set(rows)
    phantom = set(rows) - set(told)
    if lost or phantom or len(told) != expected_count:
        problems.append(f"{len(lost)} lost, {len(phantom)} phantom transfers")
    wrong = [pk for pk, amount in told.items() if pk in rows and rows[pk] != amount]
    if wrong:
        problems.append(f"{len(wrong)} transfers with another amount than recorded")
    by_partner: dict[int, Decimal] = {}
    for _, partnership, amount in recorded:
        by_partner[partnership] = by_partner.get(partnership, Decimal("0")) + Decimal(amount)
    summed = dict(Transfer.objects.values_list("partnership").annotate(t=Sum("amount")))
    if any(summed.get(pk) != total for pk, total in by_partner.items()):
        problems.append("sums per partner differ from what the writers recorded")
    kept = AgreementFigures.objects.aggregate(t=Sum("transferred"))["t"] or Decimal("0")
    if kept != sum(by_partner.values(), Decimal("0")):
        problems.append(
            f"kept figures say {kept} transferred, the writers recorded {sum(by_partner.values())}"
        )
    differences = verify_figures()  # the kept alerts too
    if differences:
        problems.append(f"{len(differences)} kept figures differ from the rows, e.g. {differences[0]}")
    from shiraka.followup.models import KeptAlert

    overdue = KeptAlert.objects.filter(kind="contribution_overdue").count()
    if overdue != 2 * PARTNERS:
        problems.append(f"{overdue} overdue-contribution alerts kept, {2 * PARTNERS} partners owe")
    return problems


def _parts_checked() -> bool:
    """Whether the readers left the dashboard's parts kept at the versions the last write left: those
    `verify_figures` compared with the kept figures (a part kept at older versions is read by no one)."""
    from shiraka.agreements.models import Agreement
    from shiraka.core import kept
    from shiraka.core.rules import today
    from shiraka.reporting.national import _part_keys

    keys = _part_keys("all", [None], today())
    return bool(kept.read_parts([key for by_region in keys.values() for key in by_region.values()])) and (
        Agreement.objects.exists()
    )


def _scratch_database(database_url: str | None) -> tuple[str, callable]:
    if not database_url:
        folder = tempfile.mkdtemp(prefix="shiraka-writers-")
        return f"sqlite:///{folder}/writers.sqlite3", lambda: None
    import psycopg

    name = f"shiraka_writers_{os.getpid()}"
    parts = urlsplit(database_url)
    admin = psycopg.connect(database_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=2, help="processes reading the dashboard meanwhile")
    parser.add_argument("--database-url", help="a PostgreSQL server to make the scratch database on")
    args = parser.parse_args()
    url, drop = _scratch_database(args.database_url)
    try:
        _setup(url)
        partnerships = _prepare()
        from django.db import connections

        connections.close_all()
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        read_results = context.Queue()
        workers = [
            context.Process(target=_writer, args=(url, partnerships, args.seconds, seed, results))
            for seed in range(args.processes)
        ]
        readers = [
            # A little longer than the writers: the last parts they keep are at the last versions.
            context.Process(target=_reader, args=(url, args.seconds + 3, read_results))
            for _ in range(args.readers)
        ]
        for worker in [*workers, *readers]:
            worker.start()
        outcomes = [results.get() for _ in workers]
        read_outcomes = [read_results.get() for _ in readers]
        for worker in [*workers, *readers]:
            worker.join()
        recorded = [row for rows, _, _ in outcomes for row in rows]
        locked = sum(n for _, n, _ in [*outcomes, *read_outcomes])
        other = sum(n for _, _, n in [*outcomes, *read_outcomes])
        reads = sum(n for n, _, _ in read_outcomes)
        problems = _check(recorded, len(recorded))
        if args.readers and not _parts_checked():
            problems.append("no part of the dashboard kept at the last versions: nothing to prove")
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"{engine}: {args.processes} writers and {args.readers} dashboard readers for {args.seconds:.0f} s:"
            f" {len(recorded)} transfers ({len(recorded) / args.seconds:.0f}/s), {reads} dashboards read,"
            f" {locked} 'database is locked', {other} other errors"
        )
        for problem in problems:
            print(f"FAIL: {problem}")
        if not problems and not locked and not other:
            print("PASS: nothing lost, nothing invented, sums and kept figures exact to the centime")
        connections.close_all()
        return 1 if problems or locked or other else 0
    finally:
        drop()


if __name__ == "__main__":
    sys.exit(main())
