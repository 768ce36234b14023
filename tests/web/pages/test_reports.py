"""Status reports from the pages: a PDF for members, in the language asked; nothing for the others."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_member_downloads_the_reports_linked_from_the_pages(client):
    agreement = factories.agreement_in_province()
    partner = factories.partner_with_schedule(agreement)
    client.force_login(factories.member("viewer"))
    page = client.get(f"/fr/agreements/{agreement.reference}/").content.decode()
    assert f"/fr/reports/agreement/{agreement.reference}.pdf?language=ar" in page
    for url in (
        f"/fr/reports/agreement/{agreement.reference}.pdf?language=fr",
        f"/ar/reports/province/{agreement.province.code}.pdf",
        f"/fr/reports/region/{agreement.region.code}.pdf?language=ar",
        f"/fr/reports/partner/{partner.organisation.pk}.pdf?language=xx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    assert "data-reports" in client.get(f"/fr/provinces/{agreement.province.code}/").content.decode()


def test_others_get_nothing(client):
    agreement = factories.agreement_in_province(is_published=True)
    url = f"/fr/reports/agreement/{agreement.reference}.pdf"
    assert "data-reports" not in client.get(f"/fr/agreements/{agreement.reference}/").content.decode()
    assert client.get(url).status_code == 302  # a visitor is sent to sign in (no page links there)
    client.force_login(get_user_model().objects.create_user("outsider", password="a-long-test-password"))
    assert client.get(url).status_code == 404
    client.force_login(factories.member("viewer"))
    assert client.get("/fr/reports/agreement/NOPE.pdf").status_code == 404
    assert client.get("/fr/reports/commune/1.pdf").status_code == 404
    assert client.get("/fr/reports/partner/abc.pdf").status_code == 404
