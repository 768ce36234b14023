"""Territories, organisations and programmes: the reference the other objects point to."""

from django.db.models import Q
from ninja import Path, Query, Router

from shiraka.agreements.models import Programme
from shiraka.core.querying import MAX_ID, filter_given
from shiraka.organisations.models import Organisation
from shiraka.territory.models import Commune, Province, Region

from ..errors import found
from ..paging import Paging, choice, paginate, record_id, words
from ..schemas import CommuneOut, OrganisationOut, ProgrammeOut, ProvinceOut, RegionOut
from .common import read

router = Router(tags=["reference"])


class NameSearch(Paging):
    q: str = words("Part of the Arabic or French name.")


def by_name(queryset, q: str):
    q = q.replace("\x00", "").strip()
    if not q:
        return queryset
    return queryset.filter(Q(name_ar__icontains=q) | Q(name_fr__icontains=q))


def named_page(queryset, query, **lookups):
    return paginate(filter_given(by_name(queryset, query.q), **lookups), query)


class ProvinceQuery(NameSearch):
    region: int | None = record_id()


class CommuneQuery(NameSearch):
    province: int | None = record_id()


class OrganisationQuery(NameSearch):
    kind: choice(Organisation.Kind) | None = None


class ProgrammeQuery(NameSearch):
    kind: choice(Programme.Kind) | None = None


@read(router, "/regions", RegionOut, many=True)
def regions(request, query: Query[NameSearch]):
    return named_page(Region.objects.order_by("code"), query)


@read(router, "/regions/{code}", RegionOut)
def region(request, code: str):
    return found(Region.objects.filter(code=code[:10]))


@read(router, "/provinces", ProvinceOut, many=True)
def provinces(request, query: Query[ProvinceQuery]):
    return named_page(Province.objects.order_by("code"), query, region_id=query.region)


@read(router, "/provinces/{code}", ProvinceOut)
def province(request, code: str):
    return found(Province.objects.filter(code=code[:10]))


@read(router, "/communes", CommuneOut, many=True)
def communes(request, query: Query[CommuneQuery]):
    return named_page(Commune.objects.order_by("code"), query, province_id=query.province)


@read(router, "/communes/{code}", CommuneOut)
def commune(request, code: str):
    return found(Commune.objects.filter(code=code[:20]))


@read(router, "/organisations", OrganisationOut, many=True)
def organisations(request, query: Query[OrganisationQuery]):
    return named_page(Organisation.objects.order_by("pk"), query, kind=query.kind)


@read(router, "/organisations/{pk}", OrganisationOut)
def organisation(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return found(Organisation.objects.filter(pk=pk))


@read(router, "/programmes", ProgrammeOut, many=True)
def programmes(request, query: Query[ProgrammeQuery]):
    return named_page(Programme.objects.order_by("code"), query, kind=query.kind)


@read(router, "/programmes/{code}", ProgrammeOut)
def programme(request, code: str):
    return found(Programme.objects.filter(code=code[:80]))
