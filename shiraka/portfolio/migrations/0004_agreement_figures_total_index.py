"""An index for the agreement list sorted by total: NULLs (no total given) first ascending and last
descending, as `core.querying.ordering_expressions` asks, so that a page is read off the index in
either direction. SQLite orders NULLs so by itself; PostgreSQL is told (as in agreements/0007)."""

from django.db import migrations


def create(apps, schema_editor):
    nulls = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "agreement_figures_total" '
        f'ON "portfolio_agreementfigures" ("total" ASC{nulls}, "agreement_id" ASC)'
    )


def drop(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "agreement_figures_total"')


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0003_agreement_figures_sort_indexes")]

    operations = [migrations.RunPython(create, drop)]
