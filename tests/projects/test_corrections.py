"""Every project-side record correctable: a funding line, a milestone, a progress update (its note, or
the whole update with its photos), a site photo, a contract. Each edit follows the rules of the
record's creation and the version the user read; each removal is kept in the history with its author;
a contract with a payment, even cancelled, stays."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from shiraka.core.services import VersionConflict
from shiraka.projects import services as projects
from shiraka.projects.models import (
    Contract,
    Milestone,
    Payment,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectFunding,
)
from tests import factories
from tests.accounts.world import stored_photo
from tests.factories import error_codes as codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    agreement = factories.agreement()
    return projects.project_create(
        agreement=agreement,
        reference="P-COR",
        title_fr="Centre de santé",
        category="health_centre",
        budget=Decimal("300000.00"),
    )


@pytest.fixture
def funding(project):
    return projects.project_fund(
        project=project, organisation=factories.organisation("Conseil régional"), amount="100000.00"
    )


@pytest.fixture
def milestone(project):
    return projects.milestone_plan(project=project, kind="studies", planned_on=date(2024, 4, 1))


@pytest.fixture
def contract(project):
    return projects.contract_sign(
        project=project, kind="works", amount="200000.00", contractor_name="SARL", signed_on=date(2024, 1, 20)
    )


def last_history(record):
    return type(record).history.filter(id=record.pk).order_by("-history_id").first()


def reload(record):
    return type(record).objects.get(pk=record.pk)


# --- funding --------------------------------------------------------------------------------------


def test_a_funding_amount_is_changed_with_its_author(funding, user):
    projects.funding_update(funding, expected_version=funding.version, by=user, amount="150000")
    funding = reload(funding)
    assert (funding.amount, funding.version) == (Decimal("150000.00"), 2)
    assert last_history(funding).history_user == user


def test_a_funding_above_the_budget_is_refused_counting_the_others_but_itself(project, funding):
    projects.project_fund(project=project, organisation=factories.organisation("Fondation"), amount="100000")
    projects.funding_update(funding, expected_version=1, amount="200000")  # 200 000 + 100 000 = the budget
    with pytest.raises(ValidationError) as refused:
        projects.funding_update(funding, expected_version=2, amount="200000.01")
    assert codes(refused.value, "amount") == ["funding_above_budget"]
    with pytest.raises(ValidationError) as refused:
        projects.funding_update(funding, expected_version=2, amount="-5")
    assert "amount" in refused.value.error_dict
    assert reload(funding).amount == Decimal("200000.00")


def test_a_funding_edit_checks_the_version(funding):
    projects.funding_update(funding, expected_version=1, amount="90000")
    stale = ProjectFunding.objects.get(pk=funding.pk)
    stale.version = 1
    with pytest.raises(VersionConflict):
        projects.funding_update(stale, expected_version=1, amount="1")
    assert reload(funding).amount == Decimal("90000.00")


def test_a_funding_line_is_removed_and_the_history_says_who(funding, user):
    with pytest.raises(VersionConflict):
        projects.funding_remove(funding, expected_version=funding.version + 1, by=user)
    assert ProjectFunding.objects.filter(pk=funding.pk).exists()
    pk = funding.pk
    projects.funding_remove(funding, expected_version=funding.version, by=user)
    assert not ProjectFunding.objects.filter(pk=pk).exists()
    deleted = ProjectFunding.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == user and deleted.amount == Decimal("100000.00")


# --- milestones -----------------------------------------------------------------------------------


def test_a_milestone_is_replanned_and_its_achieved_date_corrected_then_cleared(milestone, user):
    projects.milestone_update(
        milestone,
        expected_version=1,
        by=user,
        kind="tender",
        planned_on=date(2024, 6, 1),
        achieved_on=date(2024, 6, 3),
    )
    saved = reload(milestone)
    assert (saved.kind, saved.planned_on, saved.achieved_on) == ("tender", date(2024, 6, 1), date(2024, 6, 3))
    projects.milestone_update(saved, expected_version=2, by=user, achieved_on=None)
    assert reload(milestone).achieved_on is None
    assert last_history(milestone).history_user == user


def test_a_milestone_achieved_in_the_future_is_refused(milestone):
    with pytest.raises(ValidationError) as refused:
        projects.milestone_update(
            milestone, expected_version=1, achieved_on=timezone.localdate() + timedelta(days=1)
        )
    assert codes(refused.value, "achieved_on") == ["date_in_future"]
    with pytest.raises(ValidationError) as refused:
        projects.milestone_update(milestone, expected_version=1, kind="no_such_kind")
    assert "kind" in refused.value.error_dict
    saved = reload(milestone)
    assert (saved.kind, saved.achieved_on, saved.version) == ("studies", None, 1)


def test_a_project_in_service_keeps_the_date_it_opened(project):
    acceptance = projects.milestone_plan(
        project=project, kind="provisional_acceptance", achieved_on=date(2024, 9, 1)
    )
    projects.project_set_status(project, status="in_service", expected_version=project.version)
    with pytest.raises(ValidationError) as refused:
        projects.milestone_update(acceptance, expected_version=1, achieved_on=None)
    assert codes(refused.value, "achieved_on") == ["in_service_without_date"]
    with pytest.raises(ValidationError) as refused:
        projects.milestone_remove(acceptance, expected_version=1)
    assert codes(refused.value, NON_FIELD_ERRORS) == ["in_service_without_date"]
    assert reload(acceptance).achieved_on == date(2024, 9, 1)


def test_a_milestone_is_removed_once_with_its_version(milestone, user):
    pk = milestone.pk
    stale = Milestone.objects.get(pk=pk)  # read by someone else before the removal
    with pytest.raises(VersionConflict):
        projects.milestone_remove(milestone, expected_version=2, by=user)
    projects.milestone_remove(milestone, expected_version=1, by=user)
    assert not Milestone.objects.filter(pk=pk).exists()
    assert Milestone.history.filter(id=pk, history_type="-").get().history_user == user
    with pytest.raises(ValidationError) as refused:
        projects.milestone_remove(stale, expected_version=1)
    assert codes(refused.value, NON_FIELD_ERRORS) == ["already_removed"]


# --- progress updates -----------------------------------------------------------------------------


def record(project, on, percent, note="", photos=()):
    return projects.progress_record(
        project=project, reported_on=on, physical_progress=percent, note=note, photos=photos
    )


def test_a_progress_note_is_changed_but_a_lower_figure_keeps_its_reason(project, user):
    first = record(project, date(2024, 3, 1), 40)
    lower = record(project, date(2024, 4, 1), 30, note="Mur démoli")
    projects.progress_update_edit(first, expected_version=1, note="Gros œuvre", by=user)
    assert reload(first).note == "Gros œuvre" and last_history(first).history_user == user
    with pytest.raises(ValidationError) as refused:
        projects.progress_update_edit(lower, expected_version=1, note="  ")
    assert codes(refused.value, "note") == ["progress_lower_needs_reason"]
    assert reload(lower).note == "Mur démoli"
    with pytest.raises(VersionConflict):
        projects.progress_update_edit(first, expected_version=1, note="Encore")
    assert reload(first).note == "Gros œuvre"


def test_the_project_follows_the_latest_update_left(project, user):
    first = record(project, date(2024, 3, 1), 20)
    second = record(project, date(2024, 5, 1), 45)
    late_entry = record(project, date(2024, 4, 1), 30)  # entered later, reported earlier
    project = reload(project)
    assert (project.physical_progress, project.progress_updated_on) == (45, date(2024, 5, 1))
    version = project.version

    projects.progress_update_remove(late_entry, expected_version=1, by=user)
    project = reload(project)
    assert (project.physical_progress, project.progress_updated_on, project.version) == (
        45,
        date(2024, 5, 1),
        version,
    )
    projects.progress_update_remove(second, expected_version=1, by=user)
    project = reload(project)
    assert (project.physical_progress, project.progress_updated_on) == (20, date(2024, 3, 1))
    assert project.version == version + 1
    assert Project.history.filter(id=project.pk).order_by("-history_id").first().history_user == user
    projects.progress_update_remove(first, expected_version=1, by=user)
    project = reload(project)
    assert (project.physical_progress, project.progress_updated_on) == (0, None)
    assert not ProgressUpdate.objects.filter(project=project).exists()


def test_removing_an_update_removes_its_photos_in_the_history_too(
    project, user, django_capture_on_commit_callbacks
):
    update = record(project, date(2024, 3, 1), 20, photos=[stored_photo()])
    photo = update.photos.get()
    path = Path(settings.MEDIA_ROOT) / photo.image.name
    assert path.exists()
    with pytest.raises(VersionConflict):
        projects.progress_update_remove(update, expected_version=5, by=user)
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        projects.progress_update_remove(update, expected_version=1, by=user)
    assert not ProgressPhoto.objects.filter(pk=photo.pk).exists()
    assert ProgressPhoto.history.filter(id=photo.pk, history_type="-").get().history_user == user
    assert ProgressUpdate.history.filter(history_type="-").get().history_user == user
    assert not path.exists()


def test_a_photo_is_removed_with_its_version(project, user, django_capture_on_commit_callbacks):
    update = record(project, date(2024, 3, 1), 20, photos=[stored_photo(), stored_photo()])
    kept, removed = update.photos.order_by("pk")
    pk = removed.pk
    with pytest.raises(VersionConflict):
        projects.progress_photo_remove(removed, expected_version=2, by=user)
    with django_capture_on_commit_callbacks(execute=True):
        projects.progress_photo_remove(removed, expected_version=1, by=user)
    assert list(update.photos.all()) == [kept]
    assert ProgressPhoto.history.filter(id=pk, history_type="-").get().history_user == user
    assert not (Path(settings.MEDIA_ROOT) / removed.image.name).exists()
    assert (Path(settings.MEDIA_ROOT) / kept.image.name).exists()


# --- contracts ------------------------------------------------------------------------------------


def test_a_contract_is_corrected_with_its_author(contract, user):
    projects.contract_update(
        contract,
        expected_version=1,
        by=user,
        kind="services",
        reference="M-12/2024",
        contractor_name="SARL Atlas",
        amount="180000",
        signed_on=date(2024, 2, 1),
        duration_days=120,
    )
    saved = reload(contract)
    assert (saved.kind, saved.reference, saved.amount, saved.duration_days) == (
        "services",
        "M-12/2024",
        Decimal("180000.00"),
        120,
    )
    assert last_history(contract).history_user == user


def test_a_contract_keeps_its_payments_within_it_and_before_them(contract):
    payment = projects.payment_record(contract=contract, paid_on=date(2024, 3, 1), amount="150000")
    with pytest.raises(ValidationError) as refused:
        projects.contract_update(contract, expected_version=1, amount="149999.99")
    assert codes(refused.value, "amount") == ["contract_below_payments"]
    with pytest.raises(ValidationError) as refused:
        projects.contract_update(contract, expected_version=1, signed_on=date(2024, 3, 2))
    assert codes(refused.value, "signed_on") == ["contract_after_payment"]
    for changes, field, code in (
        ({"signed_on": timezone.localdate() + timedelta(days=1)}, "signed_on", "date_in_future"),
        ({"contractor_name": " "}, "contractor_name", "contractor_required"),
        ({"amount": None}, "amount", "required"),
    ):
        with pytest.raises(ValidationError) as refused:
            projects.contract_update(contract, expected_version=1, **changes)
        assert codes(refused.value, field) == [code], changes
    assert reload(contract).amount == Decimal("200000.00") and reload(contract).version == 1
    projects.contract_update(contract, expected_version=1, amount="150000")  # exactly what was paid
    # A cancelled payment counts in nothing: the contract may go below it.
    projects.payment_cancel(payment, reason="Erreur", expected_version=payment.version)
    projects.contract_update(contract, expected_version=2, amount="1000", signed_on=date(2024, 6, 1))
    assert reload(contract).amount == Decimal("1000.00")


def test_a_contract_edit_checks_the_version(contract):
    projects.contract_update(contract, expected_version=1, reference="A")
    with pytest.raises(VersionConflict):
        projects.contract_update(Contract.objects.get(pk=contract.pk), expected_version=1, reference="B")
    assert reload(contract).reference == "A"


def test_a_contract_with_a_payment_even_cancelled_is_not_removed(contract):
    payment = projects.payment_record(contract=contract, paid_on=date(2024, 3, 1), amount="1000")
    projects.payment_cancel(payment, reason="Erreur", expected_version=payment.version)
    with pytest.raises(ValidationError) as refused:
        projects.contract_remove(contract, expected_version=1)
    assert codes(refused.value, NON_FIELD_ERRORS) == ["contract_has_payments"]
    assert Contract.objects.filter(pk=contract.pk).exists() and Payment.objects.count() == 1


def test_a_contract_without_payment_is_removed_with_its_version(contract, user):
    pk = contract.pk
    with pytest.raises(VersionConflict):
        projects.contract_remove(contract, expected_version=3, by=user)
    projects.contract_remove(contract, expected_version=1, by=user)
    assert not Contract.objects.filter(pk=pk).exists()
    assert Contract.history.filter(id=pk, history_type="-").get().history_user == user
