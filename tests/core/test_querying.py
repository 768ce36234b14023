"""Queries compiled once (`prepared_row`, `prepared_rows`): the same rows as Django's for every key,
built once per process and database, refused when the built query does not use its key, and, under
the tests' check, refused when what is built depends on anything but the key."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shiraka.agreements.models import Partnership
from shiraka.core import querying
from shiraka.core.querying import as_money, prepared_row, prepared_rows, prepared_sql
from shiraka.territory.models import Province, Region
from tests import factories

pytestmark = pytest.mark.django_db


def test_each_key_gives_the_row_django_gives_and_the_query_is_built_once(reference, monkeypatch, settings):
    monkeypatch.setattr(querying, "_PREPARED", {})
    settings.SHIRAKA_CHECK_PREPARED = False  # as in production: the query is not built again
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


def _partnerships_of(pk):
    return (
        Partnership.objects.filter(agreement_id=pk)
        .select_related("organisation", "agreement__province")
        .prefetch_related("schedule")
        .annotate(
            paid=Sum("transfers__amount"), left=as_money(F("committed_amount") - Sum("transfers__amount"))
        )
        .order_by("pk")
    )


def _described(partnership) -> tuple:
    return (
        partnership.pk,
        partnership.committed_amount,
        partnership.paid,
        partnership.left,
        str(partnership.organisation),
        partnership.agreement.reference,
        str(partnership.agreement.province),
        [(line.due_on, line.amount) for line in partnership.schedule.all()],
    )


def test_model_rows_are_django_s_with_their_links_and_money(reference, monkeypatch, settings):
    monkeypatch.setattr(querying, "_PREPARED", {})
    settings.SHIRAKA_CHECK_PREPARED = False
    agreements = [factories.agreement_in_province(code=code) for code in ("09.273", "09.001")]
    for agreement, amounts in zip(agreements, (("1000.10", "250.05"), ("77.00",)), strict=True):
        for amount in amounts:
            factories.partner_with_schedule(
                agreement,
                committed="5000.00",
                due=[(date(2024, 1, 1), amount)],
                transfers=[(date(2024, 2, 1), amount)],
            )
    built = []

    def build(pk):
        built.append(pk)
        return _partnerships_of(pk)

    for agreement in agreements:
        expected = [_described(p) for p in _partnerships_of(agreement.pk)]
        with CaptureQueriesContext(connection) as queries:
            rows = prepared_rows("test-partnerships", build, agreement.pk)
            described = [_described(p) for p in rows]
        assert described == expected and len(queries) == 2  # the rows, then their schedules
        assert all(isinstance(row[2], Decimal) for row in described)
    assert described[0][2] == Decimal("77.00") and described[0][3] == Decimal("4923.00")
    assert prepared_rows("test-partnerships", build, 999_999) == []
    assert built == [querying.KEY_MARKER]


@pytest.mark.parametrize(
    "shape",
    [
        lambda rows: rows.values("code", "region__code"),
        lambda rows: rows.values_list("code", "region__code"),
        lambda rows: rows.values_list("code", flat=True),
        lambda rows: rows.values_list("code", "name_fr", named=True),
        lambda rows: rows.annotate(n=Count("communes")).values_list("code", "n"),
    ],
    ids=["values", "values_list", "flat", "named", "annotated"],
)
def test_values_rows_are_django_s(reference, monkeypatch, shape):
    monkeypatch.setattr(querying, "_PREPARED", {})

    def build(pk):
        return shape(Province.objects.filter(region_id=pk).order_by("code"))

    for region in Region.objects.all():
        expected = list(build(region.pk))
        found = prepared_rows("test-values", build, region.pk)
        assert found == expected and [type(row) for row in found] == [type(row) for row in expected]


def test_the_tests_refuse_a_query_that_depends_on_more_than_its_key(reference, monkeypatch):
    monkeypatch.setattr(querying, "_PREPARED", {})

    def named_in_reader_language(pk):
        field = "name_ar" if translation.get_language() == "ar" else "name_fr"
        return Region.objects.filter(pk=pk).order_by(field).values_list(field)

    region = Region.objects.first()
    with translation.override("fr"):
        prepared_rows("test-language", named_in_reader_language, region.pk)
    with translation.override("ar"), pytest.raises(AssertionError, match="not the one compiled once"):
        prepared_rows("test-language", named_in_reader_language, region.pk)


def test_names_of_past_days_do_not_pile_up(reference, monkeypatch):
    monkeypatch.setattr(querying, "_PREPARED", {})
    monkeypatch.setattr(querying, "PREPARED_KEPT", 3)
    region = Region.objects.first()
    for day in range(5):
        assert prepared_rows(f"test-day-{day}", lambda pk: Region.objects.filter(pk=pk), region.pk) == [
            region
        ]
    assert [name for name, _using in querying._PREPARED] == ["test-day-2", "test-day-3", "test-day-4"]


def test_postgresql_keeps_the_statements_planned_and_runs_the_others_as_sql(reference, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own prepared statements")
    monkeypatch.setattr(querying, "_PREPARED", {})
    region = Region.objects.order_by("pk").first()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert prepared_rows("test-server", lambda pk: Region.objects.filter(pk=pk), region.pk) == [
                region
            ]
        assert [query["sql"] for query in queries] == [queries[0]["sql"]]
        assert queries[0]["sql"].startswith("EXECUTE shiraka_")
    # PostgreSQL cannot tell the type of `$1 + $2`: the statement runs as SQL, the transaction goes on.
    sql, params = prepared_sql("test-untyped", lambda pk: ("SELECT %s + %s", [pk, pk]), 21)
    assert sql == "SELECT %s + %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchone()[0] == 42
    assert Region.objects.count() == 12


def test_postgresql_prepares_nothing_when_told_not_to(reference, monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own prepared statements")
    monkeypatch.setattr(querying, "_PREPARED", {})
    settings.SHIRAKA_PG_PREPARE = False
    region = Region.objects.order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        assert prepared_rows("test-plain", lambda pk: Region.objects.filter(pk=pk), region.pk) == [region]
    assert len(queries) == 1 and not queries[0]["sql"].startswith("EXECUTE")
