"""Search treats a name written run together or split alike, on the pages and in the API."""

import pytest

from shiraka.agreements.models import Agreement
from shiraka.core.querying import text_search
from shiraka.core.text import search_document
from shiraka.territory.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_search_document_holds_the_words_and_the_words_run_together():
    assert search_document("كلميم-واد نون", "Oued Noun") == "كلميم واد نون oued noun كلميموادنونouednoun"
    assert search_document("", "") == ""


@pytest.fixture
def agreements(reference):
    guelmim = Region.objects.get(code="10")
    tangier = Region.objects.get(code="01")
    return (
        f.agreement(region=guelmim, title_ar="اتفاقية جهة كلميم واد نون"),
        f.agreement(region=tangier, title_fr="Convention régionale"),
    )


@pytest.mark.parametrize("query", ["وادنون", "واد نون", "كلميم وادنون", "Oued Noun", "ouednoun"])
def test_a_region_name_is_found_run_together_or_split(agreements, query):
    guelmim_agreement, _other = agreements
    assert list(text_search(Agreement.objects.all(), query)) == [guelmim_agreement]


@pytest.mark.parametrize("query", ["طنجةتطوان", "طنجة تطوان", "طنجة-تطوان"])
def test_tangier_tetouan_run_together(agreements, query):
    _guelmim, tangier_agreement = agreements
    assert list(text_search(Agreement.objects.all(), query)) == [tangier_agreement]


def test_the_agreements_page_and_the_api_find_the_run_together_spelling(client, agreements):
    guelmim_agreement, _other = agreements
    Agreement.objects.update(is_published=True)
    page = client.get("/ar/agreements/", {"q": "وادنون"}).content.decode()
    assert guelmim_agreement.reference in page
    api = f.api_call(client, "get", "agreements?q=وادنون").json()
    assert [row["reference"] for row in api["items"]] == [guelmim_agreement.reference]
