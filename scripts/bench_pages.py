"""Print each page's server time (cold: first request with an empty cache; warm: median of the
following ones) and query count on the current database.

    SHIRAKA_DEBUG=1 .venv/bin/python scripts/bench_pages.py [--repeat 3]

Run it after `shiraka synth --agreements 5000` to measure at national scale."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiraka.settings")
os.environ.setdefault("SHIRAKA_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shiraka.agreements.models import Agreement  # noqa: E402
from shiraka.core.cache import memo_clear  # noqa: E402
from shiraka.organisations.models import Organisation  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    client = Client()
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user:
        client.force_login(user)
    busiest = Agreement.objects.order_by("-pk").first()
    urls = [
        "/ar/",
        "/fr/",
        "/en/",
        "/fr/agreements/",
        "/ar/agreements/?q=sante&sort=-arrears",
        "/fr/projects/",
        "/ar/projects/?late=1&sort=-budget",
        "/fr/regions/09/",
        "/ar/provinces/09.273/",
        "/fr/alerts/",
        "/ar/alerts/?kind=overdue_contribution",
        "/fr/committees/",
    ]
    if busiest:
        urls.append(f"/fr/agreements/{busiest.reference}/")
        project = busiest.projects.order_by("pk").first()
        if project:
            urls.append(f"/fr/projects/{project.reference}/")
    ministry = Organisation.objects.filter(reference_code="MSPS").first()
    if ministry:
        urls.append(f"/fr/organisations/{ministry.pk}/")
    print(f"{Agreement.objects.count()} agreements; {connection.vendor}; signed in: {bool(user)}")
    print(f"{'page':<45} {'cold ms':>8} {'warm ms':>8} {'queries':>8}")
    for url in urls:
        cache.clear()
        memo_clear()
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"{url}: HTTP {response.status_code}", file=sys.stderr)
                return 1
        warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
        print(f"{url:<45} {times[0]:>8.0f} {warm:>8.0f} {len(queries.captured_queries):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
