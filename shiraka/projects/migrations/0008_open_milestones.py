"""Each project's oldest milestone not achieved (`OpenMilestones`), kept from now on by
`shiraka.portfolio.milestones`: written here once for the milestones already recorded."""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    'INSERT INTO "projects_openmilestones" ("project_id", "first_planned_on") '
    'SELECT "project_id", MIN("planned_on") FROM "projects_milestone" '
    'WHERE "achieved_on" IS NULL AND "planned_on" IS NOT NULL GROUP BY "project_id"'
)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_list_sort_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpenMilestones",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="open_milestones",
                        serialize=False,
                        to="projects.project",
                    ),
                ),
                ("first_planned_on", models.DateField(db_index=True)),
            ],
        ),
        # Reversed with the table itself.
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
