"""Territories, organisations and programmes: the reference the other objects point to."""

from django.db.models import Q
from ninja import Path, Query, Router
from pydantic import Field

from shiraka.agreements.models import Programme
from shiraka.organisations.models import Organisation
from shiraka.territory.models import Commune, Province, Region

from ..auth import OPTIONAL_TOKEN
from ..errors import found
from ..paging import MAX_ID, Paging, choice, paginate
from ..schemas import CommuneOut, OrganisationOut, ProgrammeOut, ProvinceOut, RegionOut, answers, page_schema

router = Router(tags=["reference"])


class NameSearch(Paging):
    q: str = Field("", max_length=200, description="Part of the Arabic or French name.")


def by_name(queryset, q: str):
    q = q.replace("\x00", "").strip()
    if not q:
        return queryset
    return queryset.filter(Q(name_ar__icontains=q) | Q(name_fr__icontains=q))


class ProvinceQuery(NameSearch):
    region: int | None = Field(None, ge=1, le=MAX_ID)


class CommuneQuery(NameSearch):
    province: int | None = Field(None, ge=1, le=MAX_ID)


class OrganisationQuery(NameSearch):
    kind: choice(Organisation.Kind) | None = None


class ProgrammeQuery(NameSearch):
    kind: choice(Programme.Kind) | None = None


@router.get("/regions", response=answers(page_schema(RegionOut)), openapi_extra=OPTIONAL_TOKEN)
def regions(request, query: Query[NameSearch]):
    return paginate(by_name(Region.objects.order_by("code"), query.q), query)


@router.get("/regions/{code}", response=answers(RegionOut), openapi_extra=OPTIONAL_TOKEN)
def region(request, code: str):
    return found(Region.objects.filter(code=code[:10]))


@router.get("/provinces", response=answers(page_schema(ProvinceOut)), openapi_extra=OPTIONAL_TOKEN)
def provinces(request, query: Query[ProvinceQuery]):
    rows = by_name(Province.objects.order_by("code"), query.q)
    if query.region:
        rows = rows.filter(region_id=query.region)
    return paginate(rows, query)


@router.get("/provinces/{code}", response=answers(ProvinceOut), openapi_extra=OPTIONAL_TOKEN)
def province(request, code: str):
    return found(Province.objects.filter(code=code[:10]))


@router.get("/communes", response=answers(page_schema(CommuneOut)), openapi_extra=OPTIONAL_TOKEN)
def communes(request, query: Query[CommuneQuery]):
    rows = by_name(Commune.objects.order_by("code"), query.q)
    if query.province:
        rows = rows.filter(province_id=query.province)
    return paginate(rows, query)


@router.get("/communes/{code}", response=answers(CommuneOut), openapi_extra=OPTIONAL_TOKEN)
def commune(request, code: str):
    return found(Commune.objects.filter(code=code[:20]))


@router.get("/organisations", response=answers(page_schema(OrganisationOut)), openapi_extra=OPTIONAL_TOKEN)
def organisations(request, query: Query[OrganisationQuery]):
    rows = by_name(Organisation.objects.order_by("pk"), query.q)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    return paginate(rows, query)


@router.get("/organisations/{pk}", response=answers(OrganisationOut), openapi_extra=OPTIONAL_TOKEN)
def organisation(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return found(Organisation.objects.filter(pk=pk))


@router.get("/programmes", response=answers(page_schema(ProgrammeOut)), openapi_extra=OPTIONAL_TOKEN)
def programmes(request, query: Query[ProgrammeQuery]):
    rows = by_name(Programme.objects.order_by("code"), query.q)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    return paginate(rows, query)


@router.get("/programmes/{code}", response=answers(ProgrammeOut), openapi_extra=OPTIONAL_TOKEN)
def programme(request, code: str):
    return found(Programme.objects.filter(code=code[:80]))
