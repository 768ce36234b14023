"""Queries compiled once (`prepared_row`): the same rows as Django's for every key, built once per
process and database, and refused when the built query does not use its key."""

import pytest
from django.db.models import Count

from shiraka.core import querying
from shiraka.core.querying import prepared_row
from shiraka.territory.models import Province, Region

pytestmark = pytest.mark.django_db


def test_each_key_gives_the_row_django_gives_and_the_query_is_built_once(reference, monkeypatch):
    monkeypatch.setattr(querying, "_PREPARED", {})
    built = []

    def provinces_of(pk):
        built.append(pk)
        return Region.objects.filter(pk=pk).annotate(n=Count("provinces")).values_list("code", "n")

    regions = list(Region.objects.order_by("pk"))
    assert len(regions) == 12
    for region in regions:
        expected = (region.code, Province.objects.filter(region=region).count())
        assert expected[1] > 0
        assert prepared_row("test-provinces", provinces_of, region.pk) == expected
    assert prepared_row("test-provinces", provinces_of, 999_999) is None
    assert built == [querying.KEY_MARKER]


def test_a_query_that_ignores_its_key_is_refused(reference, monkeypatch):
    monkeypatch.setattr(querying, "_PREPARED", {})
    with pytest.raises(ValueError, match="does not use its key"):
        prepared_row("test-ignores", lambda pk: Region.objects.values_list("code"), 1)
