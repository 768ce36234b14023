"""Alert rules over the follow-up data (DESIGN.md §2, follow-up).

Each rule is a query of rows in shared columns over a queryset of the agreements in scope (severity
computed in SQL from the age); `AlertList` joins them with UNION ALL and lets the database order,
filter, count and page them, so a page of alerts costs one query and builds 50 `Alert`s, whatever the
data size. `rule(agreements, *, today) -> list[Alert]` gives one rule's alerts as a list.

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

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Coalesce
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
)
from shiraka.core.formatting import format_amount
from shiraka.core.money import CENT
from shiraka.core.querying import as_money, sum_subquery
from shiraka.core.rules import today as local_today
from shiraka.core.text import localised, reader_language
from shiraka.portfolio.selectors import partnerships_with_kept_figures
from shiraka.projects.models import Milestone, Project

from .models import Committee, Decision

STALE_PROGRESS_DAYS = 90


class Kind(models.TextChoices):
    MILESTONE_LATE = "milestone_late", gettext_lazy("Late milestones")
    CONTRIBUTION_OVERDUE = "contribution_overdue", gettext_lazy("Contributions overdue")
    PROGRESS_STALE = "progress_stale", gettext_lazy("Progress not updated")
    PROJECT_OVERDUE = "project_overdue", gettext_lazy("Projects past their planned end")
    DECISION_OVERDUE = "decision_overdue", gettext_lazy("Decisions overdue")
    COMMITMENTS_OVER_TOTAL = "commitments_over_total", gettext_lazy("Commitments above the agreement total")
    BUDGETS_OVER_TOTAL = "budgets_over_total", gettext_lazy("Project budgets above the agreement total")


KIND_LABELS = dict(Kind.choices)
KINDS = Kind.values  # in this order on every page, export and digest


class Severity(models.TextChoices):
    HIGH = "high", gettext_lazy("high")
    MEDIUM = "medium", gettext_lazy("medium")
    LOW = "low", gettext_lazy("low")


SEVERITY_LABELS = dict(Severity.choices)
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity.values)}


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
# Rules in SQL. Each rule is a `.values()` query of rows in the same columns (named `a_*`); `rule_sql`
# wraps it with its kind, its severity (a CASE on the age) and its sort keys, and `AlertList` joins the
# rules with UNION ALL, then orders, filters, counts and pages them in the database. An `Alert` is
# built only for the rows fetched: a page of 50, not the whole portfolio.


def _ids(agreements: QuerySet) -> QuerySet:
    # Drafts and cancelled agreements count in no figure, alerts included.
    return counted_agreements(agreements).order_by().values("pk")


# The columns every rule's rows share, with the SQL type of those a rule has not (PostgreSQL types the
# NULLs of a UNION). `since` is a date; money columns hold integers of centimes.
ROW_COLUMNS = {
    "object_id": "BIGINT", "label_ar": "VARCHAR", "label_fr": "VARCHAR", "agreement_id": "BIGINT",
    "agreement_reference": "VARCHAR", "region_id": "BIGINT", "province_id": "BIGINT", "since": "DATE",
    "amount": "BIGINT", "m1": "BIGINT", "m2": "BIGINT", "m3": "BIGINT", "n1": "BIGINT", "d1": "DATE",
    "t1": "VARCHAR", "t2": "VARCHAR", "t3": "VARCHAR", "t4": "VARCHAR", "t5": "VARCHAR", "t6": "VARCHAR",
}  # fmt: skip
# A row: its kind, its severity and the ranks ORDER BY reads, then the shared columns.
COLUMNS = ("kind", "kind_rank", "severity", "severity_rank", "since_missing", *ROW_COLUMNS)

# The age in days at which an alert of each kind becomes high, and medium; the other kinds have one severity.
AGES = {
    Kind.MILESTONE_LATE: (180, 30),
    Kind.CONTRIBUTION_OVERDUE: (365, 90),
    Kind.PROGRESS_STALE: (180, 120),
    Kind.PROJECT_OVERDUE: (180, 60),
    Kind.DECISION_OVERDUE: (90, 30),
}
FIXED_SEVERITY = {Kind.COMMITMENTS_OVER_TOTAL: Severity.HIGH, Kind.BUDGETS_OVER_TOTAL: Severity.MEDIUM}


def _columns(via: str, **paths: str) -> dict:
    """Row columns (`a_<name>`) read from the fields at `paths`, reached through `via`."""
    return {f"a_{name}": F(f"{via}{path}") for name, path in paths.items()}


def _located(via: str) -> dict:
    """The agreement columns of a row whose agreement is reached through `via` ("" for an agreement)."""
    return _columns(
        via,
        agreement_id="id",
        agreement_reference="reference",
        region_id="region_id",
        province_id="province_id",
    )


def _project_columns(via: str) -> dict:
    return {
        **_columns(via, object_id="id", label_ar="title_ar", label_fr="title_fr", t2="reference"),
        **_located(f"{via}agreement__"),
    }


def _rows(queryset: QuerySet, columns: dict, aggregates: dict | None = None) -> QuerySet:
    rows = queryset.order_by().annotate(**columns).values(*columns)
    return rows.annotate(**aggregates) if aggregates else rows


def _milestone_rows(agreements: QuerySet, today: date, **_options) -> QuerySet:
    """Projects that may have late milestones; `_late_milestones` joins how many and the oldest date
    (only those with some make a row)."""
    projects = Project.objects.filter(agreement__in=_ids(agreements)).exclude(
        status__in=[Project.Status.SUSPENDED, Project.Status.CANCELLED]
    )
    return _rows(projects, _project_columns(""))


def _late_milestones(agreements: QuerySet, today: date, **_options) -> tuple[str, list]:
    """Per project, its milestones planned before today and not achieved: how many and the date of
    the oldest (its kind is looked up for the rows fetched only, by `_first_late_milestone`). Grouped
    on the milestones alone: grouping after the join to projects and agreements groups on every
    column shown, three times slower at 5,000 agreements."""
    late = (
        Milestone.objects.filter(
            planned_on__lt=today, achieved_on__isnull=True, project__agreement__in=_ids(agreements)
        )
        .order_by()
        .values("project_id")
        .annotate(since=Min("planned_on"), n1=Count("pk"))
    )
    sql, params = late.query.sql_with_params()
    return f"SELECT g.project_id AS pid, g.since, g.n1 FROM ({sql}) g", list(params)


def _first_late_milestone(today: date) -> tuple[str, list]:
    """The kind of the oldest late milestone of the project of a fetched row `p` (the one the sentence
    names): looked up for the rows fetched only, not for every late project."""
    quote = connection.ops.quote_name
    table = quote(Milestone._meta.db_table)
    sql = (
        f"CASE WHEN p.kind = '{Kind.MILESTONE_LATE}' THEN (SELECT m.{quote('kind')} FROM {table} m "
        f"WHERE m.{quote('project_id')} = p.object_id AND m.{quote('planned_on')} < %s "
        f"AND m.{quote('achieved_on')} IS NULL ORDER BY m.{quote('planned_on')}, m.{quote('kind')} LIMIT 1) END"
    )
    return sql, [connection.ops.adapt_datefield_value(today)]


def _overdue_partnerships(agreements: QuerySet, today: date, *, ensure: bool = True) -> QuerySet:
    """Partnerships whose contributions due to date exceed their transfers, read from the figures
    kept per partnership (`shiraka.portfolio`), made true for `today` first (unless `ensure` is
    False: while they are being written)."""
    partnerships = Partnership.objects.filter(agreement__in=_ids(money_agreements(agreements)))
    return partnerships_with_kept_figures(partnerships, today=today, ensure=ensure).filter(arrears__gt=0)


def _contribution_rows(agreements: QuerySet, today: date, *, ensure: bool = True, **_options) -> QuerySet:
    """Partnerships in arrears; "since" is joined from `_contribution_since`."""
    columns = {
        "a_object_id": F("pk"), "a_label_ar": F("organisation__name_ar"), "a_label_fr": F("organisation__name_fr"),
        **_located("agreement__"), "a_amount": F("arrears"), "a_m1": F("due_to_date"), "a_m2": F("transferred"),
        "a_m3": F("committed"),
    }  # fmt: skip
    return _rows(_overdue_partnerships(agreements, today, ensure=ensure), columns)


def _contribution_since(
    agreements: QuerySet, today: date, *, ensure: bool = True, **_options
) -> tuple[str, list]:
    """Per partnership in arrears, the first due date at which the running total of its schedule
    passes what it transferred: one window over its schedule rows due to date, grouped by
    partnership."""
    partnerships = _overdue_partnerships(agreements, today, ensure=ensure).values("pk")
    running = (
        ScheduledContribution.objects.filter(due_on__lte=today, partnership__in=partnerships)
        .order_by()
        .annotate(
            s_pid=F("partnership_id"),
            s_due=F("due_on"),
            s_running=Window(Sum("amount"), partition_by=[F("partnership_id")], order_by=F("due_on").asc()),
            s_transferred=F("partnership__figures__transferred"),
        )
        .values("s_pid", "s_due", "s_running", "s_transferred")
    )
    running_sql, params = running.query.sql_with_params()
    sql = (
        f"SELECT r.s_pid AS pid, MIN(r.s_due) AS since FROM ({running_sql}) r "
        "WHERE r.s_running > r.s_transferred GROUP BY r.s_pid"
    )
    return sql, list(params)


def _progress_rows(
    agreements: QuerySet, today: date, *, days: int = STALE_PROGRESS_DAYS, **_options
) -> QuerySet:
    """Projects in works whose last progress update is older than `days` (or never recorded)."""
    limit = today - timedelta(days=days)
    projects = Project.objects.filter(status=Project.Status.WORKS, agreement__in=_ids(agreements)).filter(
        Q(progress_updated_on__isnull=True) | Q(progress_updated_on__lt=limit)
    )
    columns = {
        **_project_columns(""),
        "a_since": Coalesce("progress_updated_on", "actual_start"),
        "a_d1": F("progress_updated_on"),
        "a_n1": F("physical_progress"),
    }
    return _rows(projects, columns)


# A project is done once delivered or in service; a cancelled one is no longer expected.
FINISHED_PROJECT_STATUSES = (Project.Status.DELIVERED, Project.Status.IN_SERVICE, Project.Status.CANCELLED)


def _project_rows(agreements: QuerySet, today: date, **_options) -> QuerySet:
    """Projects past their planned end and not delivered."""
    projects = Project.objects.filter(agreement__in=_ids(agreements), planned_end__lt=today).exclude(
        status__in=FINISHED_PROJECT_STATUSES
    )
    columns = {
        **_project_columns(""),
        "a_since": F("planned_end"),
        "a_t1": F("status"),
        "a_n1": F("physical_progress"),
    }
    return _rows(projects, columns)


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


def _own_or_project(name: str, *, committee: str = ""):
    """A decision's agreement column: its own agreement's, else its project's (else its committee's)."""
    value = Case(
        When(agreement_id__isnull=False, then=F(f"agreement__{name}")),
        default=F(f"project__agreement__{name}"),
    )
    return Coalesce(value, F(f"committee__{committee}")) if committee else value


def _decision_rows(
    agreements: QuerySet, today: date, *, committee=None, decision_ids=None, **_options
) -> QuerySet:
    """Decisions due before today and still open or in progress (of `decision_ids` only, when given:
    the kept alerts of the decisions a write changed)."""
    decisions = Decision.objects.filter(
        status__in=[Decision.Status.OPEN, Decision.Status.IN_PROGRESS], due_on__lt=today
    )
    if decision_ids is not None:
        decisions = decisions.filter(pk__in=decision_ids)
    decisions = (
        decisions.filter(committee=committee)
        if committee is not None
        else decisions.filter(decisions_in_scope(agreements))
    )
    columns = {
        "a_object_id": F("pk"), "a_label_ar": F("text"), "a_label_fr": F("text"),
        "a_agreement_id": _own_or_project("id"), "a_agreement_reference": _own_or_project("reference"),
        "a_region_id": _own_or_project("region_id", committee="region_id"),
        "a_province_id": _own_or_project("province_id", committee="province_id"),
        "a_since": F("due_on"), "a_n1": F("committee_id"), "a_t1": F("status"),
        "a_t3": F("committee__name_ar"), "a_t4": F("committee__name_fr"), "a_t5": F("responsible__name_ar"),
        "a_t6": F("responsible__name_fr"),
    }  # fmt: skip
    return _rows(decisions, columns)


def _agreement_columns(over, **figures) -> dict:
    return {
        "a_object_id": F("pk"),
        "a_label_ar": F("title_ar"),
        "a_label_fr": F("title_fr"),
        "a_t2": F("reference"),
        **_located(""),
        "a_amount": as_money(over),
        **figures,
    }


def _commitment_rows(agreements: QuerySet, today: date, **_options) -> QuerySet:
    """Agreements whose partners committed more than the total. Computed from the rows, not read from
    the kept figures: what the services refuse comes from a direct edit of the database, which the
    kept figures see only once repaired."""
    rows = money_agreements(Agreement.objects.filter(pk__in=_ids(agreements))).annotate(
        effective=effective_total(), committed=committed_subquery()
    )
    rows = rows.filter(effective__isnull=False, committed__gt=F("effective"))
    return _rows(
        rows, _agreement_columns(F("committed") - F("effective"), a_m1=F("committed"), a_m2=F("effective"))
    )


def _budget_rows(agreements: QuerySet, today: date, **_options) -> QuerySet:
    """Agreements whose project budgets add up to more than the total (a warning), from the rows
    as above."""
    rows = money_agreements(Agreement.objects.filter(pk__in=_ids(agreements))).annotate(
        effective=effective_total(), budget=sum_subquery(Project.objects.all(), "agreement", "budget")
    )
    rows = rows.filter(effective__isnull=False, budget__gt=F("effective"))
    return _rows(
        rows, _agreement_columns(F("budget") - F("effective"), a_m1=F("budget"), a_m2=F("effective"))
    )


ROWS = {
    Kind.MILESTONE_LATE: _milestone_rows,
    Kind.CONTRIBUTION_OVERDUE: _contribution_rows,
    Kind.PROGRESS_STALE: _progress_rows,
    Kind.PROJECT_OVERDUE: _project_rows,
    Kind.DECISION_OVERDUE: _decision_rows,
    Kind.COMMITMENTS_OVER_TOTAL: _commitment_rows,
    Kind.BUDGETS_OVER_TOTAL: _budget_rows,
}


def _severity_sql(kind: str, since: str, today: date) -> tuple[str, list]:
    """The severity of a row of `kind` as SQL: a CASE on how long ago `since` was."""
    if kind in FIXED_SEVERITY:
        return f"'{FIXED_SEVERITY[kind]}'", []
    high, medium = AGES[kind]
    adapt = connection.ops.adapt_datefield_value
    sql = (
        f"CASE WHEN {since} <= %s THEN '{Severity.HIGH}' WHEN {since} <= %s THEN '{Severity.MEDIUM}' "
        f"ELSE '{Severity.LOW}' END"
    )
    params = [adapt(today - timedelta(days=high)), adapt(today - timedelta(days=medium))]
    if kind == Kind.PROGRESS_STALE:  # never updated: medium, whatever its age
        sql = f"CASE WHEN x.a_d1 IS NULL THEN '{Severity.MEDIUM}' ELSE {sql} END"
    return sql, params


def _kept_sql(kinds, agreements: QuerySet) -> tuple[str, list] | None:
    """The kept rows of `kinds` in scope, in the rules' columns: those of the agreements in scope and,
    for decisions on a committee alone, those of the committees that follow one of them."""
    from .models import KeptAlert

    if not kinds:
        return None
    quote = connection.ops.quote_name
    columns = ", ".join(f"k.{quote(name)}" for name in COLUMNS)
    if agreements.query.where:
        scope, params = _kept_scope(kinds, agreements)
        if scope is None:
            return None
    else:
        # The whole portfolio (every role but a secretariat): the kept rows are exactly its alerts,
        # those of the counted agreements and of the decisions of committees following one (what
        # `shiraka figures --verify` proves), so no row needs asking which agreements count. Before,
        # PostgreSQL scanned every kept row against that list for each count (82 to 100 ms at 5,000
        # agreements) and SQLite needed its agreement index set aside.
        scope, params = "1 = 1", []
    if len(kinds) < len(KINDS):
        scope = f"k.{quote('kind')} IN ({', '.join(['%s'] * len(kinds))}) AND {scope}"
        params = [*kinds, *params]
    return f"SELECT {columns} FROM {quote(KeptAlert._meta.db_table)} k WHERE {scope}", params


def _kept_scope(kinds, agreements: QuerySet) -> tuple[str | None, list]:
    """The kept rows of the agreements in scope that count and, for decisions on a committee alone,
    of the committees following one of them; None when the scope has no agreement."""
    ids = _ids(agreements)
    try:
        ids_sql, ids_params = ids.query.sql_with_params()
    except EmptyResultSet:
        return None, []
    quote = connection.ops.quote_name
    agreement = f"k.{quote('agreement_id')}"
    scope = f"{agreement} IN ({ids_sql})"
    params = list(ids_params)
    if Kind.DECISION_OVERDUE in kinds:
        followed = Committee.agreements.through.objects.filter(agreement_id__in=ids).values("committee_id")
        followed_sql, followed_params = followed.query.sql_with_params()
        scope = f"({scope} OR ({agreement} IS NULL AND k.{quote('n1')} IN ({followed_sql})))"
        params += followed_params
    return scope, params


# Rules whose rows take columns from a grouped query joined on the row's object (`pid`): how to join
# (an inner join keeps only the rows it matches) and the columns it gives.
JOINED = {
    Kind.MILESTONE_LATE: (_late_milestones, "JOIN", ("since", "n1")),
    Kind.CONTRIBUTION_OVERDUE: (_contribution_since, "LEFT JOIN", ("since",)),
}


def rule_sql(kind: str, agreements: QuerySet, today: date, options: dict) -> tuple[str, list] | None:
    """One rule's rows in the shared columns, or None when its query can match nothing."""
    rows = ROWS[kind](agreements, today, **options)
    joined, how, given = JOINED.get(kind, (None, "", ()))
    try:
        inner, params = rows.query.sql_with_params()
        join, join_params = joined(agreements, today, **options) if joined else ("", [])
    except EmptyResultSet:
        return None
    params = list(params)
    present = {*rows.query.values_select, *rows.query.annotation_select}
    since = "s.since" if "since" in given else ("x.a_since" if "a_since" in present else "CAST(NULL AS DATE)")
    severity, severity_params = _severity_sql(kind, since, today)
    select = [
        f"'{kind}' AS kind",
        f"{KINDS.index(kind)} AS kind_rank",
        f"{severity} AS severity",
        f"CASE {severity} WHEN '{Severity.HIGH}' THEN 0 WHEN '{Severity.MEDIUM}' THEN 1 ELSE 2 END AS severity_rank",
        f"CASE WHEN {since} IS NULL THEN 1 ELSE 0 END AS since_missing",
    ]
    for name, sql_type in ROW_COLUMNS.items():
        if name == "since":
            select.append(f"{since} AS since")
        elif name in given:
            select.append(f"s.{name} AS {name}")
        elif f"a_{name}" in present:
            select.append(f"x.a_{name} AS {name}")
        else:
            select.append(f"CAST(NULL AS {sql_type}) AS {name}")
    sql = f"SELECT {', '.join(select)} FROM ({inner}) x"
    if join:
        sql += f" {how} ({join}) s ON s.pid = x.a_object_id"
        params += join_params
    return sql, [*severity_params, *severity_params, *params]


# ---------------------------------------------------------------------------------------------
# Rows to alerts: only for the rows fetched.


def as_date(value) -> date | None:
    if isinstance(value, str):  # SQLite returns a date computed in SQL as text
        return date.fromisoformat(value[:10])
    return value


def _money(value) -> Decimal | None:
    return None if value is None else (Decimal(int(value)) / 100).quantize(CENT)


def _alert(row: dict, object_type: str, **values) -> Alert:
    return Alert(
        kind=row["kind"],
        severity=row["severity"],
        object_type=object_type,
        object_id=row["object_id"],
        label_ar=row["label_ar"],
        label_fr=row["label_fr"],
        agreement_id=row["agreement_id"],
        agreement_reference=row["agreement_reference"],
        region_id=row["region_id"],
        province_id=row["province_id"],
        since=as_date(row["since"]),
        **values,
    )


def _project_alert(row: dict, figures: dict, **link) -> Alert:
    """An alert on a project, linked by default to the project's row on its agreement."""
    reference = row["t2"]
    alert = _alert(
        row,
        "project",
        figures={**figures, "project_reference": reference},
        **(link or {"link_fragment": f"project-{reference}"}),
    )
    alert.label_ar, alert.label_fr = alert.label_ar or reference, alert.label_fr or reference
    return alert


def _age(row: dict, today: date, default: int = 0) -> int:
    since = as_date(row["since"])
    return (today - since).days if since else default


def _milestone_alert(row: dict, today: date) -> Alert:
    milestone = row["first_late"]
    return _project_alert(row, {"milestone": milestone, "days": _age(row, today), "late": row["n1"]})


def _contribution_alert(row: dict, today: date) -> Alert:
    figures = {"due": _money(row["m1"]), "transferred": _money(row["m2"]), "committed": _money(row["m3"])}
    return _alert(
        row,
        "partnership",
        amount=_money(row["amount"]),
        figures={**figures, "days": _age(row, today)},
        link_fragment="partners",
    )


def _progress_alert(row: dict, today: date) -> Alert:
    figures = {
        "last": as_date(row["d1"]),
        "days": _age(row, today, STALE_PROGRESS_DAYS),
        "progress": row["n1"],
    }
    return _project_alert(row, figures)


def _project_overdue_alert(row: dict, today: date) -> Alert:
    figures = {"days": _age(row, today), "status": row["t1"], "progress": row["n1"]}
    return _project_alert(row, figures, link_name="web:project", link_arg=row["t2"])


def _decision_alert(row: dict, today: date) -> Alert:
    text = " ".join(row["label_ar"].split())
    short = text if len(text) <= 120 else text[:119] + "…"
    figures = {
        "days": _age(row, today),
        "status": row["t1"],
        "committee_ar": row["t3"],
        "committee_fr": row["t4"],
        "committee_id": row["n1"],
        "responsible_ar": row["t5"],
        "responsible_fr": row["t6"],
    }
    alert = _alert(row, "decision", figures=figures, link_name="web:decision", link_arg=row["object_id"])
    alert.label_ar = alert.label_fr = short
    return alert


def _agreement_alert(row: dict, today: date) -> Alert:
    names = ("committed", "total") if row["kind"] == Kind.COMMITMENTS_OVER_TOTAL else ("budget", "total")
    alert = _alert(
        row,
        "agreement",
        amount=_money(row["amount"]),
        figures={names[0]: _money(row["m1"]), names[1]: _money(row["m2"])},
    )
    alert.label_ar, alert.label_fr = alert.label_ar or row["t2"], alert.label_fr or row["t2"]
    return alert


ALERT_OF_ROW = {
    Kind.MILESTONE_LATE: _milestone_alert,
    Kind.CONTRIBUTION_OVERDUE: _contribution_alert,
    Kind.PROGRESS_STALE: _progress_alert,
    Kind.PROJECT_OVERDUE: _project_overdue_alert,
    Kind.DECISION_OVERDUE: _decision_alert,
    Kind.COMMITMENTS_OVER_TOTAL: _agreement_alert,
    Kind.BUDGETS_OVER_TOTAL: _agreement_alert,
}


# ---------------------------------------------------------------------------------------------
# The list: ordered, filtered, counted and paged in SQL.


class Order:
    BY_KIND = "kind"  # the alerts page, the API, the export: by kind, most serious first in each
    BY_SEVERITY = "severity"  # the command line, the digests, the reports: most serious first


ORDER_SQL = {
    Order.BY_KIND: "kind_rank, severity_rank, since_missing, since, object_id",
    Order.BY_SEVERITY: "severity_rank, kind_rank, since_missing, since, object_id",
}
MAX_PAGE = 1_000_000
FETCH_CHUNK = 2000


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class AlertList:
    """The alerts of `agreements` (already scoped to the reader), computed by the database. Rows are
    narrowed to a `kind` (or `kinds`) and a `severity`; `counts()` covers every kind and severity of the
    scope. `page(number, size)` fetches one page and the counts in one query; slicing fetches the rows
    asked for; iterating streams them. With a `cache_scope`, pages and counts are cached under the
    data version (small entries: no whole list is kept)."""

    def __init__(self, agreements: QuerySet, *, today=None, kind=None, kinds=None, severity=None,
                 order: str = Order.BY_KIND, cache_scope: str | None = None, kept: bool = True,
                 **options):  # fmt: skip
        self.agreements = agreements
        self.today = today or local_today()
        self.kinds = [k for k in KINDS if (not kinds or k in kinds) and (not kind or k == kind)]
        self.severity = severity
        self.order = order
        self.cache_scope = cache_scope
        self.options = options  # committee= (its decisions only), days= (stale progress)
        # Every kind is kept as rows (`followup.kept_alerts`) with the default options: a committee's
        # agenda (`committee=`), another `days=` and `kept=False` (the proof) compute the rules.
        default = (
            options.get("committee") is None
            and options.get("days", STALE_PROGRESS_DAYS) == STALE_PROGRESS_DAYS
        )
        self.kept = kept and default
        self._counts: dict | None = None
        self._fetched: tuple[int, list[Alert]] | None = None
        self._kept_checked = False

    # -- SQL

    def _union(self, kinds) -> tuple[str, list] | None:
        if self.kept:
            part = _kept_sql(kinds, self.agreements)
            if part is not None and not self._kept_checked:
                from .kept_alerts import ensure_kept_alerts

                ensure_kept_alerts(self.today)
                self._kept_checked = True
            return part
        parts = [
            part for kind in kinds if (part := rule_sql(kind, self.agreements, self.today, self.options))
        ]
        if not parts:
            return None
        return " UNION ALL ".join(sql for sql, _params in parts), [
            p for _sql, params in parts for p in params
        ]

    def _where(self) -> tuple[str, list]:
        conditions, params = [], []
        if len(self.kinds) < len(KINDS):
            conditions.append(f"u.kind IN ({', '.join(['%s'] * len(self.kinds))})" if self.kinds else "1 = 0")
            params += self.kinds
        if self.severity is not None:
            conditions.append("u.severity = %s")
            params.append(str(self.severity))
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), params

    def _query(self, sql: str, params: list) -> list[dict]:
        if self.kept:  # plain reads of kept rows (a transaction would take SQLite's write lock)
            return _fetch(sql, params)
        # PostgreSQL would JIT-compile the rules (its cost estimate counts every correlated sum): at
        # 5,000 agreements compiling took 37 s of a 42 s run, executing 5 s. Off for this query only.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
            return _fetch(sql, params)

    def _alerts(self, rows) -> list[Alert]:
        return [ALERT_OF_ROW[row["kind"]](row, self.today) for row in rows]

    def _page_and_counts(self, offset: int, limit: int) -> tuple[list[Alert], dict]:
        """Rows [offset, offset + limit) and the counts by kind and severity: from kept rows, two
        queries (the page read off the index in the alerts' order); computed, one query, the rules
        computed once (a WITH the two halves read)."""
        if self.kept:
            return self._slice(offset, limit), self._counted()
        union = self._union(KINDS)
        if union is None:
            return [], {}
        where, where_params = self._where()
        padding = ", ".join(["NULL"] * (len(COLUMNS) - 3))
        first = _first_late_milestone(self.today)
        sql = (
            f"WITH u AS ({union[0]}) "
            f"SELECT p.*, {first[0]} AS first_late FROM (SELECT 0 AS part, 0 AS n, u.* FROM u{where} "
            f"ORDER BY {ORDER_SQL[self.order]} LIMIT %s OFFSET %s) p "
            f"UNION ALL SELECT 1, COUNT(*), u.kind, NULL, u.severity, {padding}, NULL FROM u GROUP BY u.kind, u.severity "
            f"ORDER BY part, {ORDER_SQL[self.order]}"
        )
        rows = self._query(sql, [*union[1], *first[1], *where_params, limit, offset])
        counts = {(row["kind"], row["severity"]): row["n"] for row in rows if row["part"] == 1}
        return self._alerts(row for row in rows if row["part"] == 0), counts

    def _counted(self) -> dict:
        union = self._union(KINDS)
        if union is None:
            return {}
        if self.kept and not self.agreements.query.where:
            # The whole portfolio: the counts kept per agreement, summed by region (see there).
            from .kept_alerts import portfolio_counts

            return portfolio_counts(self.today)
        sql = f"SELECT u.kind, u.severity, COUNT(*) AS n FROM ({union[0]}) u GROUP BY u.kind, u.severity"
        return {(row["kind"], row["severity"]): row["n"] for row in self._query(sql, union[1])}

    def _cached(self, name: str, compute):
        if self.cache_scope is None:
            return compute()
        from shiraka.core.cache import cached_figures

        key = (
            f"{self.cache_scope}|{self.kinds}|{self.severity}|{self.order}|{self.options}|{self.today}|{name}"
        )
        return cached_figures("alerts", key, compute)

    # -- reading

    def fetch(self, offset: int, limit: int) -> list[Alert]:
        """The rows [offset, offset + limit), with the counts when not known yet (one query)."""
        if self._counts is None:
            rows, self._counts = self._cached(
                f"{offset}:{limit}", lambda: self._page_and_counts(offset, limit)
            )
        else:
            rows = self._cached(f"{offset}:{limit}:rows", lambda: self._slice(offset, limit))
        self._fetched = (offset, rows)
        return rows

    def _slice(self, offset: int, limit: int | None) -> list[Alert]:
        union = self._union(self.kinds)
        if union is None:
            return []
        where, params = self._where()
        first = _first_late_milestone(self.today)
        sql = (
            f"SELECT p.*, {first[0]} AS first_late FROM (SELECT u.* FROM ({union[0]}) u{where} "
            f"ORDER BY {ORDER_SQL[self.order]} LIMIT %s OFFSET %s) p ORDER BY {ORDER_SQL[self.order]}"
        )
        limit = 2**62 if limit is None else limit
        return self._alerts(self._query(sql, [*first[1], *union[1], *params, limit, offset]))

    def rows(self) -> list[dict]:
        """Every row the filters keep, as the database gives it (the kept alerts' proof)."""
        union = self._union(self.kinds)
        if union is None:
            return []
        where, params = self._where()
        return self._query(f"SELECT u.* FROM ({union[0]}) u{where}", [*union[1], *params])

    def counts(self) -> dict[tuple[str, str], int]:
        """How many alerts of each (kind, severity) the scope has, whatever the filters."""
        if self._counts is None:
            self._counts = self._cached("counts", self._counted)
        return self._counts

    def by_kind(self) -> dict[str, int]:
        counts = self.counts()
        return {kind: sum(n for (k, _s), n in counts.items() if k == kind) for kind in KINDS}

    def most_common_kinds(self) -> list[tuple[str, int]]:
        """(kind label, count), the most frequent first; kinds as frequent in the order they first
        appear by severity (the kind's most serious alert, then the kinds' order): `Counter.most_common`
        over the list most serious first, without the list."""
        counts = {(k, s): n for (k, s), n in self.counts().items() if n}
        seen = sorted(
            {k for k, _s in counts},
            key=lambda kind: (min(SEVERITY_RANK[s] for k, s in counts if k == kind), KINDS.index(kind)),
        )
        by_kind = self.by_kind()
        return sorted(((str(KIND_LABELS[kind]), by_kind[kind]) for kind in seen), key=lambda item: -item[1])

    def total(self) -> int:
        """Every alert of the scope, whatever the filters."""
        return sum(self.counts().values())

    def count(self) -> int:
        """The alerts the filters keep."""
        return sum(n for (k, s), n in self.counts().items() if k in self.kinds and self.severity in (None, s))

    def page(self, number, size: int):
        """Page `number` (1 when not a number, the last when past the end) of `size` alerts."""
        try:
            wanted = min(max(int(number), 1), MAX_PAGE)
        except (TypeError, ValueError):
            wanted = 1
        self.fetch((wanted - 1) * size, size)
        return Paginator(self, size).get_page(number)

    def __getitem__(self, index):
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if stop is not None and stop <= start:
            return []
        if self._fetched is not None and stop is not None:
            offset, rows = self._fetched
            if offset <= start and stop <= offset + len(rows):
                return rows[start - offset : stop - offset]
        return self._slice(start, None) if stop is None else self.fetch(start, stop - start)

    def all(self) -> list[Alert]:
        """Every alert the filters keep, in order (the command line, the digests, the exports)."""
        return self._slice(0, None)

    def __iter__(self):
        return iter(self.all())

    def __len__(self) -> int:
        return self.count()


# ---------------------------------------------------------------------------------------------
# Each rule alone, as a list (the committee agenda), and all of them (the command line, the digests).


def _rule(kind: str):
    def rule(agreements: QuerySet, *, today: date | None = None, **options) -> list[Alert]:
        return AlertList(agreements, today=today, kind=kind, order=Order.BY_SEVERITY, **options).all()

    rule.__name__ = rule.__qualname__ = f"alerts_{kind}"
    return rule


milestones_late = _rule(Kind.MILESTONE_LATE)
contributions_overdue = _rule(Kind.CONTRIBUTION_OVERDUE)
progress_stale = _rule(Kind.PROGRESS_STALE)
projects_overdue = _rule(Kind.PROJECT_OVERDUE)
decisions_overdue = _rule(Kind.DECISION_OVERDUE)  # committee=: that committee's decisions only
commitments_over_total = _rule(Kind.COMMITMENTS_OVER_TOTAL)
budgets_over_total = _rule(Kind.BUDGETS_OVER_TOTAL)

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
    """Every alert (of `kinds`, when given) of `agreements`, most serious first. One query."""
    return AlertList(agreements, today=today, kinds=kinds, order=Order.BY_SEVERITY).all()


__all__ = [
    "Alert",
    "AlertList",
    "KINDS",
    "KIND_LABELS",
    "Kind",
    "Order",
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
