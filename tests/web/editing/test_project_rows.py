"""Correcting a project's rows from its update page: Edit and Remove on each funding line, milestone,
progress update, site photo and contract, for those who may update the project; over htmx (the form
opens on the row, the page refreshes once saved) and without JavaScript (a page of its own, then back);
a refusal next to its field, and nothing changed."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from shiraka.accounts.models import Membership
from shiraka.core.formatting import format_amount
from shiraka.projects import services
from shiraka.projects.models import (
    Contract,
    Milestone,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectFunding,
)
from tests import factories
from tests.accounts.world import stored_photo
from tests.factories import member, message, page_text, url

pytestmark = pytest.mark.django_db
Role = Membership.Role
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(reference):
    return factories.organisation("Délégation de la santé")


@pytest.fixture
def project(owner):
    agreement = factories.agreement(total="1000000.00")
    project = services.project_create(
        agreement=agreement,
        reference="P-ROWS",
        title_fr="Centre de santé",
        category="health_centre",
        budget=Decimal("300000"),
        owner=owner,
    )
    services.project_fund(project=project, organisation=owner, amount="100000")
    services.milestone_plan(project=project, kind="studies", planned_on=date(2024, 4, 1))
    services.progress_record(project=project, reported_on=date(2024, 3, 1), physical_progress=20)
    services.progress_record(
        project=project, reported_on=date(2024, 5, 1), physical_progress=45, photos=[stored_photo()]
    )
    paid = services.contract_sign(
        project=project,
        kind="works",
        amount="200000",
        contractor_name="SARL Atlas",
        signed_on=date(2024, 1, 20),
    )
    services.payment_record(contract=paid, paid_on=date(2024, 2, 15), amount="50000")
    services.contract_sign(project=project, kind="goods", amount="30000", contractor_name="Équipements SA")
    return Project.objects.get(pk=project.pk)


@pytest.fixture
def editor(owner):
    """The project editor of the owner organisation: may update the project, so correct its rows."""
    return member(Role.PROJECT_EDITOR, organisation=owner, username="editor-own")


@pytest.fixture
def rows(project):
    return {
        "funding": project.fundings.get(),
        "milestone": project.milestones.get(),
        "progress": project.progress_updates.order_by("-reported_on").first(),
        "photo": ProgressPhoto.objects.get(),
        "paid_contract": project.contracts.get(kind="works"),
        "contract": project.contracts.get(kind="goods"),
    }


def links(page: str, name: str, pk: int) -> bool:
    return f'href="{url(name, pk)}"' in page and f'data-hx-get="{url(name, pk)}"' in page


def reload(record):
    return type(record).objects.get(pk=record.pk)


# --- the buttons ------------------------------------------------------------------------------------


def test_each_row_has_its_edit_and_remove_for_the_project_team(client, project, rows, editor):
    client.force_login(editor)
    page = page_text(client.get(url("project_manage", project.reference)))
    for kind, record in (("funding", rows["funding"]), ("milestone", rows["milestone"])):
        assert links(page, f"{kind}_edit", record.pk) and links(page, f"{kind}_remove", record.pk), kind
        assert f'id="{kind}-slot-{record.pk}"' in page
    assert links(page, "progress_edit", rows["progress"].pk) and links(
        page, "progress_remove", rows["progress"].pk
    )
    assert links(page, "photo_remove", rows["photo"].pk)
    assert links(page, "contract_edit", rows["contract"].pk) and links(
        page, "contract_remove", rows["contract"].pk
    )
    # A contract with a payment is corrected, never removed: no Remove on it.
    assert links(page, "contract_edit", rows["paid_contract"].pk)
    assert url("contract_remove", rows["paid_contract"].pk) not in page
    assert "<script>" not in page  # no inline script (CSP)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROJECT_EDITOR, Role.FOCAL_POINT])
def test_no_correction_for_those_who_may_not_update_the_project(client, project, rows, role):
    client.force_login(member(role, organisation=factories.organisation("Autre partenaire")))
    assert client.get(url("project_manage", project.reference)).status_code == 403
    page = page_text(client.get(url("project", project.reference)))
    assert not re.search(r"/(funding|milestones|progress|photos|contracts)/\d+/(edit|remove)/", page)
    for name, record in (("funding_edit", rows["funding"]), ("photo_remove", rows["photo"])):
        assert client.get(url(name, record.pk)).status_code == 403
        assert client.post(url(name, record.pk), {"version": record.version}).status_code == 403
    assert ProjectFunding.objects.count() == 1 and ProgressPhoto.objects.count() == 1


def test_a_row_of_another_unpublished_project_does_not_exist_for_the_public(client, rows):
    response = client.get(url("funding_edit", rows["funding"].pk))
    assert response.status_code == 302 and url("login") in response["Location"]
    client.force_login(factories.get_user_model().objects.create_user("nobody", password="a-long-pw-123"))
    assert client.get(url("funding_edit", rows["funding"].pk)).status_code == 404
    assert client.get(url("funding_edit", 999999)).status_code == 404


# --- edits ----------------------------------------------------------------------------------------


def test_a_funding_line_is_edited_on_its_row_under_htmx(client, project, rows, editor):
    client.force_login(editor)
    funding = rows["funding"]
    form = page_text(client.get(url("funding_edit", funding.pk), **HTMX))
    assert form.startswith("<form") and f'id="funding-edit-{funding.pk}"' in form
    assert 'name="version" value="1"' in form and "100 000" in form
    response = client.post(url("funding_edit", funding.pk), {"amount": "120000", "version": 1}, **HTMX)
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert reload(funding).amount == Decimal("120000.00")
    assert ProjectFunding.history.filter(id=funding.pk).first().history_user == editor


def test_a_funding_above_the_budget_is_refused_next_to_its_amount(client, project, rows, editor):
    client.force_login(editor)
    funding = rows["funding"]
    response = client.post(url("funding_edit", funding.pk), {"amount": "300000.01", "version": 1}, **HTMX)
    page = page_text(response)
    assert response.status_code == 200 and 'data-error-for="amount"' in page
    with translation.override("fr"):
        budget = format_amount(Decimal("300000"))
    assert (
        message("The funding would exceed the project's budget of %(budget)s.", "fr", budget=budget) in page
    )
    assert reload(funding).amount == Decimal("100000.00") and reload(funding).version == 1


def test_a_milestone_is_edited_without_javascript(client, project, rows, editor):
    client.force_login(editor)
    milestone = rows["milestone"]
    page = page_text(client.get(url("milestone_edit", milestone.pk)))
    assert "<h1" in page and url("project_manage", project.reference) in page  # its own page, a way back
    data = {
        "kind": "tender",
        "planned_on": "2024-06-01",
        "achieved_on": "2024-06-03",
        "note": "",
        "version": 1,
    }
    response = client.post(url("milestone_edit", milestone.pk), data)
    assert response.status_code == 302 and response["Location"] == url("project_manage", project.reference)
    saved = reload(milestone)
    assert (saved.kind, saved.planned_on, saved.achieved_on) == ("tender", date(2024, 6, 1), date(2024, 6, 3))
    data.update(achieved_on="", version=2)
    assert client.post(url("milestone_edit", milestone.pk), data).status_code == 302
    assert reload(milestone).achieved_on is None


def test_a_milestone_achieved_in_the_future_is_refused_next_to_its_date(client, rows, editor):
    client.force_login(editor)
    milestone = rows["milestone"]
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    data = {"kind": "studies", "planned_on": "2024-04-01", "achieved_on": future, "version": 1}
    page = page_text(client.post(url("milestone_edit", milestone.pk), data))
    assert 'data-error-for="achieved_on"' in page
    assert message("This date is in the future: it cannot have happened yet.", "fr") in page
    assert reload(milestone).achieved_on is None and reload(milestone).version == 1


def test_an_edit_on_a_stale_version_saves_nothing_and_says_so(client, rows, editor):
    client.force_login(editor)
    funding = rows["funding"]
    services.funding_update(funding, expected_version=1, amount="90000")
    page = page_text(client.post(url("funding_edit", funding.pk), {"amount": "80000", "version": 1}))
    conflict = (
        "This record was changed by someone else since you opened it. Nothing was saved; "
        "reload it to see the current values."
    )
    assert message(conflict, "fr") in page
    assert reload(funding).amount == Decimal("90000.00")


def test_a_progress_note_is_edited(client, rows, editor):
    client.force_login(editor)
    update = rows["progress"]
    response = client.post(
        url("progress_edit", update.pk), {"note": "Gros œuvre achevé", "version": 1}, **HTMX
    )
    assert response["HX-Refresh"] == "true"
    assert reload(update).note == "Gros œuvre achevé"


def test_a_contract_is_edited_but_not_below_what_was_paid(client, project, rows, editor):
    client.force_login(editor)
    contract = rows["paid_contract"]
    data = {
        "kind": "works",
        "contractor_name": "SARL Atlas",
        "amount": "49999",
        "signed_on": "2024-01-20",
        "version": 1,
    }
    page = page_text(client.post(url("contract_edit", contract.pk), data))
    assert 'data-error-for="amount"' in page
    assert reload(contract).amount == Decimal("200000.00") and reload(contract).version == 1
    data.update(amount="180000", reference="M-7/2024")
    assert client.post(url("contract_edit", contract.pk), data).status_code == 302
    saved = reload(contract)
    assert (saved.amount, saved.reference, saved.version) == (Decimal("180000.00"), "M-7/2024", 2)


# --- removals -------------------------------------------------------------------------------------


def test_a_removal_asks_first_then_removes_under_htmx(client, project, rows, editor):
    client.force_login(editor)
    funding = rows["funding"]
    confirm = page_text(client.get(url("funding_remove", funding.pk), **HTMX))
    assert confirm.startswith("<form") and f'id="funding-remove-{funding.pk}"' in confirm
    assert 'name="version" value="1"' in confirm and ProjectFunding.objects.filter(pk=funding.pk).exists()
    response = client.post(url("funding_remove", funding.pk), {"version": 1}, **HTMX)
    assert response["HX-Refresh"] == "true"
    assert not ProjectFunding.objects.filter(pk=funding.pk).exists()


def test_a_removal_without_javascript_and_on_a_stale_version(client, project, rows, editor):
    client.force_login(editor)
    milestone = rows["milestone"]
    assert "<h1" in page_text(client.get(url("milestone_remove", milestone.pk)))
    services.milestone_update(milestone, expected_version=1, note="changée")
    page = page_text(client.post(url("milestone_remove", milestone.pk), {"version": 1}))
    assert "data-form-errors" in page and Milestone.objects.filter(pk=milestone.pk).exists()
    response = client.post(url("milestone_remove", milestone.pk), {"version": 2})
    assert response.status_code == 302 and response["Location"] == url("project_manage", project.reference)
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_removing_the_latest_update_brings_the_project_back_to_the_one_before(client, project, rows, editor):
    client.force_login(editor)
    assert project.physical_progress == 45
    response = client.post(url("progress_remove", rows["progress"].pk), {"version": 1})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.physical_progress, project.progress_updated_on) == (20, date(2024, 3, 1))
    assert ProgressUpdate.objects.count() == 1 and ProgressPhoto.objects.count() == 0
    page = page_text(client.get(url("project_manage", project.reference)))
    assert 'data-figure="project-progress">20' in page


def test_a_photo_is_removed_and_its_update_stays(client, rows, editor):
    client.force_login(editor)
    response = client.post(url("photo_remove", rows["photo"].pk), {"version": 1}, **HTMX)
    assert response["HX-Refresh"] == "true"
    assert (
        ProgressPhoto.objects.count() == 0 and ProgressUpdate.objects.filter(pk=rows["progress"].pk).exists()
    )


def test_a_contract_goes_without_payments_and_stays_with_one(client, project, rows, editor):
    client.force_login(editor)
    paid = rows["paid_contract"]
    page = page_text(client.post(url("contract_remove", paid.pk), {"version": 1}, **HTMX))
    assert page.startswith("<form") and "data-form-errors" in page
    refusal = (
        "This contract has payments: it cannot be removed. A payment recorded by mistake is cancelled "
        "with a reason; correct the contract instead."
    )
    assert message(refusal, "fr") in page
    assert Contract.objects.filter(pk=paid.pk).exists()
    response = client.post(url("contract_remove", rows["contract"].pk), {"version": 1})
    assert response.status_code == 302 and not Contract.objects.filter(pk=rows["contract"].pk).exists()
