"""The dashboard's figures as JSON, from the same selectors as the pages, each dirham counted once."""

from ninja import Query, Router, Schema

from shiraka.accounts.access import visible_agreements
from shiraka.agreements.models import Partnership
from shiraka.portfolio.selectors import per_inhabitant, portfolio_summary
from shiraka.territory.models import Province, Region

from ..auth import caller
from ..errors import found
from ..paging import record_id
from ..schemas import SummaryOut
from .common import read

router = Router(tags=["figures"])


class SummaryQuery(Schema):
    region: int | None = record_id(description="Region id.")
    province: int | None = record_id(description="Province or prefecture id.")
    programme: int | None = record_id(description="Programme id.")
    partner: int | None = record_id(description="Organisation id of a partner.")


@read(router, "/summary", SummaryOut)
def summary(request, query: Query[SummaryQuery]):
    """Agreements, total, committed, unallocated, due to date, transferred, arrears, projects by status
    and weighted progress of the agreements the caller may see (published ones for the public)."""
    agreements = visible_agreements(caller(request))
    territory = None
    if query.province:
        territory = found(Province.objects.filter(pk=query.province))
        agreements = agreements.filter(province=territory)
    elif query.region:
        territory = found(Region.objects.filter(pk=query.region))
        agreements = agreements.filter(region=territory)
    if query.programme:
        agreements = agreements.filter(programme_id=query.programme)
    if query.partner:
        agreements = agreements.filter(
            pk__in=Partnership.objects.filter(organisation_id=query.partner).values("agreement")
        )
    figures = portfolio_summary(agreements)
    population = getattr(territory, "population_2024", None)
    return {
        "agreements": figures.agreements,
        "total": figures.total_amount,
        "committed": figures.committed,
        "unallocated": figures.unallocated,
        "unspecified_partners": figures.unspecified_partners,
        "due_to_date": figures.due_to_date,
        "transferred": figures.transferred,
        "arrears": figures.arrears,
        "budget": figures.budget,
        "paid": figures.paid,
        "projects": figures.projects,
        "projects_by_status": figures.projects_by_status,
        "weighted_progress": figures.progress,
        "population_2024": population,
        "investment_per_inhabitant": per_inhabitant(figures.total_amount, population),
    }
