"""The alert rules as they were before they moved into SQL (one Python `Alert` per row, sorted in
Python): the oracle the SQL alerts are compared with on generated data (test_alerts_sql.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import CharField, Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution
from shiraka.agreements.selectors import (
    committed_subquery,
    counted_agreements,
    effective_total,
    money_agreements,
    partnerships_with_figures,
)
from shiraka.core.money import MoneyField
from shiraka.core.querying import sum_subquery
from shiraka.core.rules import today as local_today
from shiraka.followup.alerts import KINDS, SEVERITY_RANK, STALE_PROGRESS_DAYS, Alert, Kind, Severity
from shiraka.followup.models import Committee, Decision
from shiraka.projects.models import Milestone, Project


def _by_age(days: int, *, high: int, medium: int) -> str:
    if days >= high:
        return Severity.HIGH
    if days >= medium:
        return Severity.MEDIUM
    return Severity.LOW


def _ids(agreements: QuerySet) -> QuerySet:
    # Drafts and cancelled agreements count in no figure, alerts included.
    return counted_agreements(agreements).order_by().values("pk")


def _project_alert(
    kind: str, severity: str, row: dict, *, via: str = "", since, figures: dict, **link
) -> Alert:
    """An alert on a project from a query row whose project fields are named with the prefix `via`
    ("project__" when the row is a milestone's), linked by default to the project's row on its agreement."""
    reference = row[f"{via}reference"]
    link = link or {"link_fragment": f"project-{reference}"}
    return Alert(
        kind=kind,
        severity=severity,
        object_type="project",
        object_id=row["project_id" if via else "pk"],
        label_ar=row[f"{via}title_ar"] or reference,
        label_fr=row[f"{via}title_fr"] or reference,
        agreement_id=row[f"{via}agreement_id"],
        agreement_reference=row[f"{via}agreement__reference"],
        region_id=row[f"{via}agreement__region_id"],
        province_id=row[f"{via}agreement__province_id"],
        since=since,
        figures={**figures, "project_reference": reference},
        **link,
    )


def milestones_late(agreements: QuerySet, *, today: date | None = None) -> list[Alert]:
    """Projects with milestones planned before today and not achieved. One GROUP BY query; the
    oldest late milestone is found with MIN over "planned date|kind" text, so no subquery per row."""
    today = today or local_today()
    rows = (
        Milestone.objects.filter(
            planned_on__lt=today, achieved_on__isnull=True, project__agreement__in=_ids(agreements)
        )
        .exclude(project__status__in=[Project.Status.SUSPENDED, Project.Status.CANCELLED])
        .order_by()
        .values(
            "project_id",
            "project__title_ar",
            "project__title_fr",
            "project__reference",
            "project__agreement_id",
            "project__agreement__reference",
            "project__agreement__region_id",
            "project__agreement__province_id",
        )
        .annotate(
            late=Count("pk"),
            first=Min(Concat(Cast("planned_on", CharField()), Value("|"), "kind", output_field=CharField())),
        )
    )
    alerts = []
    for row in rows:
        planned_text, _sep, milestone = row["first"].partition("|")
        planned = date.fromisoformat(planned_text[:10])
        days = (today - planned).days
        alerts.append(
            _project_alert(
                Kind.MILESTONE_LATE,
                _by_age(days, high=180, medium=30),
                row,
                via="project__",
                since=planned,
                figures={"milestone": milestone, "days": days, "late": row["late"]},
            )
        )
    return alerts


def contributions_overdue(agreements: QuerySet, *, today: date | None = None) -> list[Alert]:
    """Partnerships whose contributions due to date exceed their transfers. One query: the sums are
    correlated subqueries (agreements.selectors), and "since" is the first due date at which the
    running total of the schedule passes what was transferred."""
    today = today or local_today()
    return [_overdue_contribution(row, today) for row in _overdue_partnerships(agreements, today)]


def _overdue_partnerships(agreements: QuerySet, today: date):
    running_total = (
        ScheduledContribution.objects.filter(
            partnership=OuterRef("partnership"), due_on__lte=OuterRef("due_on")
        )
        .order_by()
        .values("partnership")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    since = (
        ScheduledContribution.objects.filter(partnership=OuterRef("pk"), due_on__lte=today)
        .annotate(running=Subquery(running_total, output_field=MoneyField()))
        .filter(running__gt=OuterRef("transferred"))
        .order_by("due_on")
        .values("due_on")[:1]
    )
    rows = (
        partnerships_with_figures(
            Partnership.objects.filter(agreement__in=_ids(money_agreements(agreements))), today=today
        )
        .filter(arrears__gt=0)
        .annotate(since=Subquery(since))
        .order_by()
        .values(
            "pk",
            "organisation__name_ar",
            "organisation__name_fr",
            "agreement_id",
            "agreement__reference",
            "agreement__region_id",
            "agreement__province_id",
            "due_to_date",
            "transferred",
            "arrears",
            "committed",
            "since",
        )
    )
    return rows


def _overdue_contribution(row: dict, today: date) -> Alert:
    since_on = row["since"]
    if isinstance(since_on, str):  # SQLite returns a subquery's date as text
        since_on = date.fromisoformat(since_on[:10])
    days = (today - since_on).days if since_on else 0
    return Alert(
        kind=Kind.CONTRIBUTION_OVERDUE,
        severity=_by_age(days, high=365, medium=90),
        object_type="partnership",
        object_id=row["pk"],
        label_ar=row["organisation__name_ar"],
        label_fr=row["organisation__name_fr"],
        agreement_id=row["agreement_id"],
        agreement_reference=row["agreement__reference"],
        region_id=row["agreement__region_id"],
        province_id=row["agreement__province_id"],
        since=since_on,
        amount=row["arrears"],
        figures={
            "due": row["due_to_date"],
            "transferred": row["transferred"],
            "committed": row["committed"],
            "days": days,
        },
        link_fragment="partners",
    )


def progress_stale(
    agreements: QuerySet, *, today: date | None = None, days: int = STALE_PROGRESS_DAYS
) -> list[Alert]:
    """Projects in works whose last progress update is older than `days` (or never recorded). One query."""
    today = today or local_today()
    limit = today - timedelta(days=days)
    rows = (
        Project.objects.filter(status=Project.Status.WORKS, agreement__in=_ids(agreements))
        .filter(Q(progress_updated_on__isnull=True) | Q(progress_updated_on__lt=limit))
        .order_by()
        .values(
            "pk",
            "reference",
            "title_ar",
            "title_fr",
            "agreement_id",
            "agreement__reference",
            "agreement__region_id",
            "agreement__province_id",
            "progress_updated_on",
            "physical_progress",
            "actual_start",
        )
    )
    alerts = []
    for row in rows:
        last = row["progress_updated_on"]
        since = last or row["actual_start"]
        age = (today - since).days if since else days
        alerts.append(
            _project_alert(
                Kind.PROGRESS_STALE,
                _by_age(age, high=180, medium=120) if last else Severity.MEDIUM,
                row,
                since=since,
                figures={"last": last, "days": age, "progress": row["physical_progress"]},
            )
        )
    return alerts


def decisions_in_scope(agreements: QuerySet) -> Q:
    """A decision belongs to its agreement, else to its project's agreement, else to the agreements
    its committee follows."""
    ids = _ids(agreements)
    followed = Committee.agreements.through.objects.filter(agreement_id__in=ids)
    return (
        Q(agreement_id__in=ids)
        | Q(agreement__isnull=True, project__agreement_id__in=ids)
        | Q(agreement__isnull=True, project__isnull=True, committee_id__in=followed.values("committee_id"))
    )


# A project is done once delivered or in service; a cancelled one is no longer expected.
FINISHED_PROJECT_STATUSES = (Project.Status.DELIVERED, Project.Status.IN_SERVICE, Project.Status.CANCELLED)


def projects_overdue(agreements: QuerySet, *, today: date | None = None) -> list[Alert]:
    """Projects past their planned end and not delivered. One query."""
    today = today or local_today()
    rows = (
        Project.objects.filter(agreement__in=_ids(agreements), planned_end__lt=today)
        .exclude(status__in=FINISHED_PROJECT_STATUSES)
        .order_by()
        .values(
            "pk", "reference", "title_ar", "title_fr", "status", "physical_progress", "planned_end",
            "agreement_id", "agreement__reference", "agreement__region_id", "agreement__province_id",
        )
    )  # fmt: skip
    return [
        _project_alert(
            Kind.PROJECT_OVERDUE,
            _by_age((today - row["planned_end"]).days, high=180, medium=60),
            row,
            since=row["planned_end"],
            figures={
                "days": (today - row["planned_end"]).days,
                "status": row["status"],
                "progress": row["physical_progress"],
            },
            link_name="web:project",
            link_arg=row["reference"],
        )
        for row in rows
    ]


DECISION_FIELDS = (
    "pk", "text", "status", "due_on", "committee_id", "committee__name_ar", "committee__name_fr",
    "responsible__name_ar", "responsible__name_fr", "agreement_id", "agreement__reference", "agreement__region_id",
    "agreement__province_id", "project__agreement_id", "project__agreement__reference",
    "project__agreement__region_id", "project__agreement__province_id", "committee__region_id",
    "committee__province_id",
)  # fmt: skip


def decisions_overdue(agreements: QuerySet, *, today: date | None = None, committee=None) -> list[Alert]:
    """Decisions due before today and still open or in progress. One query."""
    today = today or local_today()
    queryset = Decision.objects.filter(
        status__in=[Decision.Status.OPEN, Decision.Status.IN_PROGRESS], due_on__lt=today
    )
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    else:
        queryset = queryset.filter(decisions_in_scope(agreements))
    return [_overdue_decision(row, today) for row in queryset.order_by().values(*DECISION_FIELDS)]


def _overdue_decision(row: dict, today: date) -> Alert:
    days = (today - row["due_on"]).days
    text = " ".join(row["text"].split())
    short = text if len(text) <= 120 else text[:119] + "…"
    # A decision names an agreement, or a project (and so its agreement), or only its committee.
    via = "" if row["agreement_id"] is not None else "project__"
    return Alert(
        kind=Kind.DECISION_OVERDUE,
        severity=_by_age(days, high=90, medium=30),
        object_type="decision",
        object_id=row["pk"],
        label_ar=short,
        label_fr=short,
        agreement_id=row[f"{via}agreement_id"],
        agreement_reference=row[f"{via}agreement__reference"],
        region_id=row[f"{via}agreement__region_id"] or row["committee__region_id"],
        province_id=row[f"{via}agreement__province_id"] or row["committee__province_id"],
        since=row["due_on"],
        figures={
            "days": days,
            "status": row["status"],
            "committee_ar": row["committee__name_ar"],
            "committee_fr": row["committee__name_fr"],
            "committee_id": row["committee_id"],
            "responsible_ar": row["responsible__name_ar"],
            "responsible_fr": row["responsible__name_fr"],
        },
        link_name="web:decision",
        link_arg=row["pk"],
    )


def _agreement_alert(kind: str, severity: str, row: dict, over: Decimal, figures: dict) -> Alert:
    return Alert(
        kind=kind,
        severity=severity,
        object_type="agreement",
        object_id=row["pk"],
        label_ar=row["title_ar"] or row["reference"],
        label_fr=row["title_fr"] or row["reference"],
        agreement_id=row["pk"],
        agreement_reference=row["reference"],
        region_id=row["region_id"],
        province_id=row["province_id"],
        amount=over,
        figures=figures,
    )


AGREEMENT_FIELDS = ("pk", "reference", "title_ar", "title_fr", "region_id", "province_id", "total_amount")


def commitments_over_total(agreements: QuerySet, *, today: date | None = None) -> list[Alert]:
    """Agreements whose partners committed more than the total. One query."""
    rows = (
        money_agreements(Agreement.objects.filter(pk__in=_ids(agreements)))
        .annotate(effective=effective_total(), committed=committed_subquery())
        .filter(effective__isnull=False, committed__gt=F("effective"))
        .order_by()
        .values(*AGREEMENT_FIELDS, "effective", "committed")
    )
    return [
        _agreement_alert(
            Kind.COMMITMENTS_OVER_TOTAL,
            Severity.HIGH,
            row,
            row["committed"] - row["effective"],
            {"committed": row["committed"], "total": row["effective"]},
        )
        for row in rows
    ]


def budgets_over_total(agreements: QuerySet, *, today: date | None = None) -> list[Alert]:
    """Agreements whose project budgets add up to more than the total (a warning). One query."""
    rows = (
        money_agreements(Agreement.objects.filter(pk__in=_ids(agreements)))
        .annotate(
            effective=effective_total(), budget=sum_subquery(Project.objects.all(), "agreement", "budget")
        )
        .filter(effective__isnull=False, budget__gt=F("effective"))
        .order_by()
        .values(*AGREEMENT_FIELDS, "effective", "budget")
    )
    return [
        _agreement_alert(
            Kind.BUDGETS_OVER_TOTAL,
            Severity.MEDIUM,
            row,
            row["budget"] - row["effective"],
            {"budget": row["budget"], "total": row["effective"]},
        )
        for row in rows
    ]


RULES = {
    Kind.MILESTONE_LATE: milestones_late,
    Kind.CONTRIBUTION_OVERDUE: contributions_overdue,
    Kind.PROGRESS_STALE: progress_stale,
    Kind.PROJECT_OVERDUE: projects_overdue,
    Kind.DECISION_OVERDUE: decisions_overdue,
    Kind.COMMITMENTS_OVER_TOTAL: commitments_over_total,
    Kind.BUDGETS_OVER_TOTAL: budgets_over_total,
}


def severity_key(alert: Alert):
    """The order of the command line, the digests and the reports: most serious first."""
    return (SEVERITY_RANK[alert.severity], KINDS.index(alert.kind), alert.since or date.max, alert.object_id)


def kind_key(alert: Alert):
    """The order of the alerts page, the API and the export: by kind, most serious first in each."""
    return (KINDS.index(alert.kind), SEVERITY_RANK[alert.severity], alert.since or date.max, alert.object_id)


def compute(agreements: QuerySet, *, today: date, kinds=None, key=severity_key) -> list[Alert]:
    alerts: list[Alert] = []
    for kind, rule in RULES.items():
        if not kinds or kind in kinds:
            alerts.extend(rule(agreements, today=today))
    return sorted(alerts, key=key)
