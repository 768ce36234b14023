"""Edit pages of projects: creation and edit, status, funding, milestones, progress with photos,
contracts and payments (issue 3, "Forms")."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shiraka.accounts.models import Membership
from shiraka.projects import services
from shiraka.projects.models import (
    Contract,
    Milestone,
    Payment,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectFunding,
)
from shiraka.territory.models import Commune
from tests import factories
from tests.factories import member, message, page_text, png_bytes, url

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def admin(reference):
    return member(Role.ADMINISTRATOR, username="admin-user")


@pytest.fixture
def agreement(reference):
    commune = Commune.objects.select_related("province").order_by("code").first()
    return factories.agreement(total="1000000.00", province=commune.province, region=commune.province.region)


@pytest.fixture
def project(agreement):
    owner = factories.organisation("Délégation test")
    return services.project_create(
        agreement=agreement,
        reference="P-1",
        title_fr="Centre de santé",
        category="health_centre",
        budget=Decimal("300000"),
        owner=owner,
        province=agreement.province,
    )


def project_post(agreement, **overrides) -> dict:
    data = {
        "reference": "P-NEW",
        "title_fr": "Hôpital de proximité",
        "title_ar": "مستشفى القرب",
        "category": "proximity_hospital",
        "province": agreement.province_id,
        "budget": "250000",
        "planned_start": "2024-01-01",
        "planned_end": "2026-12-31",
        "units": "1",
        "beds": "45",
        "beneficiaries": "120000",
    }
    data.update(overrides)
    return data


def test_project_created_with_its_communes(client, admin, agreement):
    client.force_login(admin)
    form = page_text(client.get(url("project_add", agreement.reference)))
    assert f"{agreement.reference}-P01" in form  # a reference is suggested
    select = re.search(r'<select name="communes".*?</select>', form, re.S).group(0)
    assert select.count("<option") == Commune.objects.filter(province=agreement.province).count()
    communes = list(Commune.objects.filter(province=agreement.province)[:2])
    owner = factories.organisation()
    response = client.post(
        url("project_add", agreement.reference),
        {**project_post(agreement, owner=owner.pk), "communes": [c.pk for c in communes]},
    )
    project = Project.objects.get(reference="P-NEW")
    assert response.status_code == 302 and response["Location"] == url("project_manage", "P-NEW")
    assert set(project.communes.all()) == set(communes) and project.beds == 45 and project.owner == owner
    assert project.budget == Decimal("250000.00") and project.region_id == agreement.region_id


def test_budget_above_the_agreement_total_is_a_warning(client, admin, agreement):
    client.force_login(admin)
    response = client.post(
        url("project_add", agreement.reference), project_post(agreement, budget="1500000"), follow=True
    )
    assert Project.objects.filter(reference="P-NEW").exists()
    assert "alert-warning" in page_text(response)


def test_project_dates_out_of_order_are_refused(client, admin, agreement):
    client.force_login(admin)
    response = client.post(
        url("project_add", agreement.reference),
        project_post(agreement, planned_start="2027-01-01", planned_end="2026-01-01"),
    )
    assert response.status_code == 200
    assert message("The end date cannot be before the start date.", "fr") in page_text(response)
    assert 'data-error-for="planned_end"' in page_text(response)
    assert not Project.objects.filter(reference="P-NEW").exists()


def test_communes_are_limited_to_the_province(client, admin, agreement):
    client.force_login(admin)
    options = page_text(client.get(url("commune_options") + f"?province={agreement.province_id}"))
    expected = Commune.objects.filter(province=agreement.province)
    assert options.count("<option") == expected.count()
    assert "<option" not in page_text(client.get(url("commune_options")))
    # Without JavaScript: the "show the communes" button reloads the form without saving.
    other = Commune.objects.exclude(province=agreement.province).select_related("province").first()
    page = page_text(
        client.post(
            url("project_add", agreement.reference),
            {**project_post(agreement, province=other.province_id), "refresh_communes": "1"},
        )
    )
    assert other.name_fr in page and not Project.objects.filter(reference="P-NEW").exists()


def test_project_edit_by_the_owner_editor_and_refused_to_others(client, project):
    owner_editor = member(Role.PROJECT_EDITOR, organisation=project.owner)
    stranger = member(Role.PROJECT_EDITOR, organisation=factories.organisation())
    data = project_post(
        project.agreement,
        reference=project.reference,
        title_fr="Centre de santé rénové",
        version=project.version,
    )
    client.force_login(stranger)
    assert client.get(url("project_edit", project.reference)).status_code == 403
    assert client.post(url("project_edit", project.reference), data).status_code == 403
    assert client.get(url("project_manage", project.reference)).status_code == 403
    client.force_login(owner_editor)
    response = client.post(url("project_edit", project.reference), data)  # the owner left empty
    assert 'data-error-for="owner"' in page_text(response)
    data["owner"] = project.owner_id
    assert client.post(url("project_edit", project.reference), data).status_code == 302
    project.refresh_from_db()
    assert project.title_fr == "Centre de santé rénové" and project.version == 2
    # A second save with the old version is a conflict, not a silent overwrite.
    response = client.post(url("project_edit", project.reference), {**data, "title_fr": "Autre"})
    assert "Centre de santé rénové" in page_text(response) and "Autre" in page_text(response)
    project.refresh_from_db()
    assert project.title_fr == "Centre de santé rénové"


def test_project_status_forward_backwards_and_reason(client, admin, project):
    client.force_login(admin)
    assert (
        client.post(
            url("project_status", project.reference), {"status": "works", "version": project.version}
        ).status_code
        == 302
    )
    project.refresh_from_db()
    response = client.post(
        url("project_status", project.reference), {"status": "studies", "version": project.version}
    )
    assert 'data-error-for="status"' in page_text(response)
    response = client.post(
        url("project_status", project.reference), {"status": "cancelled", "version": project.version}
    )
    assert message("Say why: a suspension or a cancellation needs a reason.", "fr") in page_text(response)
    response = client.post(
        url("project_status", project.reference), {"status": "in_service", "version": project.version}
    )
    assert message(
        "A project in service needs its opening date or its provisional acceptance date.", "fr"
    ) in page_text(response)
    project.refresh_from_db()
    assert project.status == "works"


def test_funding_within_the_budget(client, admin, project):
    client.force_login(admin)
    partner = factories.partnership(project.agreement, committed="200000.00").organisation
    assert (
        client.post(
            url("funding_add", project.reference), {"organisation": partner.pk, "amount": "200000"}
        ).status_code
        == 302
    )
    other = factories.organisation()
    response = client.post(
        url("funding_add", project.reference), {"organisation": other.pk, "amount": "200000"}
    )
    assert 'data-error-for="amount"' in page_text(response)
    assert ProjectFunding.objects.filter(project=project).count() == 1


def test_milestones_planned_then_achieved(client, admin, project):
    client.force_login(admin)
    assert (
        client.post(
            url("milestone_add", project.reference), {"kind": "tender", "planned_on": "2024-09-01"}
        ).status_code
        == 302
    )
    milestone = Milestone.objects.get(project=project)
    manage = page_text(client.get(url("project_manage", project.reference)))
    assert url("milestone_achieve", milestone.pk) in manage
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        url("milestone_achieve", milestone.pk), {"achieved_on": future, "version": milestone.version}
    )
    assert message("This date is in the future: it cannot have happened yet.", "fr") in page_text(response)
    assert (
        client.post(
            url("milestone_achieve", milestone.pk),
            {"achieved_on": "2024-09-10", "version": milestone.version},
        ).status_code
        == 302
    )
    milestone.refresh_from_db()
    assert milestone.achieved_on == date(2024, 9, 10)


def test_progress_update_with_a_photo(client, admin, project):
    client.force_login(admin)
    photo = SimpleUploadedFile("chantier.png", png_bytes(), content_type="image/png")
    response = client.post(
        url("progress_add", project.reference),
        {
            "reported_on": timezone.localdate().isoformat(),
            "physical_progress": "35",
            "note": "Gros œuvre",
            "photos": [photo],
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.physical_progress == 35
    stored = ProgressPhoto.objects.get(update__project=project)
    assert stored.image.name.endswith(".png")
    manage = page_text(client.get(url("project_manage", project.reference)))
    assert url("progress_photo", stored.pk) in manage


def test_progress_above_100_is_refused(client, admin, project):
    client.force_login(admin)
    for language in ("fr", "ar"):
        response = client.post(
            url("progress_add", project.reference, language=language),
            {"reported_on": timezone.localdate().isoformat(), "physical_progress": "101"},
        )
        assert message("Physical progress is between 0 and 100 %.", language) in page_text(response)
    assert not ProgressUpdate.objects.exists()
    project.refresh_from_db()
    assert project.physical_progress == 0


def test_fake_and_polluted_photos(client, admin, project):
    client.force_login(admin)
    fake = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n<html><body onload=alert(1)></body></html>")
    response = client.post(
        url("progress_add", project.reference),
        {"reported_on": timezone.localdate().isoformat(), "physical_progress": "10", "photos": [fake]},
    )
    assert message("This file is not a valid %(kind)s image.", "fr", kind="PNG") in page_text(response)
    assert not ProgressUpdate.objects.exists()
    # A real PNG followed by HTML passes Pillow: it is re-encoded, so the HTML is not stored.
    polluted = SimpleUploadedFile("y.png", png_bytes() + b"<html><script>alert(1)</script></html>")
    response = client.post(
        url("progress_add", project.reference),
        {"reported_on": timezone.localdate().isoformat(), "physical_progress": "10", "photos": [polluted]},
    )
    assert response.status_code == 302
    with ProgressPhoto.objects.get().image.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"\x89PNG") and b"<script>" not in content and b"<html" not in content


def test_contract_and_payments(client, admin, project):
    client.force_login(admin)
    response = client.post(
        url("contract_add", project.reference),
        {
            "kind": "works",
            "reference": "M-12/2024",
            "contractor_name": "Société BTP Souss",
            "amount": "200000",
            "signed_on": "2024-06-01",
            "duration_days": "365",
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.get(project=project)
    response = client.post(url("contract_add", project.reference), {"kind": "works", "amount": "1"})
    assert message("Name the contractor.", "fr") in page_text(response)
    assert (
        client.post(url("payment_add", contract.pk), {"paid_on": "2024-07-01", "amount": "50000"}).status_code
        == 302
    )
    response = client.post(url("payment_add", contract.pk), {"paid_on": "2024-08-01", "amount": "160000"})
    assert 'data-error-for="amount"' in page_text(response)
    response = client.post(url("payment_add", contract.pk), {"paid_on": "2024-05-01", "amount": "1"})
    assert message("A payment cannot be made before its contract was signed.", "fr") in page_text(response)
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("50000.00")]


def test_secretariat_creates_projects_but_a_project_editor_cannot(client, agreement):
    editor = member(Role.PROJECT_EDITOR, organisation=factories.organisation())
    client.force_login(editor)
    assert client.get(url("project_add", agreement.reference)).status_code == 403
    assert client.post(url("project_add", agreement.reference), project_post(agreement)).status_code == 403
    client.force_login(member(Role.SECRETARIAT, province=agreement.province))
    assert client.post(url("project_add", agreement.reference), project_post(agreement)).status_code == 302
    assert Project.objects.filter(reference="P-NEW").count() == 1
