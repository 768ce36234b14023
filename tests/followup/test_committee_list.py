"""The committee list reads a page in two steps (`core.querying.KeysFirst`): the page's keys sorted
alone, then those committees with their counts. Every page must hold the committees, in the order and
with the counts, that sorting the counted committees in one query gave."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shiraka.followup import services as followup
from shiraka.followup.models import Committee
from shiraka.followup.selectors import COMMITTEE_ORDER, committee_page_rows, committees_with_counts
from shiraka.territory.models import Region
from tests import factories

pytestmark = pytest.mark.django_db

COUNTS = ("agreement_count", "meeting_count", "open_decisions", "overdue_decisions")


@pytest.fixture
def committees(reference):
    agreement = factories.agreement_in_province()
    places = [
        {"province": factories.province("09.273")},
        {"province": factories.province("01.511")},
        {"region": Region.objects.get(code="09")},
        {"region": Region.objects.get(code="01")},
        {},
    ]
    for number in range(10):
        committee = followup.committee_create(
            kind="supervision", name_fr=f"Comité {number % 3}", agreements=[agreement] * (number % 2),
            **places[number % len(places)],
        )  # fmt: skip
        for late in range(number % 4):
            followup.decision_create(
                committee=committee, text=f"Décision {late}", due_on=date(2024, 1, late + 1)
            )


def _described(rows) -> list[tuple]:
    return [(c.pk, *(getattr(c, name) for name in COUNTS)) for c in rows]


@pytest.mark.parametrize("size", [1, 3, 4, 10, 11])
def test_each_page_holds_what_one_sorted_query_gave(committees, size):
    listed = committee_page_rows(Committee.objects.all())
    whole = _described(committees_with_counts().order_by(*COMMITTEE_ORDER))
    assert len(listed) == 10 and any(row[4] for row in whole) and any(row[1] for row in whole)
    pages = [_described(listed[start : start + size]) for start in range(0, 12, size)]
    assert [row for page in pages for row in page] == whole
    assert _described([listed[9]]) == whole[9:]
    with pytest.raises(IndexError):
        listed[10]


def test_the_counts_are_made_for_the_page_only(committees):
    listed = committee_page_rows(Committee.objects.filter(province__isnull=False))
    with CaptureQueriesContext(connection) as queries:
        page = listed[2:4]
    assert len(page) == 2 and len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    chosen = sql[sql.index(" IN (SELECT") :]
    assert "COUNT(" in sql and "COUNT(" not in chosen and "LIMIT 2" in chosen
