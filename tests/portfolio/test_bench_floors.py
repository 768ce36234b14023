"""The SQL floors of `make bench` (scripts/bench_floors.py) compute the same figures as the pages'
selectors: a floor that counted less than its page would make the page look slow for nothing, one that
counted more would flatter it. Checked on generated data plus the seeds (a framework and its specific
agreement) and an amendment that changes a total and a commitment."""

import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Partnership
from shiraka.demo.synth import synth_generate
from shiraka.followup.alerts import compute
from shiraka.portfolio.selectors import (
    agreements_with_figures,
    breakdown_by_partner,
    partner_summary,
    portfolio_summary,
)
from tests import factories

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import bench_floors as floors  # noqa: E402

TODAY = date(2026, 3, 31)


def money(centimes) -> Decimal:
    return Decimal(centimes or 0) / 100


@pytest.fixture
def portfolio(seeds):
    synth_generate(agreements=14, seed=71, show_progress=False)
    amended = Agreement.objects.filter(status="in_execution", kind="partnership").order_by("pk").first()
    first = Partnership.objects.filter(agreement=amended).order_by("pk").first()
    amendment = factories.agreement(
        total=str(amended.total_amount + Decimal("1000.00")),
        kind="amendment",
        parent=amended,
        signed_on=date(2025, 5, 1),
    )
    agreements.partnership_commit(
        agreement=amendment,
        organisation=first.organisation,
        committed_amount=first.committed_amount + Decimal("500.00"),
    )
    return amended


def summary_of(figures: dict) -> dict:
    s = figures["summary"]
    return {
        "agreements": s["agreements"],
        "total": money(s["total"]),
        "committed": money(s["committed"]),
        "unallocated": money(s["unallocated"]),
        "unspecified": s["unspecified"],
        "due": money(s["due"]),
        "transferred": money(s["transferred"]),
        "arrears": money(s["arrears"]),
        "budget": money(s["budget"]),
        "paid": money(s["paid"]),
        "projects": s["projects"],
        "progress": s["progress"],
        "by_status": s["by_status"],
    }


def selector_summary(agreements_) -> dict:
    s = portfolio_summary(agreements_, today=TODAY)
    return {
        "agreements": s.agreements,
        "total": s.total_amount,
        "committed": s.committed,
        "unallocated": s.unallocated,
        "unspecified": s.unspecified_partners,
        "due": s.due_to_date,
        "transferred": s.transferred,
        "arrears": s.arrears,
        "budget": s.budget,
        "paid": s.paid,
        "projects": s.projects,
        "progress": s.progress,
        "by_status": s.projects_by_status,
    }


def test_dashboard_and_territory_floors_give_the_summary_of_the_pages(portfolio):
    with connection.cursor() as cursor:
        national = floors.dashboard(cursor, TODAY, floors.Target())
        region = floors.territory(cursor, TODAY, floors.Target(region_id=portfolio.region_id))
        province = floors.territory(cursor, TODAY, floors.Target(province_id=portfolio.province_id))
    assert summary_of(national) == selector_summary(Agreement.objects.all())
    assert summary_of(national)["agreements"] > 10
    assert summary_of(region) == selector_summary(Agreement.objects.filter(region_id=portfolio.region_id))
    assert summary_of(province) == selector_summary(
        Agreement.objects.filter(province_id=portfolio.province_id)
    )
    partners = breakdown_by_partner(Agreement.objects.all(), today=TODAY, limit=10)
    assert [(r[0], money(r[5])) for r in national["partners"]] == [
        (row["organisation"], row["arrears_sum"]) for row in partners
    ]


def test_agreement_rows_match_the_list_figures_amendments_included(portfolio):
    with connection.cursor() as cursor:
        rows = floors.agreement_rows(
            cursor, TODAY, "SELECT id FROM agreements_agreement", [], order="a.id", limit=10_000
        )
    expected = agreements_with_figures(Agreement.objects.order_by("pk"), today=TODAY)
    assert [
        (r[1], money(r[2]) if r[2] is not None else None, *map(money, r[3:9]), r[9]) for r in rows
    ] == [
        (a.reference, a.total, a.committed, a.due_to_date, a.transferred, a.arrears, a.budget, a.paid,
         a.project_count)
        for a in expected
    ]  # fmt: skip
    amended = next(r for r in rows if r[0] == portfolio.pk)
    assert money(amended[2]) == portfolio.total_amount + Decimal("1000.00")


def test_partner_and_alert_floors_match_the_pages(portfolio):
    organisation = Partnership.objects.filter(agreement=portfolio).order_by("pk").first().organisation
    with connection.cursor() as cursor:
        partner = floors.organisation(cursor, TODAY, floors.Target(organisation_id=organisation.pk))
        counts = floors.alerts(cursor, TODAY, floors.Target())
    expected = partner_summary(organisation, today=TODAY)
    n, committed, due, transferred, arrears, unspecified = partner["summary"]
    assert (n, money(committed), money(due), money(transferred), money(arrears), unspecified) == (
        expected.agreements,
        expected.committed,
        expected.due_to_date,
        expected.transferred,
        expected.arrears,
        expected.unspecified_partners,
    )
    found = Counter(alert.kind for alert in compute(Agreement.objects.all(), today=TODAY))
    assert {kind: n for kind, n in counts.items() if n} == dict(found)
    assert sum(found.values()) > 0
