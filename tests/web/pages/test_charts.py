"""Charts: each described as data (json_script, no inline script), numbers written the page's way,
Arabic charts mirrored, and every chart beside the table that says the same."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "unit"), [("ar", "مليون درهم"), ("fr", "M DH")])
def test_dashboard_charts_in_the_page_language(client, seeds, language, unit):
    response = client.get(f"/{language}/")
    charts = factories.charts_of(response)
    assert {"chart-statuses", "chart-partners", "chart-categories", "chart-regions"} <= set(charts)
    partners = charts["chart-partners"]
    assert partners["rtl"] is (language == "ar")
    assert all(label.endswith(unit) for series in partners["series"] for label in series["labels"])
    assert len(partners["series"]) == 3 and partners["kind"] == "rows"
    # No chart is drawn by an inline script: the page's scripts all come from files.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", response.content.decode())
    # The table under the partners' chart names the same partners.
    text = factories.page_text(response)
    assert all(name in text for name in partners["categories"])


def test_region_province_and_organisation_pages_draw_their_charts(client, seeds):
    agreement = factories.agreement_in_province(is_published=True)
    partner = factories.partner_with_schedule(agreement, committed="100000.00")
    factories.project(agreement)
    region = factories.charts_of(client.get(f"/fr/regions/{agreement.region.code}/"))
    assert {"chart-statuses", "chart-partners", "chart-categories", "chart-provinces"} <= set(region)
    province = factories.charts_of(client.get(f"/fr/provinces/{agreement.province.code}/"))
    assert "chart-provinces" not in province and "chart-partners" in province
    organisation = factories.charts_of(client.get(f"/fr/organisations/{partner.organisation.pk}/"))
    assert organisation["chart-agreements"]["categories"] == [agreement.reference]


def test_programme_page_draws_its_charts(client, seeds):
    from shiraka.agreements.models import Programme

    programme = Programme.objects.create(
        code="pdr-test", name_fr="PDR test", name_ar="برنامج", kind="national"
    )
    agreement = factories.agreement_in_province(is_published=True, programme=programme)
    factories.partner_with_schedule(agreement, committed="100000.00")
    response = client.get(f"/fr/programmes/{programme.pk}/")
    assert response.status_code == 200
    charts = factories.charts_of(response)
    assert {"chart-statuses", "chart-partners", "chart-categories", "chart-regions"} <= set(charts)
    assert charts["chart-regions"]["categories"] == [agreement.region.name_fr]
    assert client.get("/fr/programmes/999999/").status_code == 404
