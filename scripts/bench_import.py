"""Import N project rows (default 60,000) through the import (cells read, names matched, every row
checked by the rules of `project_create` and the model's checks, written with its history row and
author, kept figures refreshed, one transaction), then write the same rows and their history rows
with plain `executemany` batches (the floor: values already known, no reading, no checks), and print
both times and their ratio (wall clock, and this process's CPU). It does so `--repeat` times (3) and
compares the fastest round of each measure: on a shared machine one round's disk writes can take
half again as long as the next one's. Everything is rolled back at the end: the database is left as
it was.

    SHIRAKA_DEBUG=1 .venv/bin/python scripts/bench_import.py [--rows 60000] [--format xlsx|csv] [--repeat 3]

Needs the reference data (`shiraka load_reference`) and a superuser (`shiraka load_demo` makes one)."""

import argparse
import io
import os
import random
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")
os.environ.setdefault("SHIRAKA_DEBUG", "1")

import django  # noqa: E402

django.setup()

from bench_clock import Clock  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import translation  # noqa: E402

from shiraka.agreements.services import agreement_create  # noqa: E402
from shiraka.core.bulk import assign_ids, execute_rows, history_rows, insert_rows, table_rows  # noqa: E402
from shiraka.exchange.columns import PROJECTS  # noqa: E402
from shiraka.exchange.imports import import_workbook  # noqa: E402
from shiraka.exchange.writers import csv_chunks, write_xlsx  # noqa: E402
from shiraka.projects.models import Project  # noqa: E402
from shiraka.territory.models import Province  # noqa: E402

KEYS = ("reference", "agreement", "title_ar", "title_fr", "category", "province", "budget", "planned_start")


def rows(count: int, agreement: str, provinces: list) -> list[dict]:
    chance = random.Random(11)
    result = []
    for number in range(count):
        province = chance.choice(provinces)
        result.append(
            {
                "reference": f"{agreement}-P{number:05d}",
                "agreement": agreement,
                "title_ar": f"مركز صحي رقم {number}",
                "title_fr": f"Centre de santé n° {number}",
                "category": "health_centre",
                # Names as secretariats type them: Arabic for half the rows, French for the others.
                "province": province.name_ar if number % 2 else province.name_fr,
                "budget": f"{chance.randint(100_000, 90_000_000):,}".replace(",", " ") + ",50",
                "planned_start": f"{chance.randint(1, 28):02d}/{chance.randint(1, 12):02d}/2025",
            }
        )
    return result


def workbook(data: list[dict], format_: str) -> io.BytesIO:
    from shiraka.exchange.columns import Sheet

    sheet = Sheet(PROJECTS.key, PROJECTS.label, tuple(c for c in PROJECTS.columns if c.key in KEYS))
    buffer = io.BytesIO()
    if format_ == "csv":
        buffer.write("".join(csv_chunks(sheet, data, language="fr")).encode())
    else:
        write_xlsx([(sheet, data)], buffer, language="fr")
    buffer.seek(0)
    return buffer


def floor(agreement, user) -> tuple[Clock, int]:
    """The rows the import wrote (its projects, read back, under other references and ids) and their
    history rows, values already known, written by plain `executemany` batches: the clock runs over
    the INSERTs only."""
    projects = list(Project.objects.filter(agreement=agreement).order_by("pk"))
    assign_ids(Project, projects)
    for project in projects:
        project.reference += "-F"
        project._history_user = user
    tables = [table_rows(Project, projects), history_rows(Project, projects)]
    tables = [(table, columns, list(rows)) for table, columns, rows in tables]
    with Clock() as clock:
        written = sum(execute_rows(table, columns, rows) for table, columns, rows in tables)
    return clock, written


def object_floor(agreement) -> Clock:
    """The first measure's floor: a model object built per row from known values, then `insert_rows`
    (no history rows)."""
    names = ["agreement_id", "reference", "title_ar", "title_fr", "category", "province_id", "region_id"]
    values = list(Project.objects.filter(agreement=agreement).values(*names, "budget"))
    with Clock() as clock:
        insert_rows(Project, [Project(**{**row, "reference": row["reference"] + "-G"}) for row in values])
    return clock


def one_round(args, user, provinces) -> tuple[Clock, Clock, Clock] | None:
    """Import, then the floors, in a savepoint rolled back at the end."""
    with transaction.atomic():
        agreement = agreement_create(
            reference="BENCH-IMPORT", kind="partnership", title_fr="Banc d'essai", by=user
        )
        file = workbook(rows(args.rows, agreement.reference, provinces), args.format)
        if args.memory:
            tracemalloc.start()
        with Clock() as clock:
            report = import_workbook(file, user, dry_run=False)
        peak = tracemalloc.get_traced_memory()[1] if args.memory else 0
        tracemalloc.stop()
        if report.errors:
            print("refused:", report.errors[:5])
            return None
        plain, written = floor(agreement, user)
        objects = object_floor(agreement)
        memory = f", peak memory {peak / 1e6:.0f} MB" if args.memory else ""
        print(
            f"  import {clock.wall:5.1f} s (CPU {clock.cpu:.1f}{memory}), bulk floor {plain.wall:4.1f} s "
            f"({written:,} rows), {clock.wall / plain.wall:.1f} x; object floor {objects.wall:.1f} s"
        )
        transaction.set_rollback(True)
    return clock, plain, objects


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the fastest of each is compared")
    parser.add_argument("--memory", action="store_true", help="also trace the peak memory (slower)")
    args = parser.parse_args()
    user = get_user_model().objects.filter(is_superuser=True).first()
    provinces = list(Province.objects.all())
    if user is None or not provinces:
        print("needs the reference data and a superuser: shiraka load_reference && shiraka load_demo")
        return 2
    print(f"{args.rows} project rows ({args.format}), {args.repeat} rounds:")
    rounds = []
    with transaction.atomic(), translation.override("fr"):
        for _round in range(max(1, args.repeat)):
            measured = one_round(args, user, provinces)
            if measured is None:
                return 1
            rounds.append(measured)
        transaction.set_rollback(True)
    # Each measure's fastest round: the one this machine's other work disturbed least.
    clock, plain, objects = (min(kind, key=lambda c: c.wall) for kind in zip(*rounds, strict=True))
    print(f"import:     {clock.wall:8.1f} s  ({args.rows / clock.wall:,.0f} rows/s; CPU {clock.cpu:.1f} s)")
    print(f"bulk floor: {plain.wall:8.1f} s  (projects and their history rows; CPU {plain.cpu:.1f} s)")
    print(f"ratio:      {clock.wall / plain.wall:8.1f} x the floor (CPU {clock.cpu / plain.cpu:.1f} x)")
    print(
        f"(object floor: {objects.wall:.1f} s: a model object per row then insert_rows, no history; "
        f"ratio {clock.wall / objects.wall:.1f} x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
