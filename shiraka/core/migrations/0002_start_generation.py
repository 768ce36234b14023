import time

from django.db import migrations


def start_generation(apps, schema_editor):
    """The database's versions start here (`core.kept`), instead of at its first reader."""
    FiguresVersion = apps.get_model("core", "FiguresVersion")
    FiguresVersion.objects.get_or_create(kind="generation", part="", defaults={"marks": time.time_ns()})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(start_generation, migrations.RunPython.noop)]
