"""Alert rules over the follow-up data (DESIGN.md §2, follow-up).

Each rule is a plain function `rule(agreements, *, today) -> list[Alert]` over a queryset of the
agreements in scope. Every rule runs a fixed number of SQL queries (one, GROUP BY or correlated
subqueries), whatever the data size: nothing is fetched row by row.

Alerts are not stored: they are recomputed from the data each time. An `Alert` keeps the figures
of its sentence, not the sentence, so it reads in whatever language is active when it is shown
(page, command line, e-mail digest).

Rules:
- `milestones_late`: a milestone's planned date passed without being achieved (one alert per
  project, naming its oldest late milestone; suspended and cancelled projects are left out);
- `contributions_overdue`: a partnership whose scheduled contributions due to date exceed what it
  transferred (says how much, and since when: the first due date the transfers do not cover);
- `progress_stale`: a project in works without a progress update for 90 days;
- `decisions_overdue`: a committee decision past its due date, neither done nor dropped;
- `commitments_over_total`: the partners' commitments above the agreement's total;
- `budgets_over_total`: the project budgets above the agreement's total.
Cancelled agreements raise no alert."""

from __future__ import annotations

import functools
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import CharField, Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution
from shiraka.agreements.selectors import (
    committed_subquery,
    counted_agreements,
    effective_total,
    money_agreements,
    partnerships_with_figures,
)
from shiraka.core.formatting import format_amount
from shiraka.core.money import MoneyField
from shiraka.core.querying import sum_subquery
from shiraka.core.rules import today as local_today
from shiraka.core.text import localised, reader_language
from shiraka.projects.models import Milestone, Project

from .models import Committee, Decision

STALE_PROGRESS_DAYS = 90


class Kind:
    MILESTONE_LATE = "milestone_late"
    CONTRIBUTION_OVERDUE = "contribution_overdue"
    PROGRESS_STALE = "progress_stale"
    PROJECT_OVERDUE = "project_overdue"
    DECISION_OVERDUE = "decision_overdue"
    COMMITMENTS_OVER_TOTAL = "commitments_over_total"
    BUDGETS_OVER_TOTAL = "budgets_over_total"


KIND_LABELS = {
    Kind.MILESTONE_LATE: gettext_lazy("Late milestones"),
    Kind.CONTRIBUTION_OVERDUE: gettext_lazy("Contributions overdue"),
    Kind.PROGRESS_STALE: gettext_lazy("Progress not updated"),
    Kind.PROJECT_OVERDUE: gettext_lazy("Projects past their planned end"),
    Kind.DECISION_OVERDUE: gettext_lazy("Decisions overdue"),
    Kind.COMMITMENTS_OVER_TOTAL: gettext_lazy("Commitments above the agreement total"),
    Kind.BUDGETS_OVER_TOTAL: gettext_lazy("Project budgets above the agreement total"),
}
KINDS = list(KIND_LABELS)


class Severity:
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_LABELS = {
    Severity.HIGH: gettext_lazy("high"),
    Severity.MEDIUM: gettext_lazy("medium"),
    Severity.LOW: gettext_lazy("low"),
}
SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def _by_age(days: int, *, high: int, medium: int) -> str:
    if days >= high:
        return Severity.HIGH
    if days >= medium:
        return Severity.MEDIUM
    return Severity.LOW


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


# Reversing once per (URL name, language) and filling the argument in keeps 50,000 links cheap.
_SENTINEL = "987654321"
_LINK_TEMPLATES: dict[tuple, str] = {}


def link(name: str, arg) -> str:
    key = (name, get_language(), get_script_prefix())
    template = _LINK_TEMPLATES.get(key)
    if template is None:
        template = _LINK_TEMPLATES[key] = reverse(name, args=[_SENTINEL])
    return template.replace(_SENTINEL, urllib.parse.quote(str(arg), safe="-._~"), 1)


@dataclass(slots=True)
class Alert:
    """One alert: what kind, how serious, about which object, why (with the figures), and where to
    look. `reason`, `label` and `url` follow the active language."""

    kind: str
    severity: str
    object_type: str  # "project", "partnership", "decision" or "agreement"
    object_id: int
    label_ar: str
    label_fr: str
    agreement_id: int | None
    agreement_reference: str | None
    region_id: int | None
    province_id: int | None
    since: date | None = None
    amount: Decimal | None = None
    figures: dict = field(default_factory=dict, compare=False, hash=False)
    link_name: str = "web:agreement"
    link_arg: str | int | None = None
    link_fragment: str = ""

    @property
    def label(self) -> str:
        return localised(self.label_ar, self.label_fr)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.severity])

    @property
    def url(self) -> str:
        arg = self.link_arg if self.link_arg is not None else self.agreement_reference
        if arg is None:
            return ""
        return link(self.link_name, arg) + (f"#{self.link_fragment}" if self.link_fragment else "")

    @property
    def reason(self) -> str:
        return REASONS[self.kind](self, reader_language())

    def sort_key(self):
        return (SEVERITY_RANK[self.severity], KINDS.index(self.kind), self.since or date.max, self.object_id)


# ---------------------------------------------------------------------------------------------
# Sentences. Each reads the alert's figures and formats dates and amounts for the active language.
# The translated patterns are looked up once per language: a national list has ~50,000 alerts.


@functools.lru_cache(maxsize=16)
def _patterns(language: str) -> dict[str, str]:
    with translation.override(language):
        patterns = {
            Kind.MILESTONE_LATE: _(
                "Milestone “%(milestone)s” of “%(project)s” was planned on %(planned)s and is not achieved: "
                "%(days)s late."
            ),
            Kind.CONTRIBUTION_OVERDUE: _(
                "%(partner)s owes %(amount)s on agreement %(agreement)s, overdue since %(since)s: %(due)s due to "
                "date, %(transferred)s transferred."
            ),
            Kind.PROGRESS_STALE: _(
                "No progress update on “%(project)s”, in works, for %(days)s: the last one, on %(last)s, "
                "reported %(progress)s %%."
            ),
            "progress_never": _("No progress update has been recorded on “%(project)s”, in works."),
            Kind.PROJECT_OVERDUE: _(
                "“%(project)s” was to be completed on %(planned)s and is still %(status)s, at %(progress)s %%: "
                "%(days)s late."
            ),
            Kind.DECISION_OVERDUE: _(
                "Decision “%(decision)s” of the %(committee)s was due on %(due)s and is still %(status)s: "
                "%(days)s late."
            ),
            "responsible": _("Responsible: %(organisation)s."),
            Kind.COMMITMENTS_OVER_TOTAL: _(
                "The partners' commitments (%(committed)s) exceed the total of agreement %(agreement)s (%(total)s) "
                "by %(over)s."
            ),
            Kind.BUDGETS_OVER_TOTAL: _(
                "The project budgets of agreement %(agreement)s add up to %(budget)s, %(over)s above its total "
                "(%(total)s)."
            ),
        }
        patterns.update({f"milestone:{value}": str(label) for value, label in Milestone.Kind.choices})
        patterns.update({f"status:{value}": str(label) for value, label in Decision.Status.choices})
        patterns.update({f"project:{value}": str(label) for value, label in Project.Status.choices})
    return patterns


@functools.lru_cache(maxsize=512)
def _other_milestones(language: str, count: int) -> str:
    with translation.override(language):
        return ngettext(
            "%(count)s other milestone of this project is late too.",
            "%(count)s other milestones of this project are late too.",
            count,
        ) % {"count": count}


@functools.lru_cache(maxsize=2048)
def _days(language: str, count: int) -> str:
    with translation.override(language):
        return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _reason_milestone(alert: Alert, language: str) -> str:
    f = alert.figures
    patterns = _patterns(language)
    sentence = patterns[Kind.MILESTONE_LATE] % {
        "milestone": patterns.get(f"milestone:{f['milestone']}", f["milestone"]),
        "project": alert.label,
        "planned": _iso(alert.since),
        "days": _days(language, f["days"]),
    }
    if f["late"] > 1:
        sentence += " " + _other_milestones(language, f["late"] - 1)
    return sentence


def _reason_contribution(alert: Alert, language: str) -> str:
    f = alert.figures
    return _patterns(language)[Kind.CONTRIBUTION_OVERDUE] % {
        "partner": alert.label,
        "amount": format_amount(alert.amount, language),
        "agreement": alert.agreement_reference,
        "since": _iso(alert.since),
        "due": format_amount(f["due"], language),
        "transferred": format_amount(f["transferred"], language),
    }


def _reason_progress(alert: Alert, language: str) -> str:
    f = alert.figures
    if f["last"] is None:
        return _patterns(language)["progress_never"] % {"project": alert.label}
    return _patterns(language)[Kind.PROGRESS_STALE] % {
        "project": alert.label,
        "days": _days(language, f["days"]),
        "last": _iso(f["last"]),
        "progress": f["progress"],
    }


def _reason_project(alert: Alert, language: str) -> str:
    f = alert.figures
    patterns = _patterns(language)
    return patterns[Kind.PROJECT_OVERDUE] % {
        "project": alert.label,
        "planned": _iso(alert.since),
        "status": patterns.get(f"project:{f['status']}", f["status"]),
        "progress": f["progress"],
        "days": _days(language, f["days"]),
    }


def _reason_decision(alert: Alert, language: str) -> str:
    f = alert.figures
    patterns = _patterns(language)
    sentence = patterns[Kind.DECISION_OVERDUE] % {
        "decision": alert.label,
        "committee": localised(f["committee_ar"], f["committee_fr"]),
        "due": _iso(alert.since),
        "status": patterns.get(f"status:{f['status']}", f["status"]),
        "days": _days(language, f["days"]),
    }
    responsible = localised(f["responsible_ar"] or "", f["responsible_fr"] or "")
    if responsible:
        sentence += " " + patterns["responsible"] % {"organisation": responsible}
    return sentence


def _reason_commitments(alert: Alert, language: str) -> str:
    f = alert.figures
    return _patterns(language)[Kind.COMMITMENTS_OVER_TOTAL] % {
        "committed": format_amount(f["committed"], language),
        "agreement": alert.agreement_reference,
        "total": format_amount(f["total"], language),
        "over": format_amount(alert.amount, language),
    }


def _reason_budgets(alert: Alert, language: str) -> str:
    f = alert.figures
    return _patterns(language)[Kind.BUDGETS_OVER_TOTAL] % {
        "agreement": alert.agreement_reference,
        "budget": format_amount(f["budget"], language),
        "over": format_amount(alert.amount, language),
        "total": format_amount(f["total"], language),
    }


REASONS = {
    Kind.MILESTONE_LATE: _reason_milestone,
    Kind.CONTRIBUTION_OVERDUE: _reason_contribution,
    Kind.PROGRESS_STALE: _reason_progress,
    Kind.PROJECT_OVERDUE: _reason_project,
    Kind.DECISION_OVERDUE: _reason_decision,
    Kind.COMMITMENTS_OVER_TOTAL: _reason_commitments,
    Kind.BUDGETS_OVER_TOTAL: _reason_budgets,
}


# ---------------------------------------------------------------------------------------------
# Rules. `agreements` is any Agreement queryset (the reader's scope); each rule is one query.


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


def compute(agreements: QuerySet, *, today: date | None = None, kinds=None) -> list[Alert]:
    """Every rule (or those of `kinds`) over `agreements`, most serious first. One query per rule."""
    today = today or local_today()
    alerts: list[Alert] = []
    for kind, rule in RULES.items():
        if kinds and kind not in kinds:
            continue
        alerts.extend(rule(agreements, today=today))
    alerts.sort(key=Alert.sort_key)
    return alerts


__all__ = [
    "Alert",
    "KINDS",
    "KIND_LABELS",
    "Kind",
    "RULES",
    "SEVERITY_LABELS",
    "Severity",
    "budgets_over_total",
    "commitments_over_total",
    "compute",
    "contributions_overdue",
    "decisions_overdue",
    "milestones_late",
    "progress_stale",
    "projects_overdue",
]
