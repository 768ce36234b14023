"""The supervision and follow-up committees, their meetings and decisions, and the alerts: internal,
read by members of an organisation only (anonymous callers get empty lists and 404s, as on the pages)."""

from ninja import Query, Router

from shiraka.accounts.access import followed_agreements, followed_scope_key, visible_committees
from shiraka.followup.alerts import KINDS
from shiraka.followup.models import Decision, Meeting
from shiraka.followup.selectors import sorted_alerts
from shiraka.territory.models import Province, Region

from ..auth import caller
from ..errors import found
from ..paging import Paging, PlaceFilter, choice, one_of_names, paginate
from ..schemas import AlertOut, CommitteeOut, DecisionOut, MeetingOut
from .common import RecordId, read
from .rows import fields_of

router = Router(tags=["follow-up"])


def committee_row(committee) -> dict:
    return fields_of(committee, "name_ar", "name_fr", "kind", "region_id", "province_id") | {
        "agreements": [agreement.reference for agreement in committee.agreements.all()]
    }


def meeting_row(meeting) -> dict:
    return fields_of(meeting, "committee_id", "held_on", "place", "agenda", "minutes")


def decision_row(decision) -> dict:
    names = ("committee_id", "meeting_id", "text", "responsible_id", "due_on", "status", "closed_on")
    return fields_of(decision, *names) | {
        "agreement": decision.agreement.reference if decision.agreement_id else None,
        "project": decision.project.reference if decision.project_id else None,
    }


@read(router, "/committees", CommitteeOut, many=True)
def committees(request, query: Query[PlaceFilter]):
    rows = visible_committees(caller(request)).prefetch_related("agreements")
    if query.region:
        rows = rows.filter(region_id=query.region)
    if query.province:
        rows = rows.filter(province_id=query.province)
    return paginate(rows.order_by("pk"), query, committee_row)


def visible_committee(request, pk: int):
    """The committee, 404 unless the caller sees it."""
    return found(visible_committees(caller(request)).filter(pk=pk))


def of_visible_committees(request, model):
    """The meetings or decisions (`model`) of the committees the caller sees."""
    return model.objects.filter(committee__in=visible_committees(caller(request)))


@read(router, "/committees/{pk}", CommitteeOut)
def committee(request, pk: int = RecordId):
    return committee_row(visible_committee(request, pk))


@read(router, "/committees/{pk}/meetings", MeetingOut, many=True)
def meetings(request, query: Query[Paging], pk: int = RecordId):
    committee_id = visible_committee(request, pk).pk
    rows = Meeting.objects.filter(committee_id=committee_id).order_by("-held_on", "-pk")
    return paginate(rows, query, meeting_row)


class DecisionQuery(Paging):
    status: choice(Decision.Status) | None = None


@read(router, "/committees/{pk}/decisions", DecisionOut, many=True)
def decisions(request, query: Query[DecisionQuery], pk: int = RecordId):
    committee_id = visible_committee(request, pk).pk
    rows = Decision.objects.filter(committee_id=committee_id).select_related("agreement", "project")
    if query.status:
        rows = rows.filter(status=query.status)
    return paginate(rows.order_by("due_on", "pk"), query, decision_row)


@read(router, "/meetings/{pk}", MeetingOut)
def meeting(request, pk: int = RecordId):
    return meeting_row(found(of_visible_committees(request, Meeting).filter(pk=pk)))


@read(router, "/decisions/{pk}", DecisionOut)
def decision(request, pk: int = RecordId):
    rows = of_visible_committees(request, Decision).select_related("agreement", "project")
    return decision_row(found(rows.filter(pk=pk)))


class AlertQuery(PlaceFilter):
    kind: str | None = one_of_names(KINDS)


ALERT_FIELDS = (
    "kind",
    "severity",
    "object_type",
    "object_id",
    "label",
    "region_id",
    "province_id",
    "since",
    "amount",
)


def alert_row(alert) -> dict:
    return {name: getattr(alert, name) for name in ALERT_FIELDS} | {"agreement": alert.agreement_reference}


@read(router, "/alerts", AlertOut, many=True)
def alerts(request, query: Query[AlertQuery]):
    """The alerts of the agreements the caller follows, as on the alerts page (none for the public)."""
    user = caller(request)
    region = Region.objects.filter(pk=query.region).first() if query.region else None
    province = Province.objects.filter(pk=query.province).first() if query.province else None
    if (query.region and region is None) or (query.province and province is None):
        return paginate([], query)
    shown = sorted_alerts(
        followed_agreements(user),
        region=region,
        province=province,
        scope=followed_scope_key(user),
        kind=query.kind or None,
    )
    return paginate(shown, query, alert_row)  # one query: the rows asked for and the counts
