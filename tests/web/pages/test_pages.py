import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shiraka.agreements.models import Agreement
from shiraka.demo.synth import synth_generate
from tests import factories

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_seeds_in_arabic_right_to_left(client, seeds):
    client.force_login(seeds)
    page = client.get("/ar/").content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "bootstrap.rtl.min.css" in page
    assert "627,50\u00a0مليون درهم" in page  # 443 + 158,16 + 26,343 M DH


@pytest.mark.parametrize(
    ("language", "tangier", "marrakesh"),
    [
        ("en", "Tangier-Tetouan-Al Hoceima", "Marrakesh-Safi"),
        ("fr", "Tanger-Tétouan-Al Hoceima", "Marrakech-Safi"),
        ("ar", "طنجة-تطوان-الحسيمة", "مراكش-آسفي"),
    ],
)
def test_the_dashboard_names_regions_in_the_readers_language(client, seeds, language, tangier, marrakesh):
    """The region table and its chart: English regions by their English names (two differ from the
    French), as the region pages and lists name them."""
    from shiraka.territory.models import Region

    for code in ("01", "07"):
        factories.agreement(region=Region.objects.get(code=code), title_fr=f"Convention {code}")
    client.force_login(seeds)
    response = client.get(f"/{language}/")
    table = factories.page_text(response)
    regions = factories.charts_of(response)["chart-regions"]
    for name in (tangier, marrakesh):
        assert name in table and name in regions["categories"], name
    french = {"Tanger-Tétouan-Al Hoceima", "Marrakech-Safi"} - {tangier, marrakesh}
    assert not any(name in table for name in french)


def test_agreement_page_in_french_shows_partners_signatories_and_not_specified(client, seeds):
    client.force_login(seeds)
    page = client.get("/fr/agreements/GON-2023-SANTE-443/").content.decode()
    assert 'dir="ltr"' in page
    assert "443\u00a0000\u00a0000,00\u00a0DH" in page
    assert "222\u00a0000\u00a0000,00\u00a0DH" in page and "221\u00a0000\u00a0000,00\u00a0DH" in page
    assert "S-C3" in page
    for name in ("مباركة بوعيدة", "خالد أيت الطالب", "محمد الناجم ابهي"):
        assert name in page
    assert page.count('<tr id="project-GON-2023-SANTE-443-P') == 14


def test_anonymous_visitors_see_published_agreements_only(client, seeds):
    Agreement.objects.filter(reference="IAM-2022-INDH-SANTE").update(is_published=False)
    assert client.get("/fr/agreements/IAM-2022-INDH-SANTE/").status_code == 404
    assert client.get("/fr/agreements/IAM-2022-SANTE-CADRE/").status_code == 200
    client.force_login(seeds)
    assert client.get("/fr/agreements/IAM-2022-INDH-SANTE/").status_code == 200


def queries_for(client, url: str) -> int:
    factories.figures_checked()
    factories.figures_forgotten()  # every page computed, none read back
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_page_query_counts_do_not_grow_with_the_data(client, seeds):
    client.force_login(seeds)
    synth_generate(agreements=3, seed=21, show_progress=False)
    small = {url: queries_for(client, url) for url in ("/ar/", "/fr/agreements/SYN21-00001/")}
    synth_generate(agreements=20, seed=22, show_progress=False)
    large = {url: queries_for(client, url) for url in ("/ar/", "/fr/agreements/SYN21-00001/")}
    assert small == large


def test_a_province_secretariat_opens_on_its_province_with_a_switch_to_all(client, seeds):
    from decimal import Decimal

    from shiraka.accounts.models import Membership
    from tests.factories import province, user_with_role

    inezgane = province("09.273")
    client.force_login(
        user_with_role("sg-inezgane", Membership.Role.SECRETARIAT, province=inezgane, region=inezgane.region)
    )
    home = client.get("/fr/")
    assert home.context["summary"].total_amount == Decimal("184503000.00")  # the two Inezgane agreements
    text = home.content.decode()
    assert "/fr/new/agreement/" in text and "/fr/agreements/new-from-text/" in text  # its buttons
    assert 'data-scope="home"' in text and "?scope=all" in text
    wide = client.get("/fr/", {"scope": "all"})
    assert wide.context["summary"].total_amount == Decimal("627503000.00")
    assert 'data-scope="all"' in wide.content.decode()


def test_an_agreements_projects_are_listed_by_reference_whatever_order_they_were_added_in(client, seeds):
    agreement = factories.agreement(total="9000000.00")
    for reference in ("LOT-C", "LOT-A", "LOT-B"):
        factories.project(agreement, reference=reference)
    client.force_login(seeds)
    page = client.get(f"/fr/agreements/{agreement.reference}/").content.decode()
    shown = [page.index(f'<tr id="project-{reference}"') for reference in ("LOT-A", "LOT-B", "LOT-C")]
    assert shown == sorted(shown)
