"""How numbers, durations and lists read in each language on the pages (issue 15)."""

from datetime import date

import pytest

from shiraka.projects import services as project_services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_project(reference):
    agreement = f.agreement_in_province(is_published=True)
    project = f.project(agreement)
    project_services.milestone_plan(
        project=project, kind="studies", planned_on=date(2024, 3, 1), achieved_on=date(2024, 3, 10)
    )
    project_services.milestone_plan(
        project=project, kind="tender", planned_on=date(2024, 4, 1), achieved_on=date(2024, 4, 2)
    )
    return project


@pytest.mark.parametrize(
    "language, nine, one",
    [("fr", "9 jours de retard", "1 jour de retard"), ("ar", "بتأخر 9 أيام", "بتأخر يوم واحد")],
)
def test_a_delay_is_said_in_days_with_the_languages_plural(client, late_project, language, nine, one):
    page = f.page_text(client.get(f"/{language}/projects/{late_project.reference}/"))
    assert nine in page and one in page
    assert "semaine" not in page and "أسبوع" not in page


def test_a_partners_roles_are_joined_with_the_arabic_comma(client, reference):
    agreement = f.agreement_in_province(is_published=True)
    f.partnership(agreement, is_project_owner=True)
    page = f.page_text(client.get(f"/ar/agreements/{agreement.reference}/"))
    assert "، " in page.split("<tbody>")[1]


def test_the_admin_is_titled_shiraka_in_each_language(admin_client):
    assert "إدارة منصة شراكة" in admin_client.get("/ar/admin/").content.decode()
    assert "Administration de Shiraka" in admin_client.get("/fr/admin/").content.decode()


def test_a_history_label_isolates_the_reference_from_the_amount_beside_it(reference):
    from django.utils import translation

    from shiraka.core.history import page_history

    agreement = f.agreement_in_province()
    project = f.project(agreement)
    project_services.contract_sign(
        project=project,
        kind="works",
        reference="12/2025/DPS-CHI",
        contractor_name="Entreprise du Sud",
        amount="19500000.00",
        signed_on=date(2025, 1, 5),
    )
    with translation.override("ar"):
        labels = [entry.record for entry in page_history(project, shown=True) if "DPS-CHI" in entry.record]
    assert labels and "\u206812/2025/DPS-CHI\u2069" in labels[0]


def test_coordinates_and_contract_references_read_as_written_on_an_arabic_page(client, reference):
    from decimal import Decimal

    agreement = f.agreement_in_province(is_published=True)
    project = f.project(agreement, latitude=Decimal("31.172800"), longitude=Decimal("-8.858700"))
    project_services.contract_sign(
        project=project,
        kind="works",
        reference="12/2025/DPS-CHI",
        contractor_name="Entreprise",
        amount="10.00",
    )
    page = client.get(f"/ar/projects/{project.reference}/").content.decode()
    assert '<span dir="ltr">31.172800, -8.858700</span>' in page
    assert "<bdi>12/2025/DPS-CHI</bdi>" in page
