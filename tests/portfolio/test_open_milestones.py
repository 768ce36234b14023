"""Each project's oldest open milestone, kept for the lists' "late" filter: true after every kind of
milestone write, equal to what the milestones say, proven by `figures --verify`, repaired by
`--refresh`, and written for existing data by the migration that adds it."""

import importlib
import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Exists, OuterRef

from shiraka.core.rules import today as local_today
from shiraka.portfolio.milestones import refresh_open_milestones, verify_open_milestones
from shiraka.projects import services as projects
from shiraka.projects.models import Milestone, OpenMilestones, Project
from shiraka.projects.selectors import ProjectFilters, project_search, project_search_counted
from tests import factories

pytestmark = pytest.mark.django_db


def late_references(scope=None, **filters) -> set[str]:
    """What the projects list shows with "late" ticked (of the projects `scope`, e.g. a reader's),
    checked against the count the list prints above it."""
    scope = Project.objects.all() if scope is None else scope
    found = set(
        project_search(scope, ProjectFilters(late=True, **filters)).values_list("reference", flat=True)
    )
    assert project_search_counted(scope, ProjectFilters(late=True, **filters)).count() == len(found)
    return found


def late_by_the_milestones() -> set[str]:
    """The rule itself: a milestone planned before today and not achieved."""
    late = Milestone.objects.filter(
        project=OuterRef("pk"), planned_on__lt=local_today(), achieved_on__isnull=True
    )
    return set(Project.objects.filter(Exists(late)).values_list("reference", flat=True))


def kept_date(project) -> date | None:
    return OpenMilestones.objects.filter(project=project).values_list("first_planned_on", flat=True).first()


def test_every_milestone_write_keeps_the_oldest_open_date():
    today = local_today()
    project = factories.project(factories.agreement(), reference="P-LATE-1")
    assert kept_date(project) is None and late_references() == set()

    tender = projects.milestone_plan(project=project, kind="tender", planned_on=date(2024, 1, 10))
    assert kept_date(project) == date(2024, 1, 10)
    assert late_references() == {"P-LATE-1"}

    studies = projects.milestone_plan(project=project, kind="studies", planned_on=date(2023, 5, 1))
    projects.milestone_plan(project=project, kind="award")  # no planned date: never late
    projects.milestone_plan(
        project=project, kind="works_order", planned_on=date(2022, 1, 1), achieved_on=date(2022, 2, 1)
    )
    assert kept_date(project) == date(2023, 5, 1)

    projects.milestone_achieve(studies, achieved_on=date(2023, 6, 1), expected_version=studies.version)
    assert kept_date(project) == date(2024, 1, 10)

    later = today + timedelta(days=30)
    projects.milestone_update(tender, expected_version=tender.version, planned_on=later)
    assert kept_date(project) == later
    assert late_references() == set()

    tender.refresh_from_db()
    projects.milestone_remove(tender, expected_version=tender.version)
    assert kept_date(project) is None
    assert verify_open_milestones() == []


def test_the_late_filter_says_what_the_milestones_say():
    chance = random.Random(7)
    today = local_today()
    agreement, other = factories.agreement(), factories.agreement(reference="CONV-OTHER")
    made = [factories.project(agreement, reference=f"P-RND-{n}") for n in range(4)]
    made += [factories.project(other, reference=f"P-OTH-{n}") for n in range(3)]
    for _step in range(40):
        project = chance.choice(made)
        milestones = list(Milestone.objects.filter(project=project))
        action = chance.choice(["plan", "plan", "achieve", "move", "remove"]) if milestones else "plan"
        if action == "plan":
            planned = chance.choice([None, today - timedelta(days=chance.randint(1, 400))])
            planned = planned or today + timedelta(days=chance.randint(0, 60))
            projects.milestone_plan(project=project, kind="tender", planned_on=planned)
            continue
        milestone = chance.choice(milestones)
        if action == "achieve" and milestone.achieved_on is None:
            projects.milestone_achieve(milestone, achieved_on=today, expected_version=milestone.version)
        elif action == "move":
            moved = today + timedelta(days=chance.randint(-300, 300))
            projects.milestone_update(milestone, expected_version=milestone.version, planned_on=moved)
        elif action == "remove":
            projects.milestone_remove(milestone, expected_version=milestone.version)
        late = late_by_the_milestones()
        assert late_references() == late
        others = {reference for reference in late if reference.startswith("P-OTH-")}
        assert late_references(agreement="CONV-OTHER") == others
        assert late_references(Project.objects.filter(agreement=other)) == others
    assert late_by_the_milestones()  # the walk did leave some projects late
    assert verify_open_milestones() == []


def test_verify_finds_a_kept_date_the_milestones_do_not_say_and_refresh_repairs_it(reference):
    call_command("synth", agreements=6, seed=8, quiet=True)
    assert verify_open_milestones() == []
    assert late_references() == late_by_the_milestones()

    changed, removed = OpenMilestones.objects.order_by("pk")[:2]
    OpenMilestones.objects.filter(pk=changed.pk).update(first_planned_on=date(1999, 1, 1))
    OpenMilestones.objects.filter(pk=removed.pk).delete()
    errors = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("figures", verify=True, stdout=StringIO(), stderr=errors)
    assert refused.value.returncode == 1
    said = errors.getvalue()
    assert f"project {changed.pk}: oldest open milestone kept 1999-01-01, computed from the rows" in said
    assert f"project {removed.pk}: oldest open milestone kept none" in said

    out = StringIO()
    call_command("figures", refresh=True, stdout=out)
    assert "oldest open milestone of" in out.getvalue()
    assert verify_open_milestones() == []


def test_the_migration_writes_the_dates_of_milestones_recorded_before_it():
    project = factories.project(factories.agreement(), reference="P-OLD-1")
    projects.milestone_plan(project=project, kind="tender", planned_on=date(2024, 3, 1))
    projects.milestone_plan(project=project, kind="studies", planned_on=date(2024, 2, 1))
    OpenMilestones.objects.all().delete()
    assert verify_open_milestones() != []

    migration = importlib.import_module("shiraka.projects.migrations.0008_open_milestones")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert kept_date(project) == date(2024, 2, 1)
    assert verify_open_milestones() == []


def test_refresh_of_some_agreements_leaves_the_others_rows_alone():
    first, second = factories.agreement(), factories.agreement()
    mine = factories.project(first, reference="P-ONE")
    theirs = factories.project(second, reference="P-TWO")
    for project in (mine, theirs):
        projects.milestone_plan(project=project, kind="tender", planned_on=date(2024, 4, 1))
    OpenMilestones.objects.filter(project=theirs).update(first_planned_on=date(2020, 1, 1))
    assert refresh_open_milestones([first.pk]) == 1
    assert kept_date(mine) == date(2024, 4, 1)
    assert kept_date(theirs) == date(2020, 1, 1)
