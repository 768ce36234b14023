"""The agreement rules of DESIGN.md §3: the refusal with its message, and the acceptance next to it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Partnership, Transfer
from shiraka.core.services import VersionConflict
from tests import factories
from tests.factories import error_codes as codes
from tests.factories import error_messages as messages

pytestmark = pytest.mark.django_db


# --- commitments ----------------------------------------------------------------------------------


def test_commitments_up_to_the_total_are_accepted_and_the_rest_is_unallocated():
    agreement = factories.agreement(total="1000000.00")
    factories.partnership(agreement, committed="600000.00")
    factories.partnership(agreement, committed="400000.00")
    assert agreements.committed_total(agreement) == Decimal("1000000.00")


def test_over_commitment_is_refused_and_nothing_is_saved():
    agreement = factories.agreement(total="1000000.00")
    factories.partnership(agreement, committed="600000.00")
    with pytest.raises(ValidationError) as error:
        factories.partnership(agreement, committed="400000.01")
    assert codes(error.value, "committed_amount") == ["over_commitment"]
    assert "400" in messages(error.value, "committed_amount")  # says how much is still unallocated
    assert Partnership.objects.filter(agreement=agreement).count() == 1


def test_over_commitment_message_is_in_the_users_language():
    agreement = factories.agreement(total="100.00")
    for language, word in [("fr", "engagements"), ("ar", "الالتزامات"), ("en", "commitments")]:
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                factories.partnership(agreement, committed="100.01")
            assert word in messages(error.value, "committed_amount"), language


def test_lowering_the_total_below_commitments_is_refused():
    agreement = factories.agreement(total="1000000.00")
    factories.partnership(agreement, committed="800000.00")
    with pytest.raises(ValidationError) as error:
        agreements.agreement_update(agreement, expected_version=agreement.version, total_amount="700000")
    assert codes(error.value, "total_amount") == ["total_below_commitments"]
    assert Agreement.objects.get(pk=agreement.pk).total_amount == Decimal("1000000.00")


@pytest.mark.parametrize(
    "amount, code", [("-1", "negative"), ("1.001", "max_decimal_places"), ("1000000000000000", "too_large")]
)
def test_bad_amounts_are_refused(amount, code):
    agreement = factories.agreement(total=None)
    with pytest.raises(ValidationError) as error:
        agreements.partnership_commit(
            agreement=agreement, organisation=factories.organisation(), committed_amount=amount
        )
    assert codes(error.value, "committed_amount") == [code]


def test_text_with_a_nul_character_is_refused_on_every_database():
    with pytest.raises(ValidationError) as error:
        factories.agreement(title_fr="Convention\x00piégée")
    assert codes(error.value, "title_fr") == ["nul"]


# --- schedule and transfers -----------------------------------------------------------------------


def test_schedule_beyond_the_commitment_is_refused():
    partnership = factories.partnership(committed="400000.00")
    agreements.contribution_schedule(partnership=partnership, due_on=date(2024, 6, 30), amount="300000")
    with pytest.raises(ValidationError) as error:
        agreements.contribution_schedule(
            partnership=partnership, due_on=date(2025, 6, 30), amount="100000.01"
        )
    assert codes(error.value, "amount") == ["over_schedule"]


def test_transfer_up_to_what_is_owed_is_accepted():
    partnership = factories.partnership(committed="400000.00")
    agreements.transfer_record(partnership=partnership, transferred_on=date(2024, 3, 1), amount="150000")
    transfer = agreements.transfer_record(
        partnership=partnership, transferred_on=date(2024, 4, 1), amount="250000.00"
    )
    assert transfer.amount == Decimal("250000.00")
    assert agreements.partnership_transferred(partnership) == Decimal("400000.00")


def test_transfer_above_what_is_owed_is_refused_and_nothing_is_saved():
    partnership = factories.partnership(committed="400000.00")
    agreements.transfer_record(partnership=partnership, transferred_on=date(2024, 3, 1), amount="150000")
    with pytest.raises(ValidationError) as error:
        agreements.transfer_record(
            partnership=partnership, transferred_on=date(2024, 4, 1), amount="250000.01"
        )
    assert codes(error.value, "transfer_above_owed" and "amount") == ["transfer_above_owed"]
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            agreements.transfer_record(
                partnership=partnership, transferred_on=date(2024, 4, 1), amount="300000"
            )
        assert "250\u00a0000,00" in messages(error.value, "amount")
    assert Transfer.objects.filter(partnership=partnership).count() == 1


def test_transfer_against_an_unspecified_commitment_is_refused():
    partnership = factories.partnership(committed=None)
    with pytest.raises(ValidationError) as error:
        agreements.transfer_record(partnership=partnership, transferred_on=date(2024, 3, 1), amount="1")
    assert codes(error.value, "amount") == ["commitment_not_specified"]


def test_transfer_dated_in_the_future_is_refused():
    partnership = factories.partnership(committed="400000.00")
    with pytest.raises(ValidationError) as error:
        agreements.transfer_record(
            partnership=partnership, transferred_on=timezone.localdate() + timedelta(days=1), amount="1"
        )
    assert codes(error.value, "transferred_on") == ["date_in_future"]


def test_commitment_cannot_drop_below_what_was_transferred():
    partnership = factories.partnership(committed="400000.00")
    agreements.transfer_record(partnership=partnership, transferred_on=date(2024, 3, 1), amount="300000")
    with pytest.raises(ValidationError) as error:
        agreements.partnership_update(
            partnership, expected_version=partnership.version, committed_amount="299999"
        )
    assert codes(error.value, "committed_amount") == ["commitment_below_transfers"]


# --- dates ----------------------------------------------------------------------------------------


def test_agreement_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        factories.agreement(start_on=date(2024, 6, 1), end_on=date(2024, 5, 31))
    assert codes(error.value, "end_on") == ["dates_out_of_order"]
    factories.agreement(start_on=date(2024, 6, 1), end_on=date(2024, 6, 1))


def test_signed_agreement_needs_its_signing_date():
    with pytest.raises(ValidationError) as error:
        factories.agreement(signed_on=None, status="signed")
    assert codes(error.value, "signed_on") == ["signing_date_required"]


# --- status paths ---------------------------------------------------------------------------------


def test_agreement_status_moves_forward():
    agreement = factories.agreement(status="signed")
    agreement = agreements.agreement_set_status(
        agreement, status="in_execution", expected_version=agreement.version
    )
    assert agreement.status == "in_execution"
    with pytest.raises(ValidationError) as error:
        agreements.agreement_set_status(agreement, status="signed", expected_version=agreement.version)
    assert codes(error.value, "status") == ["status_backwards"]
    assert Agreement.objects.get(pk=agreement.pk).status == "in_execution"


def test_suspension_says_why():
    agreement = factories.agreement(status="signed")
    with pytest.raises(ValidationError) as error:
        agreements.agreement_set_status(agreement, status="suspended", expected_version=agreement.version)
    assert codes(error.value, "status_reason") == ["reason_required"]
    agreement = agreements.agreement_set_status(
        agreement, status="suspended", reason="Land not available", expected_version=agreement.version
    )
    assert agreement.status_reason == "Land not available"


# --- lost updates ---------------------------------------------------------------------------------


def test_second_save_of_a_stale_record_is_refused_and_nothing_is_overwritten():
    agreement = factories.agreement()
    first_read = Agreement.objects.get(pk=agreement.pk)
    second_read = Agreement.objects.get(pk=agreement.pk)
    agreements.agreement_update(first_read, expected_version=first_read.version, title_fr="Titre de Salma")
    with pytest.raises(VersionConflict) as error:
        agreements.agreement_update(
            second_read, expected_version=second_read.version, title_fr="Titre de Youssef"
        )
    assert error.value.changed["title_fr"] == ("Titre de Salma", "Titre de Youssef")
    assert Agreement.objects.get(pk=agreement.pk).title_fr == "Titre de Salma"


def test_history_names_the_author_of_each_change(user):
    agreement = factories.agreement()
    agreements.agreement_update(
        agreement, expected_version=agreement.version, title_fr="Nouveau titre", by=user
    )
    latest = agreement.history.order_by("-history_date").first()
    assert latest.history_user == user
    assert latest.title_fr == "Nouveau titre"
    assert agreement.history.count() == 2
