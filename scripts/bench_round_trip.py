"""What one query costs a page beyond its own work, on SQLite and on PostgreSQL: `SELECT 1` through
Django's cursor, asked back to back and then after some Python work, as a page asks its queries
between building rows and markup. SQLite answers inside the process; PostgreSQL's answer crosses a
socket to a server process, which may have gone idle while the page worked (here it cost more after
3 ms of work than back to back).

    .venv/bin/python scripts/bench_round_trip.py [--database-url postgres://…] [--queries 500]

Without `--database-url`, the app's own database (`SHIRAKA_DATABASE_URL`, SQLite by default). Reads
nothing and writes nothing."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")

# Python work between two queries, in ms: none, then about what a small page does between two of its
# dozen queries, then more.
GAPS_MS = (0.0, 0.5, 1.0, 3.0)


def work(milliseconds: float) -> None:
    """Keep this core busy for `milliseconds`, as a page building its rows does."""
    until = time.perf_counter() + milliseconds / 1000
    while time.perf_counter() < until:
        pass


def round_trips(cursor, gap_ms: float, queries: int) -> float:
    """The median time of `SELECT 1` (execute and fetch) in ms, each after `gap_ms` of work."""
    times = []
    for _ in range(queries):
        work(gap_ms)
        started = time.perf_counter()
        cursor.execute("SELECT 1")
        cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="a database other than the app's (sqlite:///… or postgres://…)"
    )
    parser.add_argument("--queries", type=int, default=500, help="queries per measure (default 500)")
    args = parser.parse_args()
    if args.queries < 1:
        print("--queries: at least 1", file=sys.stderr)
        return 2
    if args.database_url:
        os.environ["SHIRAKA_DATABASE_URL"] = args.database_url
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        print(f"--database-url: {error}", file=sys.stderr)
        return 2
    from django.db import Error, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            print(f"{connection.vendor}: SELECT 1 through Django's cursor, median of {args.queries}")
            for gap in GAPS_MS:
                median = round_trips(cursor, gap, args.queries)
                print(f"  after {gap:>3.1f} ms of Python work: {median:.3f} ms")
    except Error as error:
        print(f"the database did not answer: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
