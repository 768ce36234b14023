"""The project and agreement lists' sorts have an index in their order on both engines (written by
projects/0007 and agreements/0007 in each engine's words), so a page of 50 is read off it."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

EXPECTED = {
    "projects_project": {
        "projects_project_sort_budget": ["budget", "id"],
        "projects_project_sort_progress_updated_on": ["progress_updated_on", "id"],
        "projects_project_sort_progress": ["physical_progress", "id"],
    },
    "agreements_agreement": {"agreements_agreement_sort_signed_on": ["signed_on", "id"]},
}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_each_sort_has_its_index(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = {name: spec["columns"] for name, spec in constraints.items() if spec["index"]}
    for name, columns in EXPECTED[table].items():
        assert found.get(name) == columns, name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="NULLS FIRST is PostgreSQL's own clause")
def test_postgresql_indexes_put_nulls_first_as_the_lists_sort():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'projects_project_sort_budget'")
        [(definition,)] = cursor.fetchall()
    assert "budget NULLS FIRST" in definition
