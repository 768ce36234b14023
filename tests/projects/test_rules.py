"""The project rules of DESIGN.md §3: the refusal with its message, and the acceptance next to it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shiraka.projects import services as projects
from shiraka.projects.models import Milestone, Project
from tests import factories
from tests.factories import error_codes as codes
from tests.factories import error_messages as messages

pytestmark = pytest.mark.django_db


# --- dates ----------------------------------------------------------------------------------------


def test_project_planned_end_before_start_is_refused():
    agreement = factories.agreement()
    with pytest.raises(ValidationError) as error:
        projects.project_create(
            agreement=agreement,
            reference="P-1",
            title_fr="Hôpital",
            category="health_centre",
            planned_start=date(2025, 1, 1),
            planned_end=date(2024, 1, 1),
        )
    assert codes(error.value, "planned_end") == ["dates_out_of_order"]
    assert not Project.objects.filter(reference="P-1").exists()


def test_milestone_achieved_in_the_future_is_refused():
    project = projects.project_create(
        agreement=factories.agreement(), reference="P-2", title_fr="CSU", category="health_centre"
    )
    milestone = projects.milestone_plan(project=project, kind="tender", planned_on=date(2024, 5, 1))
    with pytest.raises(ValidationError) as error:
        projects.milestone_achieve(
            milestone,
            achieved_on=timezone.localdate() + timedelta(days=3),
            expected_version=milestone.version,
        )
    assert codes(error.value, "achieved_on") == ["date_in_future"]
    today = timezone.localdate()
    projects.milestone_achieve(milestone, achieved_on=today, expected_version=milestone.version)
    assert Milestone.objects.get(pk=milestone.pk).achieved_on == today


# --- physical progress ----------------------------------------------------------------------------


@pytest.fixture
def project():
    return projects.project_create(
        agreement=factories.agreement(),
        reference="P-9",
        title_fr="Urgences",
        category="emergency_unit",
        budget="500000",
    )


@pytest.mark.parametrize("value", [101, -1, "50.5", "beaucoup"])
def test_progress_outside_0_to_100_is_refused(project, value):
    with pytest.raises(ValidationError) as error:
        projects.progress_record(project=project, reported_on=timezone.localdate(), physical_progress=value)
    assert codes(error.value, "physical_progress")[0] in {"progress_out_of_range", "progress_invalid"}
    assert Project.objects.get(pk=project.pk).physical_progress == 0


@pytest.mark.parametrize("value", [0, 100, "45"])
def test_progress_between_0_and_100_is_recorded_on_the_project(project, value):
    projects.progress_record(project=project, reported_on=timezone.localdate(), physical_progress=value)
    assert Project.objects.get(pk=project.pk).physical_progress == int(value)


def test_an_older_progress_update_does_not_replace_the_latest(project):
    projects.progress_record(project=project, reported_on=date(2024, 6, 1), physical_progress=60)
    projects.progress_record(project=project, reported_on=date(2024, 1, 1), physical_progress=20)
    assert Project.objects.get(pk=project.pk).physical_progress == 60


# --- status paths ---------------------------------------------------------------------------------


def test_project_status_cannot_go_back(project):
    project = projects.project_set_status(project, status="works", expected_version=project.version)
    with pytest.raises(ValidationError) as error:
        projects.project_set_status(project, status="studies", expected_version=project.version)
    assert codes(error.value, "status") == ["status_backwards"]


def test_project_in_service_needs_an_opening_or_acceptance_date(project):
    with pytest.raises(ValidationError) as error:
        projects.project_set_status(project, status="in_service", expected_version=project.version)
    assert codes(error.value, "opened_on") == ["in_service_without_date"]
    projects.milestone_plan(project=project, kind="provisional_acceptance", achieved_on=date(2024, 9, 1))
    project = projects.project_set_status(project, status="in_service", expected_version=project.version)
    assert project.status == "in_service"


# --- warnings, payments ---------------------------------------------------------------------------


def test_project_budgets_above_the_total_warn_without_refusing():
    agreement = factories.agreement(total="1000000")
    projects.project_create(
        agreement=agreement, reference="W-1", title_fr="A", category="health_centre", budget="700000"
    )
    second = projects.project_create(
        agreement=agreement, reference="W-2", title_fr="B", category="health_centre", budget="400000"
    )
    assert len(second.warnings) == 1
    assert Project.objects.filter(agreement=agreement).count() == 2


def test_payments_cannot_exceed_the_contract(project):
    contract = projects.contract_sign(
        project=project,
        kind="works",
        amount="300000",
        contractor_name="SARL Atlas",
        signed_on=date(2024, 2, 1),
    )
    projects.payment_record(contract=contract, paid_on=date(2024, 3, 1), amount="200000")
    with pytest.raises(ValidationError) as error:
        projects.payment_record(contract=contract, paid_on=date(2024, 4, 1), amount="100000.01")
    assert codes(error.value, "amount") == ["payment_above_contract"]


def test_progress_lower_than_the_last_update_asks_for_a_reason(project):
    projects.progress_record(project=project, reported_on=date(2024, 6, 1), physical_progress=60)
    with pytest.raises(ValidationError) as error:
        projects.progress_record(project=project, reported_on=date(2024, 7, 1), physical_progress=40)
    assert codes(error.value, "note") == ["progress_lower_needs_reason"]
    assert "60" in messages(error.value, "note")
    projects.progress_record(
        project=project, reported_on=date(2024, 7, 1), physical_progress=40, note="Dalle démolie et refaite"
    )
    assert Project.objects.get(pk=project.pk).physical_progress == 40
