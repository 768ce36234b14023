"""Lists with search, filters, sorting and pagination; detail pages; query counts at two sizes."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement
from shiraka.core.cache import memo_clear
from shiraka.demo.synth import synth_generate
from shiraka.organisations.models import Organisation
from shiraka.projects.models import Project
from shiraka.territory.models import Province, Region
from shiraka.territory.services import territories_load
from tests import factories

pytestmark = pytest.mark.django_db


def references(html: str) -> list[str]:
    return re.findall(r'href="/\w\w/agreements/([A-Z0-9-]+)/"', html)


@pytest.mark.parametrize("query", ["إنزكان", "انزكان", "Inezgane", "INEZGANE", "آيت ملول", "ايت ملول"])
def test_search_ignores_hamza_forms_diacritics_and_case(client, seeds, query):
    client.force_login(seeds)
    html = client.get("/fr/agreements/", {"q": query}).content.decode()
    assert set(references(html)) == {"IAM-2022-SANTE-CADRE", "IAM-2022-INDH-SANTE"}


def test_filters_by_region_kind_partner_and_year(client, seeds):
    client.force_login(seeds)
    guelmim = Region.objects.get(code="10")
    assert set(references(client.get("/fr/agreements/", {"region": guelmim.pk}).content.decode())) == {
        "GON-2023-SANTE-443"
    }
    assert set(references(client.get("/fr/agreements/", {"kind": "framework"}).content.decode())) == {
        "IAM-2022-SANTE-CADRE"
    }
    lqliaa = Organisation.objects.get(reference_code="COMMUNE-09.273.01.17")
    assert set(references(client.get("/fr/agreements/", {"partner": lqliaa.pk}).content.decode())) == {
        "IAM-2022-SANTE-CADRE"
    }
    assert set(references(client.get("/fr/agreements/", {"year": 2022}).content.decode())) == {
        "IAM-2022-SANTE-CADRE",
        "IAM-2022-INDH-SANTE",
    }


@pytest.mark.parametrize("path", ["/ar/agreements/", "/fr/projects/"])
def test_the_territory_filter_keeps_what_was_chosen_each_province_under_its_region(client, seeds, path):
    client.force_login(seeds)
    province = Province.objects.select_related("region").get(code="09.273")
    html = client.get(path, {"region": province.region.pk, "province": province.pk}).content.decode()
    regions = re.search(r'<select[^>]*name="region">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\d+)" selected>', regions) == [str(province.region.pk)]
    assert len(re.findall("<option", regions)) == Region.objects.count() + 1
    provinces = re.search(r'<select[^>]*name="province">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\d+)" selected>', provinces) == [str(province.pk)]
    assert len(re.findall("<option", provinces)) == Province.objects.count() + 1
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', provinces, re.S))
    name = province.region.name_ar if path.startswith("/ar/") else province.region.name_fr
    assert f'value="{province.pk}" selected>' in groups[name]
    assert len(groups) == Province.objects.values("region").distinct().count()


def test_the_filter_choices_are_written_once_and_show_a_rename_at_once(client, seeds):
    client.force_login(seeds)
    client.get("/fr/agreements/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/fr/agreements/").content.decode()
    read = [q["sql"] for q in queries.captured_queries if 'FROM "territory_province"' in q["sql"]]
    assert read == [], "read again, the choices come from the process's memory"
    region = Region.objects.get(code="10")
    region.name_fr = "Guelmim-Oued Noun (renommée)"
    region.save()
    html = client.get("/fr/agreements/", {"region": region.pk}).content.decode()
    regions = re.search(r'<select[^>]*name="region">(.*?)</select>', html, re.S).group(1)
    assert f'<option value="{region.pk}" selected>Guelmim-Oued Noun (renommée)</option>' in regions
    provinces = re.search(r'<select[^>]*name="province">(.*?)</select>', html, re.S).group(1)
    assert '<optgroup label="Guelmim-Oued Noun (renommée)">' in provinces
    assert " selected" not in provinces


def test_a_reference_load_that_renames_a_region_shows_in_the_filter_at_once(client, seeds):
    client.force_login(seeds)
    memo_clear()
    region = Region.objects.get(code="10")
    Region.objects.filter(pk=region.pk).update(name_fr="Ancien nom")  # as an older reference file had it
    assert ">Ancien nom</option>" in client.get("/fr/agreements/").content.decode()
    territories_load()  # written in bulk, without signals
    html = client.get("/fr/agreements/").content.decode()
    assert f">{region.name_fr}</option>" in html and "Ancien nom" not in html


@pytest.mark.parametrize("params", [{}, {"kind": "framework"}, {"q": "Inezgane"}])
def test_the_list_counts_its_agreements_without_their_figures(client, seeds, params):
    client.force_login(seeds)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/fr/agreements/", params).content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert any('FROM "agreements_agreement"' in sql for sql in counts)
    assert not any("JOIN" in sql and "agreementfigures" in sql for sql in counts)
    shown = int(re.search(r'data-count="(\d+)"', html).group(1))
    assert shown == len(references(html)) > 0


def test_sorting_by_total_and_bad_parameters_are_ignored(client, seeds):
    client.force_login(seeds)
    html = client.get("/fr/agreements/", {"sort": "-total"}).content.decode()
    assert references(html)[:3] == ["GON-2023-SANTE-443", "IAM-2022-SANTE-CADRE", "IAM-2022-INDH-SANTE"]
    assert (
        client.get("/fr/agreements/", {"sort": "evil;drop", "region": "x", "page": "999"}).status_code == 200
    )


def test_pagination_splits_long_lists(client, seeds):
    client.force_login(seeds)
    synth_generate(agreements=60, seed=31, show_progress=False)
    first = client.get("/fr/agreements/").content.decode()
    second = client.get("/fr/agreements/", {"page": 2}).content.decode()
    assert 'data-count="63"' in first
    assert len(set(references(first))) == 50 and len(set(references(second))) == 13
    assert not set(references(first)) & set(references(second))


def test_project_list_filters_and_project_page(client, seeds):
    client.force_login(seeds)
    html = client.get("/ar/projects/", {"category": "emergency_unit"}).content.decode()
    assert html.count('href="/ar/projects/GON-') == 2
    page = client.get("/fr/projects/GON-2023-SANTE-443-P11/").content.decode()
    assert "Taghjijt" in page and "Tioughza" in page


@pytest.mark.parametrize(
    ("path", "field", "choices"),
    [
        ("/projects/", "category", Project._meta.get_field("category").choices),
        ("/projects/", "status", Project.Status.choices),
        ("/agreements/", "kind", Agreement.Kind.choices),
        ("/agreements/", "status", Agreement.Status.choices),
    ],
)
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_choice_filter_lists_every_choice_in_the_readers_language_and_keeps_the_one_chosen(
    client, seeds, path, field, choices, language
):
    client.force_login(seeds)
    chosen = choices[-1][0]
    html = client.get(f"/{language}{path}", {field: chosen}).content.decode()
    select = re.search(rf'<select[^>]*name="{field}">(.*?)</select>', html, re.S).group(1)
    with translation.override(language):
        expected = [("", str(_("All")), "")] + [
            (value, escape(str(label)), " selected" if value == chosen else "") for value, label in choices
        ]
    assert re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select) == [
        (value, selected, label) for value, label, selected in expected
    ]
    # A value that is not a choice is ignored: every choice shown, none chosen.
    html = client.get(f"/{language}{path}", {field: "<b>nothing"}).content.decode()
    select = re.search(rf'<select[^>]*name="{field}">(.*?)</select>', html, re.S).group(1)
    assert "selected" not in select and "<b>" not in select
    assert select.count("<option") == len(choices) + 1


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_each_listed_project_shows_its_progress_as_a_bar_and_a_figure(client, seeds, language):
    client.force_login(seeds)
    Project.objects.filter(reference="GON-2023-SANTE-443-P11").update(physical_progress=37)
    html = client.get(f"/{language}/projects/", {"q": "GON-2023-SANTE-443-P11"}).content.decode()
    row = re.search(r'<tr>\s*<td[^>]*><a href="/\w\w/projects/GON-2023-SANTE-443-P11/".*?</tr>', html, re.S)
    assert row, html
    bar = re.search(
        r'<div class="progress" role="progressbar" aria-label="([^"]+)" aria-valuenow="(\d+)"', row.group(0)
    )
    assert bar.group(1) == ("نسبة الإنجاز المادي" if language == "ar" else "Avancement physique")
    assert bar.group(2) == "37"
    assert 'style="width: 37%"' in row.group(0) and "37&nbsp;%</span>" in row.group(0)


def test_organisation_and_territory_pages(client, seeds):
    client.force_login(seeds)
    ministry = Organisation.objects.get(reference_code="MSPS")
    page = client.get(f"/fr/organisations/{ministry.pk}/").content.decode()
    assert "222,00\u00a0M DH" in page
    for reference in ("GON-2023-SANTE-443", "IAM-2022-SANTE-CADRE", "IAM-2022-INDH-SANTE"):
        assert reference in page
    region = client.get("/fr/regions/10/").content.decode()
    assert "443,00\u00a0M DH" in region
    # 443 M DH over the 2024 population of Guelmim-Oued Noun
    population = Region.objects.get(code="10").population_2024
    per_inhabitant = f"{443_000_000 / population:,.2f}".replace(",", "\u00a0").replace(".", ",")
    assert per_inhabitant in region
    province = Province.objects.get(code="09.273")
    assert "184,50\u00a0M DH" in client.get(f"/fr/provinces/{province.code}/").content.decode()


def test_an_organisations_partnerships_are_listed_latest_signed_first(client, reference, settings):
    partner = factories.organisation("Partenaire commun")
    signed = [date(2023, 5, 2), date(2025, 1, 9), None, date(2024, 7, 30), date(2025, 1, 9)]
    made = [factories.agreement(signed_on=day, status="signed" if day else "draft") for day in signed]
    for agreement in made:
        agreements.partnership_commit(agreement=agreement, organisation=partner, committed_amount=Decimal(1))
    client.force_login(factories.user_with_role("lists-admin", "admin"))
    page = client.get(f"/fr/organisations/{partner.pk}/").content.decode()
    # Newest first, the same day by the partnership's key (where the databases put a draft with no
    # date differs: among the dated ones, it is listed).
    expected = [made[i].reference for i in (1, 4, 3, 0)]
    shown = [ref for ref in re.findall(r'href="/fr/agreements/([^/]+)/"', page) if ref in expected]
    assert list(dict.fromkeys(shown)) == expected and f"/fr/agreements/{made[2].reference}/" in page


def test_unpublished_records_are_hidden_from_visitors_everywhere(client, seeds):
    Agreement.objects.filter(reference="GON-2023-SANTE-443").update(is_published=False)
    assert "GON-2023-SANTE-443" not in client.get("/fr/agreements/").content.decode()
    assert client.get("/fr/projects/GON-2023-SANTE-443-P01/").status_code == 404
    assert "GON-2023" not in client.get("/fr/projects/").content.decode()


PAGES = [
    "/ar/",
    "/fr/agreements/",
    "/fr/agreements/?q=sante&sort=-arrears",
    "/ar/projects/?late=1",
    "/fr/agreements/SYN41-00001/",
    "/fr/projects/SYN41-00001-P01/",
    "/fr/regions/01/",
    "/ar/provinces/01.511/",
    # In English a region is named by its own field (`name_en`), which a list must read with its rows.
    "/en/agreements/",
    "/en/projects/",
    "/en/regions/01/",
]


def count_queries(client, url):
    factories.figures_checked()
    factories.figures_forgotten()  # every page computed, none read back
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_every_page_query_count_does_not_grow_with_the_data(client, seeds):
    client.force_login(seeds)
    synth_generate(agreements=2, seed=41, show_progress=False)
    ministry = Organisation.objects.get(reference_code="MSPS")
    pages = [*PAGES, f"/fr/organisations/{ministry.pk}/"]
    small = {url: count_queries(client, url) for url in pages}
    synth_generate(agreements=25, seed=42, show_progress=False)
    assert Project.objects.count() > 100
    large = {url: count_queries(client, url) for url in pages}
    assert small == large
    assert max(large.values()) <= 30, large
