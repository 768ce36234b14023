"""Queries compiled once (`prepared_row`, `prepared_rows`): the same rows as Django's for every key,
built once per process and database, refused when the built query does not use its key, and, under
the tests' check, refused when what is built depends on anything but the key."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Q, Sum
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


# --- rows within a scope of agreements (`within`) ----------------------------------------------------


def _subquery_form(queryset, path, scope):
    return queryset.filter(**{f"{path}__in": scope.order_by().values("pk")})


@pytest.fixture
def scattered(reference):
    """Agreements in two regions, one without a region, one a draft, two amendments; partnerships and
    projects in each but the amendments."""
    from shiraka.agreements.models import Agreement

    placed = [factories.agreement_in_province(code=code) for code in ("09.273", "09.001", "01.051")]
    unplaced = factories.agreement()
    draft = factories.agreement(status="draft", region=placed[0].region)
    factories.agreement(kind="amendment", parent=placed[0], region=placed[0].region)
    factories.agreement(kind="amendment", parent=unplaced, signed_on=date(2024, 5, 1))
    for agreement in [*placed, unplaced, draft]:
        factories.partnership(agreement)
        factories.partnership(agreement, committed="10.00")
        factories.project(agreement)
    return Agreement.objects.all()


SCOPES = {
    "one region": lambda agreements, region: agreements.filter(region=region),
    "a region or none": lambda agreements, region: agreements.filter(
        Q(region__in=[region]) | Q(region__isnull=True)
    ),
    "no region": lambda agreements, region: agreements.filter(region__isnull=True),
    "nothing": lambda agreements, region: agreements.filter(pk__in=[]),
    "signed, not this region": lambda agreements, region: agreements.filter(status="in_execution").exclude(
        region=region
    ),
    "with a small partner": lambda agreements, region: agreements.filter(
        pk__in=Partnership.objects.filter(committed_amount=Decimal("10.00")).values("agreement"),
        region=region,
    ),
    # Conditions on another table: the subquery stays (checked below), the rows are the same.
    "by its region's code": lambda agreements, region: agreements.filter(region__code=region.code),
    "by a partner": lambda agreements, region: agreements.filter(
        partnerships__committed_amount=Decimal("10.00"), region=region
    ),
}


# The scopes holding the parent of one of the two amendments.
PARENTS_FOUND = {
    "one region",
    "a region or none",
    "no region",
    "with a small partner",
    "by its region's code",
    "by a partner",
}


@pytest.mark.parametrize("scope", SCOPES, ids=list(SCOPES))
@pytest.mark.parametrize(
    ("model", "path"),
    [
        ("agreements.Agreement", "pk"),
        ("agreements.Agreement", "parent"),  # the agreement's own table, joined under another name
        ("agreements.Partnership", "agreement"),
        ("projects.Project", "agreement"),
    ],
)
def test_rows_within_a_scope_are_those_of_the_subquery(scattered, scope, model, path):
    from django.apps import apps

    region = factories.province("09.273").region
    scoped = SCOPES[scope](scattered, region)
    rows = apps.get_model(model).objects.all()
    expected = sorted(_subquery_form(rows, path, scoped).values_list("pk", flat=True))
    assert bool(expected) is (scope != "nothing" and (path != "parent" or scope in PARENTS_FOUND))
    found = querying.within(rows, path, scoped)
    assert sorted(found.values_list("pk", flat=True)) == expected
    if scope != "nothing":  # (no SQL at all: Django knows there is no row)
        # Plain conditions on the agreement's own table are joined, not asked of a subquery.
        subqueries = str(found.query).count("SELECT") - 1
        assert subqueries == (
            1 if scope in ("with a small partner", "by its region's code", "by a partner") else 0
        )


def test_a_region_s_partner_sums_read_its_agreements_not_the_whole_table(scattered):
    from shiraka.portfolio.regions import in_regions
    from shiraka.portfolio.selectors import partner_groups

    region = factories.province("09.273").region
    rows = partner_groups(in_regions(scattered, [region]), "region")
    sql = str(rows.query)
    assert " IN (SELECT" not in sql and '"agreements_agreement"."region_id" IN' in sql
    expected = _subquery_form(
        Partnership.objects.filter(agreement__status__in=["signed", "in_execution"]),
        "agreement",
        scattered.filter(region=region),
    )
    assert sum(row["agreements"] for row in rows) == expected.count() == 4
