"""Indexes in the orders the project list sorts by (NULLs as the smallest values, then the key), so
that a page of 50 is read off an index instead of sorting every project joined to its agreement and
places. SQLite puts NULLs first in ascending order on its own and takes no NULLS clause in an index;
PostgreSQL puts them last unless told: the same index is written for each engine in its own words.
A descending sort reads the same index backwards."""

from django.db import migrations

SORTED_COLUMNS = ("budget", "progress_updated_on")


def create(apps, schema_editor):
    nulls = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    for column in SORTED_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "projects_project_sort_{column}" '
            f'ON "projects_project" ("{column}" ASC{nulls}, "id" ASC)'
        )
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "projects_project_sort_progress" '
        'ON "projects_project" ("physical_progress", "id")'
    )


def drop(apps, schema_editor):
    for name in (*SORTED_COLUMNS, "progress"):
        schema_editor.execute(f'DROP INDEX IF EXISTS "projects_project_sort_{name}"')


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_search_text_run_together")]

    operations = [migrations.RunPython(create, drop)]
