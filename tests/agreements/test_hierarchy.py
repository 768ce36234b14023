"""The agreement hierarchy counts each dirham once: amendments change their parent, specific agreements
spend their framework's envelope, drafts and cancelled agreements count in no figure."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement
from shiraka.agreements.selectors import agreement_versions, framework_envelope
from shiraka.followup.selectors import alert_list
from shiraka.portfolio.selectors import breakdown, breakdown_by_partner, partner_summary, portfolio_summary
from shiraka.territory.models import Province
from tests import factories

pytestmark = pytest.mark.django_db
M = Decimal("1000000")
TODAY = date(2025, 6, 30)


def province_figures(province: Province):
    everything = Agreement.objects.all()
    return (
        portfolio_summary(everything.filter(province=province), today=TODAY),
        next(row for row in breakdown(everything, "region", today=TODAY) if row.key == province.region_id),
        portfolio_summary(everything, today=TODAY),
    )


def test_framework_specific_and_amendment_count_once_everywhere(reference):
    """120 M framework, a 25 M specific agreement under it, an amendment taking it to 140 M: 140 M."""
    province = factories.province("09.273")
    ministry, council = factories.organisation("Ministère"), factories.organisation("Conseil")
    framework = factories.agreement(total="120000000", kind="framework", province=province)
    agreements.partnership_commit(agreement=framework, organisation=ministry, committed_amount="70000000")
    agreements.partnership_commit(agreement=framework, organisation=council, committed_amount="50000000")
    specific = factories.agreement(total="25000000", kind="specific", parent=framework, province=province)
    agreements.partnership_commit(agreement=specific, organisation=ministry, committed_amount="25000000")
    amendment = factories.agreement(
        total="140000000", kind="amendment", parent=framework, province=province, signed_on=date(2024, 6, 1)
    )
    agreements.partnership_commit(agreement=amendment, organisation=ministry, committed_amount="90000000")

    in_province, in_region, national = province_figures(province)
    for figures in (in_province, in_region, national):
        assert figures.total_amount == 140 * M
        assert figures.committed == 140 * M
    assert in_province.agreements == 1 and in_province.unallocated == 0
    per_inhabitant = (in_province.total_amount / province.population_2024).quantize(Decimal("0.01"))
    assert per_inhabitant == (140 * M / province.population_2024).quantize(Decimal("0.01"))

    # A draft, however large, changes nothing; neither does a cancelled agreement.
    factories.agreement(total="900000000", status="draft", province=province)
    cancelled = factories.agreement(total="50000000", province=province)
    agreements.agreement_set_status(cancelled, status="cancelled", reason="Annulée", expected_version=1)
    assert [f.total_amount for f in province_figures(province)] == [140 * M] * 3

    partners = {
        row["organisation"]: row for row in breakdown_by_partner(Agreement.objects.all(), today=TODAY)
    }
    assert partners[ministry.pk]["committed_sum"] == 90 * M
    assert partner_summary(ministry, today=TODAY).committed == 90 * M


def test_the_framework_page_shows_envelope_and_versions(reference):
    ministry = factories.organisation("Ministère")
    framework = factories.agreement(total="120000000", kind="framework", end_on=date(2027, 12, 31))
    agreements.partnership_commit(agreement=framework, organisation=ministry, committed_amount="100000000")
    factories.agreement(total="25000000", kind="specific", parent=framework)
    factories.agreement(total="30000000", kind="specific", parent=framework, status="draft")
    first = factories.agreement(
        total="140000000", kind="amendment", parent=framework, signed_on=date(2024, 3, 1)
    )
    factories.agreement(
        total=None, kind="amendment", parent=framework, signed_on=date(2024, 9, 1), end_on=date(2029, 6, 30)
    )
    agreements.partnership_commit(agreement=first, organisation=ministry, committed_amount="130000000")

    envelope = framework_envelope(framework)
    assert (envelope.envelope, envelope.allocated, envelope.unallocated) == (140 * M, 25 * M, 115 * M)
    original, amended, extended = agreement_versions(framework)
    assert original.is_original and original.total == 120 * M and original.end_on == date(2027, 12, 31)
    assert amended.total_changed and amended.total == 140 * M and not amended.end_changed
    assert [(c.before, c.after) for c in amended.commitments] == [(100 * M, 130 * M)]
    assert extended.end_changed and extended.end_on == date(2029, 6, 30) and extended.total == 140 * M
    assert not extended.total_changed and extended.commitments == []


def test_amendments_apply_in_signing_order_not_in_entry_order(reference):
    framework = factories.agreement(total="100000000", kind="framework")
    factories.agreement(total="180000000", kind="amendment", parent=framework, signed_on=date(2024, 9, 1))
    factories.agreement(total="150000000", kind="amendment", parent=framework, signed_on=date(2024, 3, 1))
    assert portfolio_summary(Agreement.objects.all()).total_amount == 180 * M
    draft = factories.agreement(total="999000000", kind="amendment", parent=framework, status="draft")
    assert portfolio_summary(Agreement.objects.all()).total_amount == 180 * M
    assert draft.pk


def test_a_specific_agreement_above_the_envelope_is_refused(reference):
    framework = factories.agreement(total="120000000", kind="framework")
    factories.agreement(total="100000000", kind="specific", parent=framework)
    with pytest.raises(ValidationError) as refused:
        factories.agreement(total="25000000", kind="specific", parent=framework)
    assert refused.value.error_dict["total_amount"][0].code == "over_envelope"
    # An amendment raising the envelope makes room for it.
    factories.agreement(total="140000000", kind="amendment", parent=framework)
    factories.agreement(total="25000000", kind="specific", parent=framework)
    assert framework_envelope(framework).unallocated == 15 * M


def test_parents_are_only_for_specific_agreements_and_amendments(reference):
    framework = factories.agreement(total="120000000", kind="framework")
    partnership = factories.agreement(total="1000000", kind="partnership")
    with pytest.raises(ValidationError) as refused:
        factories.agreement(kind="partnership", parent=framework)
    assert refused.value.error_dict["parent"][0].code == "parent_not_allowed"
    with pytest.raises(ValidationError) as refused:
        factories.agreement(kind="specific", parent=partnership)
    assert refused.value.error_dict["parent"][0].code == "specific_needs_framework"
    amendment = factories.agreement(total=None, kind="amendment", parent=framework)
    with pytest.raises(ValidationError) as refused:
        factories.agreement(total=None, kind="amendment", parent=amendment)
    assert refused.value.error_dict["parent"][0].code == "amendment_of_amendment"


def test_money_follows_the_amended_commitment(reference):
    """Transfers and schedules are recorded on the agreement itself, against its amended commitment."""
    ministry = factories.organisation("Ministère")
    framework = factories.agreement(total="10000000", kind="partnership")
    share = agreements.partnership_commit(
        agreement=framework, organisation=ministry, committed_amount="4000000"
    )
    amendment = factories.agreement(total="12000000", kind="amendment", parent=framework)
    amended = agreements.partnership_commit(
        agreement=amendment, organisation=ministry, committed_amount="6000000"
    )
    agreements.contribution_schedule(partnership=share, due_on=date(2024, 12, 31), amount="6000000")
    agreements.transfer_record(partnership=share, transferred_on=date(2025, 1, 5), amount="5500000")
    with pytest.raises(ValidationError) as refused:
        agreements.transfer_record(partnership=share, transferred_on=date(2025, 1, 6), amount="600000")
    assert refused.value.error_dict["amount"][0].code == "transfer_above_owed"
    for record in (agreements.transfer_record, agreements.contribution_schedule):
        when = (
            {"transferred_on": date(2025, 1, 6)}
            if record is agreements.transfer_record
            else {"due_on": date(2025, 1, 6)}
        )
        with pytest.raises(ValidationError) as refused:
            record(partnership=amended, amount="1000", **when)
        assert refused.value.error_dict["amount"][0].code == "money_on_amendment"
    summary = portfolio_summary(Agreement.objects.all(), today=TODAY)
    assert (summary.committed, summary.transferred, summary.arrears) == (6 * M, Decimal("5500000"), 500000)


def test_an_amendment_partner_must_be_a_partner_of_the_agreement_it_amends(reference):
    framework = factories.agreement(total="10000000", kind="partnership")
    amendment = factories.agreement(total="12000000", kind="amendment", parent=framework)
    with pytest.raises(ValidationError) as refused:
        agreements.partnership_commit(
            agreement=amendment, organisation=factories.organisation(), committed_amount="1000000"
        )
    assert refused.value.error_dict["organisation"][0].code == "amendment_partner_unknown"


def test_an_amendment_cannot_lower_the_total_below_the_commitments(reference):
    agreement = factories.agreement(total="10000000", kind="partnership")
    agreements.partnership_commit(
        agreement=agreement, organisation=factories.organisation(), committed_amount="10000000"
    )
    with pytest.raises(ValidationError) as refused:
        factories.agreement(total="8000000", kind="amendment", parent=agreement)
    assert refused.value.error_dict["total_amount"][0].code == "total_below_commitments"
    assert portfolio_summary(Agreement.objects.all()).total_amount == 10 * M


def test_alerts_use_the_effective_total(reference):
    ministry = factories.organisation("Ministère")
    agreement = factories.agreement(total="10000000", kind="partnership")
    agreements.partnership_commit(agreement=agreement, organisation=ministry, committed_amount="10000000")
    amendment = factories.agreement(total="12000000", kind="amendment", parent=agreement)
    # Data from before the rules (an old import): the amended total below the commitments.
    Agreement.objects.filter(pk=amendment.pk).update(total_amount=Decimal("8000000"))
    over = [
        a for a in alert_list(today=TODAY, agreement_ids=[agreement.pk]) if a.kind == "commitments_over_total"
    ]
    assert [(a.figures["committed"], a.figures["total"]) for a in over] == [(10 * M, 8 * M)]


# --- the invariant, on generated hierarchies -----------------------------------------------------------


@dataclass
class Plan:
    """A generated root agreement: its total, commitments, specific agreements and amendments."""

    status: str
    total: int
    commitments: list[int]
    specifics: list[int] = field(default_factory=list)
    amendments: list[tuple[int, int | None, int | None]] = field(
        default_factory=list
    )  # (day, total, first share)


STATUSES = st.sampled_from(["signed", "in_execution", "draft", "cancelled"])


@st.composite
def plans(draw):
    total = draw(st.integers(min_value=10, max_value=500))
    shares = draw(st.lists(st.integers(min_value=0, max_value=total // 3), min_size=1, max_size=3))
    specifics, room = [], total
    for amount in draw(st.lists(st.integers(min_value=1, max_value=total), max_size=2)):
        if amount <= room:
            specifics.append(amount)
            room -= amount
    amendments = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=300),
                st.one_of(st.none(), st.integers(min_value=total, max_value=2 * total)),
                st.one_of(st.none(), st.integers(min_value=0, max_value=total // 3)),
            ),
            max_size=3,
        )
    )
    return Plan(draw(STATUSES), total, shares, specifics, amendments)


def expected(plan_list: list[Plan]) -> tuple[Decimal, Decimal]:
    """Total and committed from the root agreements' effective values alone."""
    total = committed = Decimal(0)
    for plan in plan_list:
        if plan.status in {"draft", "cancelled"}:
            continue
        effective_total, shares = plan.total, list(plan.commitments)
        for _day, new_total, first_share in sorted(plan.amendments, key=lambda a: a[0]):
            effective_total = new_total if new_total is not None else effective_total
            shares[0] = first_share if first_share is not None else shares[0]
        total += effective_total * M
        committed += sum(shares) * M
    return total, committed


def build(plan_list: list[Plan], province: Province, partners: list) -> list[Agreement]:
    roots = []
    for plan in plan_list:
        root = factories.agreement(
            total=str(plan.total * M), kind="framework", province=province, signed_on=date(2023, 1, 1)
        )
        for organisation, share in zip(partners, plan.commitments, strict=False):
            agreements.partnership_commit(
                agreement=root, organisation=organisation, committed_amount=str(share * M)
            )
        for amount in plan.specifics:
            specific = factories.agreement(
                total=str(amount * M), kind="specific", parent=root, province=province
            )
            agreements.partnership_commit(
                agreement=specific, organisation=partners[0], committed_amount=str(amount * M)
            )
        for day, new_total, first_share in plan.amendments:
            amendment = factories.agreement(
                total=None if new_total is None else str(new_total * M),
                kind="amendment",
                parent=root,
                province=province,
                signed_on=date(2023, 1, 2) + timedelta(days=day),
            )
            if first_share is not None:
                agreements.partnership_commit(
                    agreement=amendment, organisation=partners[0], committed_amount=str(first_share * M)
                )
        if plan.status in {"draft", "cancelled"}:
            root.status = plan.status  # a state reached through the status path; the path has its own tests
            root.save(update_fields=["status"])
        roots.append(root)
    return roots


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan_list=st.lists(plans(), min_size=1, max_size=3))
def test_every_figure_equals_the_roots_effective_values(reference, plan_list):
    province = Province.objects.select_related("region").get(code="09.273")
    with transaction.atomic():
        partners = [factories.organisation() for _ in range(3)]
        build(plan_list, province, partners)
        total, committed = expected(plan_list)
        everything = Agreement.objects.all()
        national = portfolio_summary(everything, today=TODAY)
        local = portfolio_summary(everything.filter(province=province), today=TODAY)
        regions = {row.key: row for row in breakdown(everything, "region", today=TODAY)}
        region_row = regions.get(province.region_id)  # absent when nothing counts
        assert national.total_amount == local.total_amount == total
        assert national.committed == local.committed == committed
        if region_row is None:
            assert total == committed == 0
        else:
            assert (region_row.total_amount, region_row.committed) == (total, committed)
        by_partner = sum((row["committed_sum"] or 0) for row in breakdown_by_partner(everything, today=TODAY))
        assert by_partner == committed

        # A specific agreement within an envelope changes no national figure.
        counted = [
            (plan, root)
            for plan, root in zip(
                plan_list, Agreement.objects.filter(kind="framework").order_by("pk"), strict=True
            )
            if plan.status not in {"draft", "cancelled"}
        ]
        if counted:
            plan, root = counted[0]
            room = framework_envelope(root).unallocated
            if room and room > 0:
                factories.agreement(total=str(room), kind="specific", parent=root, province=province)
                after = portfolio_summary(everything, today=TODAY)
                assert (after.total_amount, after.committed) == (national.total_amount, national.committed)
            # An amendment signed after the others changes the total by exactly what it changes.
            factories.agreement(
                total=str(framework_envelope(root).envelope + 7 * M),
                kind="amendment",
                parent=root,
                province=province,
                signed_on=date(2024, 12, 31),
            )
            assert portfolio_summary(everything, today=TODAY).total_amount == national.total_amount + 7 * M
        transaction.set_rollback(True)
