"""The figures compared with sums done by hand, and their query counts at two data sizes."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement
from shiraka.portfolio.selectors import (
    agreement_summary,
    agreements_with_figures,
    breakdown,
    breakdown_by_category,
    breakdown_by_partner,
    partner_summary,
    portfolio_summary,
)
from shiraka.projects import services as projects
from shiraka.territory.models import Province
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)


def build_portfolio(size: int = 1):
    """`size` copies of one small, fully known agreement."""
    province = Province.objects.get(code="10.261")
    ministry = factories.organisation("Ministère")
    for n in range(size):
        agreement = factories.agreement(total="1000000.00", province=province, signed_on=date(2024, 1, 1))
        region_share = agreements.partnership_commit(
            agreement=agreement, organisation=factories.organisation(), committed_amount="500000.00"
        )
        ministry_share = agreements.partnership_commit(
            agreement=agreement, organisation=ministry, committed_amount="300000.00"
        )
        agreements.partnership_commit(
            agreement=agreement, organisation=factories.organisation(), committed_amount=None
        )
        # region: 200k due (2024), 100k due later (2026); transferred 150k → arrears 50k
        agreements.contribution_schedule(partnership=region_share, due_on=date(2024, 12, 31), amount="200000")
        agreements.contribution_schedule(partnership=region_share, due_on=date(2026, 12, 31), amount="100000")
        agreements.transfer_record(
            partnership=region_share, transferred_on=date(2025, 1, 10), amount="150000"
        )
        # ministry: 300k due, 300k transferred → no arrears
        agreements.contribution_schedule(
            partnership=ministry_share, due_on=date(2025, 3, 31), amount="300000"
        )
        agreements.transfer_record(
            partnership=ministry_share, transferred_on=date(2025, 4, 1), amount="300000"
        )
        big = projects.project_create(
            agreement=agreement,
            reference=f"B-{n}-{agreement.pk}",
            title_fr="CHP",
            category="emergency_unit",
            budget="600000",
            province=province,
        )
        small = projects.project_create(
            agreement=agreement,
            reference=f"S-{n}-{agreement.pk}",
            title_fr="CSR",
            category="health_centre",
            budget="200000",
        )
        projects.progress_record(project=big, reported_on=date(2025, 5, 1), physical_progress=50)
        projects.progress_record(project=small, reported_on=date(2025, 5, 1), physical_progress=100)
        big.refresh_from_db()
        projects.project_set_status(big, status="works", expected_version=big.version)
        contract = projects.contract_sign(
            project=big, kind="works", amount="500000", contractor_name="SARL", signed_on=date(2024, 6, 1)
        )
        projects.payment_record(contract=contract, paid_on=date(2024, 12, 1), amount="123456.78")
    return ministry


def test_portfolio_figures_match_hand_sums(reference):
    build_portfolio(1)
    summary = portfolio_summary(Agreement.objects.all(), today=TODAY)
    assert summary.agreements == 1
    assert summary.total_amount == Decimal("1000000.00")
    assert summary.committed == Decimal("800000.00")
    assert summary.unallocated == Decimal("200000.00")
    assert summary.unspecified_partners == 1
    assert summary.due_to_date == Decimal("500000.00")
    assert summary.transferred == Decimal("450000.00")
    assert summary.arrears == Decimal("50000.00")
    assert summary.budget == Decimal("800000.00")
    assert summary.paid == Decimal("123456.78")
    assert summary.projects == 2
    assert summary.projects_by_status == {"works": 1, "planned": 1}
    # (600k × 50 + 200k × 100) / 800k
    assert summary.progress == 62.5
    # One agreement's own summary (its page and report) says the same.
    own = agreement_summary(Agreement.objects.get(), today=TODAY)
    assert own.projects_by_status == {"works": 1, "planned": 1}
    assert (own.total_amount, own.arrears, own.paid) == (summary.total_amount, summary.arrears, summary.paid)


def test_arrears_are_per_partner_not_netted_across_partners(reference):
    """One partner ahead of schedule must not hide another partner's arrears."""
    agreement = factories.agreement(total="1000")
    late = factories.partnership(agreement, committed="500")
    early = factories.partnership(agreement, committed="500")
    agreements.contribution_schedule(partnership=late, due_on=date(2025, 1, 1), amount="500")
    agreements.transfer_record(partnership=early, transferred_on=date(2025, 1, 1), amount="500")
    summary = portfolio_summary(Agreement.objects.filter(pk=agreement.pk), today=TODAY)
    assert summary.arrears == Decimal("500.00")
    row = agreements_with_figures(Agreement.objects.filter(pk=agreement.pk), today=TODAY).get()
    assert row.arrears == Decimal("500.00")


def test_agreement_rows_and_breakdowns_match_hand_sums(reference):
    ministry = build_portfolio(2)
    rows = list(agreements_with_figures(Agreement.objects.all(), today=TODAY))
    assert {
        (r.committed, r.transferred, r.arrears, r.unallocated, r.budget, r.paid, r.project_count)
        for r in rows
    } == {
        (
            Decimal("800000.00"),
            Decimal("450000.00"),
            Decimal("50000.00"),
            Decimal("200000.00"),
            Decimal("800000.00"),
            Decimal("123456.78"),
            2,
        )
    }
    (region_row,) = breakdown(Agreement.objects.all(), "region", today=TODAY)
    assert region_row.label and region_row.agreements == 2
    assert region_row.committed == Decimal("1600000.00") and region_row.arrears == Decimal("100000.00")
    assert region_row.progress == 62.5
    (province_row,) = breakdown(Agreement.objects.all(), "province", today=TODAY)
    assert province_row.population > 0
    partners = breakdown_by_partner(Agreement.objects.all(), today=TODAY)
    assert partners[0]["arrears_sum"] == Decimal("50000.00")
    assert next(p for p in partners if p["organisation"] == ministry.pk)["committed_sum"] == Decimal(
        "600000.00"
    )
    categories = {c["category"]: c for c in breakdown_by_category(Agreement.objects.all())}
    assert categories["emergency_unit"]["budget"] == Decimal("1200000.00")
    summary = partner_summary(ministry, today=TODAY)
    assert (summary.agreements, summary.committed, summary.transferred) == (
        2,
        Decimal("600000.00"),
        Decimal("600000.00"),
    )


def count_queries(function) -> int:
    factories.figures_checked(TODAY)
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def all_figures():
    everything = Agreement.objects.all()
    portfolio_summary(everything, today=TODAY)
    list(agreements_with_figures(everything, today=TODAY)[:50])
    for dimension in ("region", "province", "programme"):
        breakdown(everything, dimension, today=TODAY)
    breakdown_by_partner(everything, today=TODAY, limit=10)
    breakdown_by_category(everything)


def test_query_count_does_not_grow_with_the_data(reference):
    build_portfolio(1)
    small = count_queries(all_figures)
    build_portfolio(4)
    large = count_queries(all_figures)
    assert small == large
    assert large <= 25, large
