# The search text also holds its words run together (core.text.search_document).

from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    from shiraka.core.text import search_document

    Model = apps.get_model("agreements", "agreement")
    batch = []
    for row in Model.objects.select_related("province", "region").iterator(chunk_size=2000):
        places = []
        for place in (row.region, row.province):
            if place is not None:
                places += [place.name_ar, place.name_fr]
        row.search_text = search_document(row.reference, row.title_ar, row.title_fr, row.signed_place, *places)
        batch.append(row)
        if len(batch) == 2000:
            Model.objects.bulk_update(batch, ["search_text"])
            batch = []
    Model.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_signing_attendee_version")]

    operations = [migrations.RunPython(rebuild_search_text, migrations.RunPython.noop)]
