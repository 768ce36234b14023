"""Every agreement-side record is correctable: a signatory, a signing attendee and a schedule line are
edited or removed, a partner removed, under the rules they were added by, with the version check
against lost updates and a history row naming who did it. A partner that money rows, a project's
funding or an amendment name stays."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shiraka.agreements import services
from shiraka.agreements.models import Partnership, ScheduledContribution, Signatory, SigningAttendee
from shiraka.core.services import VersionConflict
from shiraka.projects import services as projects
from tests import factories
from tests.factories import error_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return factories.agreement(total="1000000.00")


@pytest.fixture
def share(agreement):
    return factories.partnership(agreement, committed="400000.00")


def signatory(agreement, name="M. Premier", **fields):
    return services.signatory_add_with_person(agreement=agreement, full_name_fr=name, role="Wali", **fields)


def last_history(row_class, pk):
    return row_class.history.filter(id=pk).order_by("-history_id").first()


# --- signatories --------------------------------------------------------------------------------------


def test_a_signatory_is_edited_with_its_author_in_the_history(agreement, user):
    row = signatory(agreement)
    other = factories.organisation()
    services.signatory_update(
        row, expected_version=1, by=user, role="Gouverneur", organisation=other, presided=True
    )
    row.refresh_from_db()
    assert (row.role, row.organisation, row.presided, row.version) == ("Gouverneur", other, True, 2)
    assert last_history(Signatory, row.pk).history_user == user


def test_a_signatory_stays_unique_per_person(agreement, user):
    first, second = signatory(agreement), signatory(agreement, "M. Second")
    with pytest.raises(ValidationError) as refused:
        services.signatory_update(second, expected_version=1, by=user, person=first.person)
    assert error_codes(refused.value, "person") == ["signatory_duplicate"]
    second.refresh_from_db()
    assert second.person != first.person and second.version == 1
    # Choosing again the same person is no duplicate.
    services.signatory_update(second, expected_version=1, by=user, person=second.person, role="Maire")


def test_a_signatory_is_removed_and_its_history_says_who(agreement, user):
    row = signatory(agreement)
    services.signatory_remove(row, expected_version=1, by=user)
    assert not Signatory.objects.filter(pk=row.pk).exists()
    removed = last_history(Signatory, row.pk)
    assert removed.history_type == "-" and removed.history_user == user


def test_a_signatory_changed_since_it_was_read_is_neither_edited_nor_removed(agreement, user):
    row = signatory(agreement)
    services.signatory_update(row, expected_version=1, by=user, role="Wali de la région")
    stale = Signatory.objects.get(pk=row.pk)
    stale.version = 1
    with pytest.raises(VersionConflict) as conflict:
        services.signatory_update(stale, expected_version=1, by=user, role="Autre")
    assert conflict.value.changed == {"role": ("Wali de la région", "Autre")}
    with pytest.raises(VersionConflict):
        services.signatory_remove(stale, expected_version=1, by=user)
    assert Signatory.objects.get(pk=row.pk).role == "Wali de la région"


# --- signing attendees --------------------------------------------------------------------------------


def test_an_attendee_is_edited_and_removed_with_the_version_check(agreement, user):
    row = services.attendee_add(agreement=agreement, description="En présence du gouverneur")
    assert row.version == 1
    services.attendee_update(row, expected_version=1, by=user, description="En présence du wali")
    row.refresh_from_db()
    assert (row.description, row.version) == ("En présence du wali", 2)
    assert last_history(SigningAttendee, row.pk).history_user == user
    with pytest.raises(ValidationError) as refused:
        services.attendee_update(row, expected_version=2, by=user, description="")
    assert error_codes(refused.value, "description") == ["blank"]
    with pytest.raises(VersionConflict):
        services.attendee_remove(row, expected_version=1, by=user)
    services.attendee_remove(row, expected_version=2, by=user)
    assert not SigningAttendee.objects.filter(pk=row.pk).exists()
    removed = last_history(SigningAttendee, row.pk)
    assert removed.history_type == "-" and removed.history_user == user


# --- schedule lines -------------------------------------------------------------------------------------


def test_a_schedule_line_is_edited_within_the_commitment(share, user):
    first = services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="300000")
    services.contribution_schedule(partnership=share, due_on=date(2024, 12, 31), amount="100000")
    with pytest.raises(ValidationError) as refused:
        services.contribution_update(first, expected_version=1, by=user, amount="300000.01")
    assert error_codes(refused.value, "amount") == ["over_schedule"]
    first.refresh_from_db()
    assert (first.amount, first.version) == (Decimal("300000.00"), 1)
    services.contribution_update(
        first, expected_version=1, by=user, due_on=date(2025, 1, 31), amount="250000", note="reportée"
    )
    first.refresh_from_db()
    assert (first.due_on, first.amount, first.note, first.version) == (
        date(2025, 1, 31),
        Decimal("250000.00"),
        "reportée",
        2,
    )
    assert last_history(ScheduledContribution, first.pk).history_user == user
    with pytest.raises(VersionConflict):
        services.contribution_update(first, expected_version=1, by=user, amount="1000")


def test_a_schedule_line_is_held_to_the_amended_commitment(agreement, share, user):
    services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="200000")
    line = services.contribution_schedule(partnership=share, due_on=date(2024, 12, 31), amount="100000")
    amendment = factories.agreement(total=None, kind="amendment", parent=agreement)
    services.partnership_commit(
        agreement=amendment, organisation=share.organisation, committed_amount="320000"
    )
    with pytest.raises(ValidationError) as refused:
        services.contribution_update(line, expected_version=1, by=user, amount="150000")
    assert error_codes(refused.value, "amount") == ["over_schedule"]
    services.contribution_update(line, expected_version=1, by=user, amount="120000")
    assert ScheduledContribution.objects.get(pk=line.pk).amount == Decimal("120000.00")


def test_a_schedule_line_is_removed_with_the_version_check(share, user):
    line = services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="100000")
    with pytest.raises(VersionConflict):
        services.contribution_remove(line, expected_version=2, by=user)
    services.contribution_remove(line, expected_version=1, by=user)
    assert not ScheduledContribution.objects.filter(pk=line.pk).exists()
    removed = last_history(ScheduledContribution, line.pk)
    assert removed.history_type == "-" and removed.history_user == user
    # What it took is free again.
    services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="400000")


# --- partners -------------------------------------------------------------------------------------------


def test_a_partner_without_records_is_removed(share, user):
    with pytest.raises(VersionConflict):
        services.partnership_remove(share, expected_version=2, by=user)
    services.partnership_remove(share, expected_version=1, by=user)
    assert not Partnership.objects.filter(pk=share.pk).exists()
    removed = last_history(Partnership, share.pk)
    assert removed.history_type == "-" and removed.history_user == user


def assert_partner_stays(share, user, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.partnership_remove(share, expected_version=share.version, by=user)
    assert error_codes(refused.value, "organisation") == [code]
    assert Partnership.objects.filter(pk=share.pk).exists()


def test_a_partner_with_transfers_stays_even_when_they_are_cancelled(share, user):
    transfer = services.transfer_record(partnership=share, transferred_on=date(2024, 5, 2), amount="1000")
    services.transfer_cancel(transfer, reason="Saisi deux fois", expected_version=1, by=user)
    assert_partner_stays(share, user, "partner_has_transfers")


def test_a_partner_with_a_schedule_stays(share, user):
    services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="1000")
    assert_partner_stays(share, user, "partner_has_schedule")


def test_a_partner_funding_a_project_stays(agreement, share, user):
    project = factories.project(agreement)
    projects.project_fund(project=project, organisation=share.organisation, amount="1000")
    assert_partner_stays(share, user, "partner_funds_projects")


def test_a_partner_named_by_an_amendment_stays(agreement, share, user):
    amendment = factories.agreement(total=None, kind="amendment", parent=agreement)
    services.partnership_commit(
        agreement=amendment, organisation=share.organisation, committed_amount="450000"
    )
    assert_partner_stays(share, user, "partner_in_amendment")


def test_an_amendment_partner_whose_money_is_already_scheduled_stays(agreement, share, user):
    amendment = factories.agreement(total=None, kind="amendment", parent=agreement)
    raised = services.partnership_commit(
        agreement=amendment, organisation=share.organisation, committed_amount="450000"
    )
    services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="420000")
    assert_partner_stays(raised, user, "amendment_money_above_commitment")
    assert last_history(Partnership, raised.pk).history_type == "+"  # the refused removal left no trace
    services.contribution_remove(ScheduledContribution.objects.get(), expected_version=1, by=user)
    services.partnership_remove(raised, expected_version=1, by=user)
    assert not Partnership.objects.filter(pk=raised.pk).exists()


def test_a_schedule_above_a_lowered_commitment_may_be_corrected_downwards(agreement, share, user):
    line = services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="300000")
    amendment = factories.agreement(total=None, kind="amendment", parent=agreement)
    services.partnership_commit(
        agreement=amendment, organisation=share.organisation, committed_amount="250000"
    )
    services.contribution_update(line, expected_version=1, by=user, due_on=date(2024, 9, 30), note="reportée")
    services.contribution_update(line, expected_version=2, by=user, amount="280000")
    with pytest.raises(ValidationError) as refused:
        services.contribution_update(line, expected_version=3, by=user, amount="290000")
    assert error_codes(refused.value, "amount") == ["over_schedule"]
