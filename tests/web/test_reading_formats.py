"""One date format per language, grouped thousands, arrows that point the reading way and reference
names in Arabic, as a reader sees them on the pages."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import page_text

pytestmark = pytest.mark.django_db


def render(source: str, language: str, **values) -> str:
    with translation.override(language):
        return Template("{% load shiraka %}" + source).render(Context(values))


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_one_date_format_and_grouped_counts_in_each_language(language):
    moment = datetime(
        2024, 6, 15, 13, 5, 7, 123456, tzinfo=UTC
    )  # 14:05 in Casablanca (UTC+1 outside Ramadan)
    # On an Arabic page a date is isolated left to right (LRI … PDI), so that it reads as written even
    # after Arabic words; elsewhere it is bare.
    isolated = "\u20662024-03-15\u2069" if language == "ar" else "2024-03-15"
    assert render("{{ d|day }}", language, d=date(2024, 3, 15)) == isolated
    assert render("{{ m|moment }}", language, m=moment) == "2024-06-15 14:05"
    # The `datetime` of a <time> to the second: the HTML standard refuses six digits of a second.
    assert render("{{ m|machine_time }}", language, m=moment) == "2024-06-15T14:05:07+01:00"
    assert render("{{ d|day|default:'—' }}", language, d=None) == "—"
    grouped = {"ar": "379.079", "fr": "379\u00a0079", "en": "379,079"}[language]
    assert render("{{ n|number }}", language, n=379079) == grouped
    assert render("{% arrow %}", language) == ("←" if language == "ar" else "→")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_province_page_groups_its_population(client, reference, language):
    body = page_text(client.get(f"/{language}/provinces/09.273/"))
    assert ("636.916" if language == "ar" else "636\u00a0916") in body
    assert "636916" not in body


def test_every_reference_name_has_its_arabic(reference):
    from shiraka.territory.models import Commune, HealthFacilityType, Province, Region

    for model in (Region, Province, Commune, HealthFacilityType):
        assert list(model.objects.filter(name_ar="").values_list("code", flat=True)) == [], model.__name__
    with translation.override("ar"):
        assert (
            HealthFacilityType.objects.get(code="SAMU-OBST").name
            == "المساعدة الطبية المستعجلة للتوليد بالوسط القروي"
        )


def test_a_source_note_not_in_the_pages_language_is_said_so(client, seeds):
    from shiraka.agreements.models import Partnership

    noted = Partnership.objects.filter(agreement__reference="GON-2023-SANTE-443").exclude(
        commitment_source=""
    )
    assert noted.exists()
    client.force_login(seeds)
    arabic = page_text(client.get("/ar/agreements/GON-2023-SANTE-443/"))
    french = page_text(client.get("/fr/agreements/GON-2023-SANTE-443/"))
    assert "المصدر، كما كُتب (بغير لغة هذه الصفحة):" in arabic
    assert "Source, telle qu’écrite" not in french
    # The place of signing is written in Arabic only: the French page shows it and says so.
    assert 'lang="ar">فضاء الاستقبال' in french and "(pas dans la langue de cette page)" in french
    assert '<span dir="auto">S-C3:' in french
