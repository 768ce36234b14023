"""An index in the agreement list's default order (latest signed first: the date with NULLs as the
smallest value, then the key, read backwards), so that its first page is read off the index instead
of sorting every agreement joined to its figures and places. The same index in each engine's words, as
in projects/0007."""

from django.db import migrations


def create(apps, schema_editor):
    nulls = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "agreements_agreement_sort_signed_on" '
        f'ON "agreements_agreement" ("signed_on" ASC{nulls}, "id" ASC)'
    )


def drop(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "agreements_agreement_sort_signed_on"')


class Migration(migrations.Migration):
    dependencies = [("agreements", "0006_search_text_run_together")]

    operations = [migrations.RunPython(create, drop)]
