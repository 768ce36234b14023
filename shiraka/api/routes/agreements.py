"""Agreements: lists with the pages' filters and figures, detail with signatories and partners, and the
secretariat's writes (create, edit, status)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from ninja import Query, Router, Status
from pydantic import Field

from shiraka.accounts.access import (
    access_agreement,
    check_agreement_scope,
    is_creator,
    visible_agreements,
)
from shiraka.agreements import services
from shiraka.agreements.models import Agreement, Programme
from shiraka.agreements.selectors import (
    AGREEMENT_SORTS,
    AgreementFilters,
    agreement_search,
)
from shiraka.portfolio.selectors import (
    agreement_page_rows,
    agreements_with_figures,
    partnerships_with_kept_figures,
)
from shiraka.territory.models import Province, Region

from ..auth import caller, write_token
from ..inputs import AgreementIn, AgreementPatch, StatusIn, by_reference, changes, no_nul, one_of
from ..paging import PlaceFilter, choice, list_filters, one_of_names, paginate, record_id, words
from ..schemas import AgreementDetailOut, AgreementOut, answers
from .common import read
from .rows import agreement_row, partnership_row, signatory_row

router = Router(tags=["agreements"])


class AgreementQuery(PlaceFilter):
    q: str = words("Words of the reference, title, object or partners.")
    programme: int | None = record_id()
    kind: choice(Agreement.Kind) | None = None
    status: choice(Agreement.Status) | None = None
    partner: int | None = record_id(description="Organisation id of a partner.")
    year: int | None = Field(None, ge=1950, le=2100, description="Year of signing.")
    sort: str = one_of_names(AGREEMENT_SORTS, "-signed")


@read(router, "/agreements", AgreementOut, many=True)
def agreements(request, query: Query[AgreementQuery]):
    """The agreements the caller may see, filtered and sorted as on the agreements page."""
    filters = list_filters(query, AgreementFilters, choices=("kind", "status"))
    rows = agreement_page_rows(agreement_search(visible_agreements(caller(request)), filters), filters.sort)
    return paginate(rows.select_related("parent"), query, agreement_row)


def agreement_detail(user, agreement: Agreement) -> dict:
    with_figures = agreements_with_figures(Agreement.objects.filter(pk=agreement.pk)).get()
    partnerships = partnerships_with_kept_figures(
        agreement.partnerships.select_related("organisation").order_by("pk")
    )
    signatories = agreement.signatories.select_related("person").order_by("position", "pk")
    return {
        **agreement_row(with_figures, parent=agreement.parent),
        "object_ar": agreement.object_ar,
        "object_fr": agreement.object_fr,
        "signed_place": agreement.signed_place,
        "status_reason": agreement.status_reason,
        "source_url": agreement.source_url,
        "signatories": [signatory_row(signatory) for signatory in signatories],
        "partnerships": [partnership_row(partnership) for partnership in partnerships],
    }


@read(router, "/agreements/{reference}", AgreementDetailOut)
def agreement(request, reference: str):
    user = caller(request)
    return agreement_detail(user, access_agreement(user, reference[:60]))


def agreement_links(values: dict) -> dict:
    """Identifiers of the body turned into the records the services take (422 for an unknown one)."""
    links = {"programme": Programme, "region": Region, "province": Province}
    for name, model in links.items():
        if name in values:
            values[name] = one_of(model, values[name], name)
    if values.get("parent") is not None:
        values["parent"] = by_reference(Agreement, values["parent"], "parent")
    return values


@router.post("/agreements", response=answers(AgreementDetailOut, 201, write=True), auth=write_token)
def agreement_create(request, payload: AgreementIn):
    """Register an agreement (administrators, and secretariats within their territory or programme)."""
    user = request.auth
    if not is_creator(user):
        raise PermissionDenied
    values = agreement_links(no_nul(payload.dict()))
    with transaction.atomic():
        check_agreement_scope(user, values)
        created = services.agreement_create(by=user, **values)
    return Status(201, agreement_detail(user, created))


@router.patch("/agreements/{reference}", response=answers(AgreementDetailOut, write=True), auth=write_token)
def agreement_update(request, reference: str, payload: AgreementPatch):
    """Change some fields; `version` must be the one read (409 if someone saved since)."""
    user = request.auth
    record = access_agreement(user, reference[:60], write=True)
    values, version = changes(payload)
    values = agreement_links(values)
    with transaction.atomic():
        scope = {
            name: values.get(name, getattr(record, name)) for name in ("region", "province", "programme")
        }
        check_agreement_scope(user, {**scope, "parent": values.get("parent")})
        updated = services.agreement_update(record, expected_version=version, by=user, **values)
    return agreement_detail(user, updated)


@router.post(
    "/agreements/{reference}/status", response=answers(AgreementDetailOut, write=True), auth=write_token
)
def agreement_status(request, reference: str, payload: StatusIn):
    """Move the agreement along its status path (a suspension or cancellation needs a reason)."""
    user = request.auth
    record = access_agreement(user, reference[:60], write=True)
    updated = services.agreement_set_status(
        record, status=payload.status, reason=payload.reason, expected_version=payload.version, by=user
    )
    return agreement_detail(user, updated)
