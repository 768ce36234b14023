# The search text also holds its words run together (core.text.search_document).

from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    from shiraka.core.text import search_document

    Model = apps.get_model("projects", "project")
    batch = []
    for row in Model.objects.select_related("province").iterator(chunk_size=2000):
        places = [row.province.name_ar, row.province.name_fr] if row.province else []
        row.search_text = search_document(row.reference, row.title_ar, row.title_fr, *places)
        batch.append(row)
        if len(batch) == 2000:
            Model.objects.bulk_update(batch, ["search_text"])
            batch = []
    Model.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_photo_version")]

    operations = [migrations.RunPython(rebuild_search_text, migrations.RunPython.noop)]
