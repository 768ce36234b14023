"""Keeping `projects.models.OpenMilestones` true: each project's oldest milestone not achieved yet.

A save or removal of a milestone writes its project's row again in the same transaction, its
agreement's figures row locked first as every writer of an agreement's kept rows does
(`portfolio.figures`, `followup.kept_alerts`): two people changing milestones of one project at once
compute its date one after the other, each seeing what the other committed. Bulk paths (synth) and
`shiraka figures --refresh` write the rows of many agreements at once; `--verify` compares every row
with the milestones."""

from datetime import date

from django.db import connection
from django.db.models import Min, QuerySet
from django.db.models.signals import post_delete, post_save

from shiraka.agreements.models import Agreement
from shiraka.projects.models import Milestone, OpenMilestones, Project

from .figures import CHUNK, KEPT_CHECKS, Difference
from .models import AgreementFigures


def _open(milestones: QuerySet) -> QuerySet:
    """(project id, the planned date of its oldest open milestone) of the projects of `milestones`."""
    return (
        milestones.filter(achieved_on__isnull=True, planned_on__isnull=False)
        .order_by()
        .values("project_id")
        .annotate(first=Min("planned_on"))
        .values_list("project_id", "first")
    )


def _write(milestones: QuerySet) -> int:
    """The rows of the projects of `milestones`, computed by the database in one INSERT … SELECT;
    how many."""
    sql, params = _open(milestones).query.sql_with_params()
    table = connection.ops.quote_name(OpenMilestones._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO {table} ("project_id", "first_planned_on") {sql}', params)
        return cursor.rowcount


def keep_open_milestones(project_ids) -> None:
    """The rows of these projects written again from their milestones (in the writer's transaction)."""
    ids = sorted(set(project_ids))
    agreements = Project.objects.filter(pk__in=ids).values("agreement_id")
    list(AgreementFigures.objects.select_for_update().filter(pk__in=agreements).values_list("pk"))
    OpenMilestones.objects.filter(project_id__in=ids).delete()
    _write(Milestone.objects.filter(project_id__in=ids))


def refresh_open_milestones(agreement_ids=None) -> int:
    """The rows of every project of these agreements (all when None) written again; how many
    projects have an open milestone among them."""
    if agreement_ids is None:
        ids = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(agreement_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        OpenMilestones.objects.filter(project__agreement_id__in=chunk).delete()
        written += _write(Milestone.objects.filter(project__agreement_id__in=chunk))
    return written


def verify_open_milestones(today: date | None = None) -> list[Difference]:
    """Every kept row next to the one computed from the milestones (a project's rows missing, extra
    or with another date)."""
    kept = dict(OpenMilestones.objects.values_list("project_id", "first_planned_on"))
    computed = dict(_open(Milestone.objects.all()))
    return [
        Difference("project", pk, "oldest open milestone", kept.get(pk, "none"), computed.get(pk, "none"))
        for pk in sorted(set(kept) | set(computed))
        if kept.get(pk) != computed.get(pk)
    ]


def _on_milestone_changed(sender, instance: Milestone, **kwargs) -> None:
    keep_open_milestones([instance.project_id])


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_on_milestone_changed, sender=Milestone, dispatch_uid=f"open-milestones-{signal}")
    if verify_open_milestones not in KEPT_CHECKS:
        KEPT_CHECKS.append(verify_open_milestones)
