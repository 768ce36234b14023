"""Search treats a name written run together or split alike, on the pages and in the API."""

import pytest

from shiraka.agreements.models import Agreement
from shiraka.core.querying import text_search
from shiraka.core.text import fold, fold_whole, search_document
from shiraka.territory.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_search_document_holds_the_words_and_the_words_run_together():
    assert search_document("كلميم-واد نون", "Oued Noun") == "كلميم واد نون oued noun كلميموادنونouednoun"
    assert search_document("", "") == ""


def test_places_folded_apart_give_the_fold_of_the_whole(reference):
    """The search document folds a record's territory names apart (and remembers them): the same
    text as folding everything joined, for every commune and province name and for awkward text."""
    from shiraka.territory.models import Commune

    def whole(*parts) -> str:
        folded = fold(" ".join(part for part in parts if part))
        return f"{folded} {folded.replace(' ', '')}" if folded else ""

    awkward = ["", "  ", "ء", "-", "«»", "ـتطوان", " آسفي ", "É.P.", "\u0301e", "٣ مراكز", "A/B", "x\u00a0y"]
    for first in awkward:
        for second in awkward:
            for third in ("REF-1", "", "ء"):
                expected = whole(third, first, second)
                assert search_document(third, first, places=[second]) == expected, (third, first, second)
                assert search_document(third, places=[first, second]) == expected, (third, first, second)
    for commune in Commune.objects.select_related("province"):
        names = (commune.name_ar, commune.name_fr, commune.province.name_ar, commune.province.name_fr)
        assert search_document("P-1", names[0], names[1], places=names[2:]) == whole("P-1", *names)


def test_folding_word_by_word_gives_the_fold_of_the_whole_text(reference):
    """`fold` folds each word apart and remembers it: the same text as folding it at once, for every
    territory name and for random text mixing Arabic, Latin with accents, loose combining marks,
    compatibility forms (ligatures, full-width, presentation forms) and every kind of space."""
    from random import Random

    from shiraka.territory.models import Commune

    for commune in Commune.objects.select_related("province"):
        for name in (commune.name_ar, commune.name_fr, commune.province.name_fr):
            assert fold(name) == fold_whole(name), name
    codes = [
        *range(0x21, 0x250),
        *range(0x300, 0x370),
        *range(0x600, 0x700),
        *range(0x2000, 0x2070),
        *range(0xFB50, 0xFE00, 7),
        *range(0xFE70, 0xFF70),
        0x85,
        0xA0,
        0x1C,
        0x1F,
        0x202F,
        0x3000,
        0x2160,
        0x2460,
        0xFDF2,
    ]
    characters = [chr(code) for code in codes]
    chance = Random(5)
    for _ in range(20_000):
        text = "".join(
            chance.choice(characters) if chance.random() < 0.7 else " " for _ in range(chance.randint(0, 12))
        )
        assert fold(text) == fold_whole(text), [hex(ord(c)) for c in text]


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
