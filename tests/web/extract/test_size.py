"""The review's work is bounded: texts past the limit are refused, and one view of the longest
accepted text stays short."""

import time

import pytest

from shiraka.accounts.models import Membership
from shiraka.extraction.documents import MAX_TEXT_CHARS
from shiraka.intake.proposal import extracted
from shiraka.web.extract.session import SESSION_KEY
from tests.factories import GUELMIM, user_with_role

pytestmark = pytest.mark.django_db

# A dense text of the accepted length: money, people, places and agreements in every sentence.
SENTENCE = (
    "وقعت وزارة الصحة ومجلس جهة الشرق اتفاقية شراكة لبناء مستشفى إقليمي بوجدة بطاقة 250 سريرا بغلاف مالي "
    "قدره 120 مليون درهم، بحضور السيد محمد العلوي عامل الإقليم.\n"
)


@pytest.fixture
def secretariat(reference):
    return user_with_role("secretariat-national", Membership.Role.SECRETARIAT)


def longest(unit: str) -> str:
    return (unit * (MAX_TEXT_CHARS // len(unit) + 1))[:MAX_TEXT_CHARS]


@pytest.mark.parametrize("unit", [SENTENCE, GUELMIM + "\n"], ids=["dense", "seed-repeated"])
def test_one_view_of_the_longest_accepted_text_is_short(client, secretariat, unit):
    client.force_login(secretariat)
    response = client.post("/ar/agreements/new-from-text/", {"text": longest(unit)})
    assert response.status_code == 302
    extracted.cache_clear()
    started = time.perf_counter()
    review = client.get(response["Location"])
    elapsed = time.perf_counter() - started
    assert review.status_code == 200
    # About 1 s here on one core (2 s is the aim); the bound leaves room for a busy machine.
    assert elapsed < 4, elapsed


def test_a_kept_draft_past_the_limit_is_refused_not_reviewed(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/en/agreements/new-from-text/", {"text": GUELMIM})
    session = client.session
    drafts = session[SESSION_KEY]
    [token] = drafts
    drafts[token]["text"] = longest(SENTENCE) + "ا"  # kept before the limit existed
    session[SESSION_KEY] = drafts
    session.save()
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0].endswith("/new-from-text/")
    assert "longer than 50,000 characters" in page.content.decode()
