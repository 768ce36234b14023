"""Partners, their commitments, schedules and transfers: what a secretariat records and what a partner's
focal point sends from its accounting (transfers of its own organisation only)."""

from ninja import Query, Router, Status

from shiraka.accounts.access import (
    access_agreement,
    access_contribution,
    access_partnership,
    access_transfer,
    visible_agreements,
)
from shiraka.agreements import services
from shiraka.agreements.models import Partnership, ScheduledContribution, Transfer
from shiraka.organisations.models import Organisation
from shiraka.portfolio.selectors import partnerships_with_kept_figures

from ..auth import caller, write_token
from ..errors import found
from ..inputs import (
    CancelIn,
    ContributionIn,
    ContributionPatch,
    PartnershipIn,
    PartnershipPatch,
    TransferIn,
    no_nul,
    one_of,
)
from ..paging import Paging, paginate
from ..schemas import ContributionOut, PartnershipOut, TransferOut, answers
from .common import RecordId, patch, read
from .rows import contribution_row, partnership_row, transfer_row

router = Router(tags=["partners and money"])


def visible_partnerships(user):
    return partnerships_with_kept_figures(
        Partnership.objects.filter(agreement__in=visible_agreements(user)).select_related(
            "agreement", "organisation"
        )
    )


def partnership_read(user, pk: int) -> dict:
    return partnership_row(found(visible_partnerships(user).filter(pk=pk)))


@read(router, "/agreements/{reference}/partnerships", PartnershipOut, many=True)
def agreement_partnerships(request, reference: str, query: Query[Paging]):
    user = caller(request)
    agreement = access_agreement(user, reference[:60])
    rows = visible_partnerships(user).filter(agreement=agreement).order_by("pk")
    return paginate(rows, query, partnership_row)


@read(router, "/partnerships/{pk}", PartnershipOut)
def partnership(request, pk: int = RecordId):
    return partnership_read(caller(request), pk)


@router.post(
    "/agreements/{reference}/partnerships",
    response=answers(PartnershipOut, 201, write=True),
    auth=write_token,
)
def partnership_create(request, reference: str, payload: PartnershipIn):
    """Add a partner with its commitment (None when the agreement does not state it)."""
    user = request.auth
    agreement = access_agreement(user, reference[:60], write=True)
    values = no_nul(payload.dict())
    values["organisation"] = one_of(Organisation, values["organisation"], "organisation")
    created = services.partnership_commit(agreement=agreement, by=user, **values)
    return Status(201, partnership_read(user, created.pk))


@router.patch("/partnerships/{pk}", response=answers(PartnershipOut, write=True), auth=write_token)
def partnership_update(request, payload: PartnershipPatch, pk: int = RecordId):
    patch(request, payload, access_partnership, services.partnership_update, pk)
    return partnership_read(request.auth, pk)


# --- schedule ----------------------------------------------------------------------------------------


@read(router, "/partnerships/{pk}/schedule", ContributionOut, many=True)
def partnership_schedule(request, query: Query[Paging], pk: int = RecordId):
    user = caller(request)
    partnership_id = found(visible_partnerships(user).filter(pk=pk)).pk
    rows = ScheduledContribution.objects.filter(partnership_id=partnership_id).order_by("due_on", "pk")
    return paginate(rows, query, contribution_row)


@router.post(
    "/partnerships/{pk}/schedule", response=answers(ContributionOut, 201, write=True), auth=write_token
)
def contribution_create(request, payload: ContributionIn, pk: int = RecordId):
    """Schedule a contribution; the schedule stays within the partner's commitment."""
    user = request.auth
    record = access_partnership(user, pk)
    created = services.contribution_schedule(partnership=record, by=user, **no_nul(payload.dict()))
    return Status(201, contribution_row(created))


@router.patch("/schedule/{pk}", response=answers(ContributionOut, write=True), auth=write_token)
def contribution_update(request, payload: ContributionPatch, pk: int = RecordId):
    return contribution_row(patch(request, payload, access_contribution, services.contribution_update, pk))


# --- transfers ---------------------------------------------------------------------------------------


def visible_transfers(user):
    return Transfer.objects.filter(partnership__agreement__in=visible_agreements(user)).select_related(
        "partnership", "partnership__agreement"
    )


@read(router, "/agreements/{reference}/transfers", TransferOut, many=True)
def agreement_transfers(request, reference: str, query: Query[Paging]):
    """Every transfer of the agreement, cancelled ones included (they count in no figure)."""
    user = caller(request)
    agreement = access_agreement(user, reference[:60])
    rows = visible_transfers(user).filter(partnership__agreement=agreement).order_by("transferred_on", "pk")
    return paginate(rows, query, lambda row: transfer_row(row, user))


@read(router, "/transfers/{pk}", TransferOut)
def transfer(request, pk: int = RecordId):
    user = caller(request)
    return transfer_row(found(visible_transfers(user).filter(pk=pk)), user)


@router.post("/partnerships/{pk}/transfers", response=answers(TransferOut, 201, write=True), auth=write_token)
def transfer_create(request, payload: TransferIn, pk: int = RecordId):
    """Record a transfer: the agreement's keepers, or the focal point of the paying organisation."""
    user = request.auth
    record = access_partnership(user, pk, transfer=True)
    created = services.transfer_record(partnership=record, by=user, **no_nul(payload.dict()))
    return Status(201, transfer_row(created, user))


@router.post("/transfers/{pk}/cancel", response=answers(TransferOut, write=True), auth=write_token)
def transfer_cancel(request, payload: CancelIn, pk: int = RecordId):
    """A transfer recorded by mistake is cancelled with a reason, never deleted."""
    user = request.auth
    record = access_transfer(user, pk)
    cancelled = services.transfer_cancel(
        record, reason=payload.reason, expected_version=payload.version, by=user
    )
    return transfer_row(cancelled, user)
