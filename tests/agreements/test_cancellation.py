"""Money rows are never deleted: a transfer or a payment is cancelled with a reason, stays visible struck
through with who cancelled it and why, and counts in no figure."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Transfer
from shiraka.core.services import VersionConflict
from shiraka.portfolio.selectors import agreement_summary, portfolio_summary
from shiraka.projects import services as projects
from shiraka.projects.models import Payment
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)


@pytest.fixture
def recorded(user):
    agreement = factories.agreement(total="10000000")
    share = agreements.partnership_commit(
        agreement=agreement, organisation=factories.organisation(), committed_amount="4000000"
    )
    agreements.contribution_schedule(partnership=share, due_on=date(2024, 12, 31), amount="4000000")
    transfer = agreements.transfer_record(
        partnership=share, transferred_on=date(2025, 1, 5), amount="3000000", by=user
    )
    project = projects.project_create(
        agreement=agreement, reference="P-1", title_fr="CSR", category="health_centre", budget="2000000"
    )
    contract = projects.contract_sign(
        project=project, kind="works", amount="1000000", contractor_name="SARL", signed_on=date(2024, 6, 1)
    )
    payment = projects.payment_record(contract=contract, paid_on=date(2024, 12, 1), amount="600000")
    return agreement, share, transfer, contract, payment


def test_a_cancelled_transfer_counts_in_no_figure_and_frees_what_is_owed(recorded, user):
    agreement, share, transfer, _contract, _payment = recorded
    assert portfolio_summary(Agreement.objects.all(), today=TODAY).transferred == Decimal("3000000")
    agreements.transfer_cancel(
        transfer, reason="Virement saisi deux fois", expected_version=transfer.version, by=user
    )
    transfer.refresh_from_db()
    assert transfer.cancelled_at is not None and transfer.cancelled_by == user
    assert transfer.cancellation_reason == "Virement saisi deux fois"
    summary = portfolio_summary(Agreement.objects.all(), today=TODAY)
    assert (summary.transferred, summary.arrears) == (0, Decimal("4000000"))
    assert agreement_summary(agreement, today=TODAY).transferred == 0
    # What was cancelled is owed again: the whole commitment may now be transferred.
    agreements.transfer_record(partnership=share, transferred_on=date(2025, 1, 6), amount="4000000")
    assert Transfer.objects.count() == 2  # nothing deleted
    assert transfer.history.first().cancellation_reason == "Virement saisi deux fois"


def test_a_cancellation_says_why_happens_once_and_checks_the_version(recorded, user):
    _agreement, _share, transfer, _contract, _payment = recorded
    with pytest.raises(ValidationError) as refused:
        agreements.transfer_cancel(transfer, reason="  ", expected_version=transfer.version, by=user)
    assert refused.value.error_dict["cancellation_reason"][0].code == "reason_required"
    with pytest.raises(VersionConflict):
        agreements.transfer_cancel(transfer, reason="Erreur", expected_version=transfer.version + 1, by=user)
    agreements.transfer_cancel(transfer, reason="Erreur", expected_version=transfer.version, by=user)
    with pytest.raises(ValidationError) as refused:
        agreements.transfer_cancel(transfer, reason="Encore", expected_version=transfer.version, by=user)
    assert refused.value.error_dict["cancellation_reason"][0].code == "already_cancelled"


def test_a_cancelled_payment_counts_in_no_figure(recorded, user):
    agreement, _share, _transfer, contract, payment = recorded
    assert agreement_summary(agreement, today=TODAY).paid == Decimal("600000")
    projects.payment_cancel(payment, reason="Décompte annulé", expected_version=payment.version, by=user)
    assert agreement_summary(agreement, today=TODAY).paid == 0
    assert portfolio_summary(Agreement.objects.all(), today=TODAY).paid == 0
    # The contract's ceiling counts only the payments that stand.
    projects.payment_record(contract=contract, paid_on=date(2024, 12, 2), amount="1000000")
    assert Payment.objects.count() == 2


def test_the_agreement_page_shows_a_cancelled_transfer_struck_through_with_who_and_why(
    client, recorded, user
):
    from shiraka.accounts.models import Membership

    agreement, _share, transfer, _contract, _payment = recorded
    agreements.transfer_cancel(transfer, reason="Virement saisi deux fois", expected_version=1, by=user)
    Membership.objects.create(user=user, role=Membership.Role.ADMINISTRATOR)
    client.force_login(user)
    page = factories.page_text(client.get(factories.url("agreement", agreement.reference)))
    assert "<del" in page and "Virement saisi deux fois" in page and user.get_username() in page
