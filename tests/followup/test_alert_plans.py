"""On SQLite, the alerts of the whole portfolio are read off the kept rows' own indexes: the page off
the order index, the counts off the counts kept per agreement and the counts index. A secretariat's scope goes through the agreement
index, since it is a small part of the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shiraka.agreements.models import Agreement
from shiraka.core.rules import today as local_today
from shiraka.demo.synth import synth_generate
from shiraka.followup.alerts import AlertList
from shiraka.followup.kept_alerts import ensure_kept_alerts
from shiraka.portfolio.figures import ensure_current

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL plans by its statistics"
    ),
]


def plans(agreements) -> dict[str, str]:
    """The plans of a page of alerts' two queries, by what they read: "page" or "counts"."""
    day = local_today()
    ensure_current(day)
    ensure_kept_alerts(day)
    with CaptureQueriesContext(connection) as queries:
        page, counts = AlertList(agreements, today=day)._page_and_counts(0, 50)
    assert page and counts
    found = {}
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            what = "counts" if "COUNT(" in sql or "SUM(" in sql else "page" if "LIMIT" in sql else None
            if what:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = " | ".join(row[-1] for row in cursor.fetchall())
                found[what] = f"{found[what]} || {plan}" if what in found else plan
    return found


def test_the_whole_portfolio_reads_the_kept_rows_indexes(reference):
    synth_generate(agreements=10, seed=43, show_progress=False)
    found = plans(Agreement.objects.all())
    assert "USING INDEX followup_keptalert_order" in found["page"], found["page"]
    # The counts kept per agreement, summed by region, and the overdue decisions off the counts index.
    assert "followup_keptalertcount" in found["counts"], found["counts"]
    assert "followup_keptalert_counts" in found["counts"], found["counts"]
    assert "followup_keptalert_agreement_id" not in found["page"] + found["counts"]


def test_a_secretariats_scope_goes_through_the_agreement_index(reference):
    synth_generate(agreements=10, seed=43, show_progress=False)
    province = Agreement.objects.exclude(province=None).values_list("province", flat=True).first()
    found = plans(Agreement.objects.filter(province=province))
    assert "followup_keptalert_agreement_id" in found["counts"], found["counts"]
