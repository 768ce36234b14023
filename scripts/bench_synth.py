"""Build the synthetic portfolio (`synth`, with its history rows and the kept figures it refreshes),
then write the very same rows again with plain `executemany` batches (the floor: values read back
beforehand, the clock runs over the INSERTs only, in the order the links need, foreign keys checked
as they go), and print both times and their ratio, wall clock and CPU (this process plus, on a local
PostgreSQL, its server process). The floor is rolled back: the database keeps the synthetic data.

    SHIRAKA_DEBUG=1 .venv/bin/python scripts/bench_synth.py [--agreements 5000] [--seed 1]

Run it on a scratch database (SHIRAKA_DATA_DIR=/tmp/… for SQLite, SHIRAKA_DATABASE_URL=postgres://…):
it deletes that seed's synthetic data first when present. The floor's rows are those whose primary
key is above what each table held before the build."""

import argparse
import os
import sys
from graphlib import TopologicalSorter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")
os.environ.setdefault("SHIRAKA_DEBUG", "1")

import django  # noqa: E402

django.setup()

from bench_clock import Clock  # noqa: E402
from django.apps import apps  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from shiraka.core.bulk import execute_rows  # noqa: E402
from shiraka.demo.synth import synth_delete, synth_exists, synth_generate  # noqa: E402
from shiraka.organisations.services import reference_load  # noqa: E402
from shiraka.territory.models import Region  # noqa: E402


def tables() -> list:
    """Every table with an integer primary key (models, many-to-many links, history), parents first."""
    integer = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "OneToOneField"}
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.pk.get_internal_type() in integer
    ]
    graph = {m: set() for m in models}
    for model in models:
        for field in model._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                target = field.related_model
                if target in graph and target is not model:
                    graph[model].add(target)
    return list(TopologicalSorter(graph).static_order())


def max_ids(models) -> dict:
    found = {}
    with connection.cursor() as cursor:
        for model in models:
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT max({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)}")
            found[model] = cursor.fetchone()[0] or 0
    return found


def floor(before: dict) -> tuple[Clock, int]:
    """The rows written since `before`, deleted and written again with executemany; rolled back."""
    quote = connection.ops.quote_name
    order = list(before)
    clock, written = Clock(), 0
    clock.wall = clock.cpu = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        saved = []
        for index, model in enumerate(reversed(order)):
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            columns = [f.column for f in model._meta.concrete_fields]
            names = ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {pk} > %s", [before[model]])
            if not cursor.fetchone()[0]:
                continue
            copy = f"bench_floor_{index}"
            cursor.execute(
                f"CREATE TEMP TABLE {copy} AS SELECT {names} FROM {table} WHERE {pk} > %s ORDER BY {pk}",
                [before[model]],
            )
            cursor.execute(f"DELETE FROM {table} WHERE {pk} > %s", [before[model]])
            saved.append((model, copy, columns, names))
        for model, copy, columns, names in reversed(saved):  # parents first
            cursor.execute(f"SELECT {names} FROM {copy}")
            rows = cursor.fetchall()
            with Clock() as part:
                written += execute_rows(model._meta.db_table, columns, rows)
            clock.wall += part.wall
            clock.cpu += part.cpu
            print(f"  floor {model._meta.db_table:<45} {len(rows):>9,} rows {part.wall:7.2f} s", flush=True)
        transaction.set_rollback(True)
    return clock, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agreements", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not Region.objects.exists():
        reference_load()
    if synth_exists(args.seed):
        synth_delete(args.seed)
    models = tables()
    before = max_ids(models)
    with Clock() as build:
        report = synth_generate(agreements=args.agreements, seed=args.seed, show_progress=False)
    print(f"synth:      {build.wall:8.1f} s  (CPU {build.cpu:.1f} s): {report}", flush=True)
    plain, written = floor(before)
    print(
        f"bulk floor: {plain.wall:8.1f} s  (CPU {plain.cpu:.1f} s): {written:,} rows, history and figures included"
    )
    print(f"ratio:      {build.wall / plain.wall:8.1f} x the floor (CPU {build.cpu / plain.cpu:.1f} x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
