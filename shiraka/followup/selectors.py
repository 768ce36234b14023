"""Reads of the follow-up: alerts over an already-scoped set of agreements (the reader's scope comes
from `shiraka.accounts.access.followed_agreements`), committees with their figures, and the agenda a
meeting starts from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from shiraka.agreements.models import Agreement
from shiraka.core.querying import KeysFirst, count_subquery, prepared_rows
from shiraka.core.rules import today as local_today
from shiraka.territory.models import Province, Region

from . import alerts as rules
from .alerts import Alert, AlertList, Kind, Order
from .models import Committee, Decision, Meeting

# ---------------------------------------------------------------------------------------------
# Alerts


def agreements_in_territory(
    agreements: QuerySet, *, region=None, province=None, agreement_ids=None
) -> QuerySet:
    if region is not None:
        region_id = getattr(region, "pk", region)
        agreements = agreements.filter(Q(region_id=region_id) | Q(province__region_id=region_id))
    if province is not None:
        agreements = agreements.filter(province_id=getattr(province, "pk", province))
    if agreement_ids is not None:
        agreements = agreements.filter(pk__in=agreement_ids)
    return agreements


def alert_list(
    agreements: QuerySet | None = None,
    *,
    today: date | None = None,
    region=None,
    province=None,
    agreement_ids=None,
    kinds=None,
) -> list[Alert]:
    """The alerts of `agreements` (every agreement when None, as for the CLI), narrowed to a region,
    a province, some agreements or some kinds; most serious first. One query."""
    return alerts_in(
        agreements, today=today, region=region, province=province, agreement_ids=agreement_ids, kinds=kinds,
        order=Order.BY_SEVERITY,
    ).all()  # fmt: skip


def alerts_in(
    agreements: QuerySet | None = None, *, region=None, province=None, agreement_ids=None, **options
) -> AlertList:
    """The alerts of `agreements` narrowed to a territory or some agreements, computed by the database:
    slice it, iterate it, or ask it for a `page(number, size)`, its `count()` and `counts()`."""
    agreements = Agreement.objects.all() if agreements is None else agreements
    agreements = agreements_in_territory(
        agreements, region=region, province=province, agreement_ids=agreement_ids
    )
    return AlertList(agreements, **options)


def sorted_alerts(
    agreements: QuerySet, *, region=None, province=None, scope: str, kind=None, severity=None
) -> AlertList:
    """The alerts of `agreements` by kind, most serious first in each (the alerts page, the API, the
    export), narrowed to a `kind` or a `severity`; `scope` names the reader's followed agreements for
    the cache (pages and counts of one scope are cached under the data version, a page at a time)."""
    key = f"{scope}:{getattr(region, 'pk', region)}:{getattr(province, 'pk', province)}"
    return alerts_in(
        agreements, region=region, province=province, kind=kind, severity=severity, order=Order.BY_KIND,
        cache_scope=key,
    )  # fmt: skip


def alerts_by_kind(alerts: list[Alert]) -> dict[str, list[Alert]]:
    grouped: dict[str, list[Alert]] = {kind: [] for kind in rules.KINDS}
    for alert in alerts:
        grouped[alert.kind].append(alert)
    return grouped


# ---------------------------------------------------------------------------------------------
# Committees


def agreement_committees(agreement: Agreement) -> list[Committee]:
    """The committees that follow an agreement, with their chair (its page lists them)."""
    return prepared_rows(
        "agreement-committees",
        lambda pk: Committee.objects.filter(agreements__id=pk).select_related("chair"),
        agreement.pk,
    )


def committees_with_counts(queryset: QuerySet | None = None, *, today: date | None = None) -> QuerySet:
    """Committees with their number of agreements, meetings, open and overdue decisions. One query,
    with an indexed count per committee."""
    today = today or local_today()
    queryset = queryset if queryset is not None else Committee.objects.all()
    open_statuses = [Decision.Status.OPEN, Decision.Status.IN_PROGRESS]
    open_decisions = Decision.objects.filter(status__in=open_statuses)
    return queryset.select_related("region", "province", "chair").annotate(
        agreement_count=count_subquery(Committee.agreements.through.objects.all(), "committee"),
        meeting_count=count_subquery(Meeting.objects.all(), "committee"),
        open_decisions=count_subquery(open_decisions, "committee"),
        overdue_decisions=count_subquery(open_decisions.filter(due_on__lt=today), "committee"),
    )


COMMITTEE_ORDER = ("province__code", "region__code", "name_fr", "pk")


def committee_page_rows(queryset: QuerySet) -> KeysFirst:
    """The committees of `queryset` in the list's order (by province, region, name), a page at a time
    with their counts (`committees_with_counts`), the page chosen before the counts are made."""
    return KeysFirst(queryset.order_by(*COMMITTEE_ORDER), committees_with_counts)


def committee_detail(committee: Committee) -> dict:
    """Everything the committee page shows, in a fixed number of queries."""
    return {
        "members": list(committee.members.select_related("organisation", "person").order_by("pk")),
        "agreements": list(committee.agreements.select_related("region", "province").order_by("reference")),
        "meetings": list(
            committee.meetings.annotate(
                present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
                decision_count=Count("decisions", distinct=True),
            ).order_by("-held_on", "-pk")
        ),
        "decisions": list(
            committee.decisions.select_related("responsible", "agreement", "project", "meeting").order_by(
                "due_on", "pk"
            )
        ),
    }


def organisations_for(committee: Committee) -> QuerySet:
    """Organisations that may sit on or answer for a committee: partners of its agreements, bodies of
    its territory, national bodies, and its current members."""
    from shiraka.organisations.models import Organisation

    condition = (
        Q(partnerships__agreement__committees=committee)
        | Q(region__isnull=True, province__isnull=True, commune__isnull=True)
        | Q(committeemember__committee=committee)
    )
    if committee.province_id:
        condition |= Q(province_id=committee.province_id, commune__isnull=True)
    if committee.region_id:
        condition |= Q(region_id=committee.region_id, province__isnull=True, commune__isnull=True)
    ids = Organisation.objects.filter(condition).values("pk")
    return Organisation.objects.filter(pk__in=ids)


def meeting_detail(meeting: Meeting) -> dict:
    return {
        "attendance": list(meeting.attendance.select_related("organisation", "person").order_by("pk")),
        "decisions": list(
            meeting.decisions.select_related("responsible", "agreement", "project").order_by("due_on", "pk")
        ),
    }


# ---------------------------------------------------------------------------------------------
# Agenda


@dataclass
class AgendaItem:
    title: str
    lines: list[str] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


@dataclass
class Agenda:
    items: list[AgendaItem]

    @property
    def alerts(self) -> list[Alert]:
        return [alert for item in self.items for alert in item.alerts]

    @property
    def text(self) -> str:
        blocks = []
        for number, item in enumerate(self.items, start=1):
            lines = [f"{number}. {item.title}"] + [f"   - {line}" for line in item.lines]
            blocks.append("\n".join(lines))
        return "\n".join(blocks)


def _agenda_alerts(committee: Committee, today: date) -> tuple[list, list, list, list]:
    """The committee's open alerts in the agenda's four groups, each most serious first."""
    agreements = Agreement.objects.filter(committees=committee)
    groups = (
        rules.milestones_late(agreements, today=today)
        + rules.projects_overdue(agreements, today=today)
        + rules.progress_stale(agreements, today=today),
        rules.contributions_overdue(agreements, today=today),
        rules.decisions_overdue(agreements, today=today, committee=committee),
        rules.commitments_over_total(agreements, today=today)
        + rules.budgets_over_total(agreements, today=today),
    )
    for group in groups:
        group.sort(key=Alert.sort_key)
    return groups


def agenda_build(committee: Committee, *, today: date | None = None) -> Agenda:
    """The agenda a meeting of `committee` starts from: its open alerts on the agreements it follows
    (late projects, partners in arrears, overdue decisions), in the active language."""
    today = today or local_today()
    late_projects, arrears, decisions, inconsistencies = _agenda_alerts(committee, today)

    items = []
    previous = committee.meetings.filter(held_on__lt=today).order_by("-held_on").first()
    if previous is not None:
        items.append(
            AgendaItem(
                _("Approval of the minutes of the meeting of %(date)s")
                % {"date": previous.held_on.isoformat()}
            )
        )
    if late_projects:
        # One line per project, its late milestone and its stale progress together.
        by_project: dict[int, list[Alert]] = {}
        for alert in late_projects:
            by_project.setdefault(alert.object_id, []).append(alert)
        items.append(
            AgendaItem(
                _("Projects behind schedule"),
                lines=[" ".join(a.reason for a in group) for group in by_project.values()],
                alerts=late_projects,
            )
        )
    if arrears:
        items.append(
            AgendaItem(
                _("Partner contributions in arrears"), lines=[a.reason for a in arrears], alerts=arrears
            )
        )
    if decisions:
        items.append(
            AgendaItem(
                _("Follow-up of overdue decisions"), lines=[a.reason for a in decisions], alerts=decisions
            )
        )
    if inconsistencies:
        items.append(
            AgendaItem(
                _("Financial consistency of the agreements"),
                lines=[a.reason for a in inconsistencies],
                alerts=inconsistencies,
            )
        )
    items.append(AgendaItem(_("Any other business")))
    return Agenda(items=items)


def committee_open_alert_count(committee: Committee, *, today: date | None = None) -> int:
    return len(agenda_build(committee, today=today).alerts)


def region_choices() -> QuerySet:
    return Region.objects.order_by("code")


def province_choices(region=None) -> QuerySet:
    provinces = Province.objects.select_related("region").order_by("code")
    if region is not None:
        provinces = provinces.filter(region=region)
    return provinces


__all__ = [
    "Agenda",
    "AgendaItem",
    "Kind",
    "agenda_build",
    "agreements_in_territory",
    "alert_list",
    "alerts_by_kind",
    "alerts_in",
    "sorted_alerts",
    "committee_detail",
    "committee_page_rows",
    "committees_with_counts",
    "meeting_detail",
    "organisations_for",
]
