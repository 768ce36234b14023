"""Reads on projects: searchable lists with their figures, and one project's full picture."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from shiraka.agreements.selectors import PlaceFilters
from shiraka.core.money import MoneyField, money_value
from shiraka.core.querying import (
    both_ways,
    choice_param,
    int_param,
    ordering_expressions,
    prepared_rows,
    within,
)
from shiraka.core.rules import today as local_today
from shiraka.territory.models import Commune

from .models import (
    Category,
    Contract,
    Milestone,
    OpenMilestones,
    Payment,
    ProgressUpdate,
    Project,
    ProjectFunding,
)

ZERO = Decimal("0.00")
PROJECT_SORTS = {
    **both_ways("reference", unique=True),
    **both_ways("budget"),
    **both_ways("progress", "physical_progress"),
    **both_ways("updated", "progress_updated_on"),
}


@dataclass
class ProjectFilters(PlaceFilters):
    category: str = ""
    status: str = ""
    agreement: str = ""
    owner: int | None = None
    late: bool = False
    sort: str = "reference"

    @classmethod
    def from_query(cls, params) -> "ProjectFilters":
        return cls(
            **cls.place_params(params),
            category=choice_param(params, "category", Category.values),
            status=choice_param(params, "status", Project.Status.values),
            agreement=(params.get("agreement") or "")[:60],
            owner=int_param(params, "owner"),
            late=params.get("late") == "1",
            sort=choice_param(params, "sort", PROJECT_SORTS, "reference"),
        )

    def lookups(self) -> dict:
        return {"category": self.category, "status": self.status, "agreement__reference": self.agreement}


def late_milestones(today=None) -> QuerySet:
    return Milestone.objects.filter(planned_on__lt=today or local_today(), achieved_on__isnull=True)


def project_search(projects: QuerySet, filters: ProjectFilters) -> QuerySet:
    queryset = _searched(projects, filters)
    if filters.late:
        # The oldest open milestone of each project is kept (`OpenMilestones`): late is that date
        # before today, one row per project, where the milestones were read whole for the count.
        # EXISTS, not a join: a page of 50 in reference order stops at its 50th late project (SQLite
        # joined from the kept dates' index, then sorted every late project for 50).
        late = OpenMilestones.objects.filter(project=OuterRef("pk"), first_planned_on__lt=local_today())
        queryset = queryset.filter(Exists(late))
    return queryset


def _searched(projects: QuerySet, filters: ProjectFilters) -> QuerySet:
    """The projects the filters keep, late or not."""
    queryset = filters.search(projects)
    if filters.owner:
        queryset = queryset.filter(Q(owner_id=filters.owner) | Q(delegated_owner_id=filters.owner))
    return queryset


def project_search_counted(projects: QuerySet, filters: ProjectFilters) -> QuerySet:
    """Rows as many as `project_search` finds, for a list's count: for late projects, their kept
    oldest open milestones (one row per project, counted on the index of their dates, where the
    EXISTS of the list probed it for every project of the portfolio: 164 ms at 20,000 agreements)."""
    if not filters.late:
        return project_search(projects, filters)
    late = OpenMilestones.objects.filter(first_planned_on__lt=local_today())
    return within(late, "project", _searched(projects, filters))


def project_page_rows(queryset: QuerySet, sort: str) -> QuerySet:
    """Projects with what was paid and their late milestones, sorted: with their province and region
    (each caller adds what else it shows, e.g. the agreement)."""
    paid = (
        Payment.objects.standing()
        .filter(contract__project=OuterRef("pk"))
        .order_by()
        .values("contract__project")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    late = (
        late_milestones()
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    rows = queryset.select_related("province", "region").annotate(
        paid=Coalesce(
            Subquery(paid, output_field=MoneyField()), money_value(ZERO), output_field=MoneyField()
        ),
        late_milestones=Coalesce(Subquery(late), 0),
    )
    return rows.order_by(*ordering_expressions(PROJECT_SORTS, sort, "reference"))


def agreement_projects(agreement) -> list[Project]:
    """The projects of an agreement's page, with their facility type, places and communes."""
    return prepared_rows("agreement-projects", _projects_of, agreement.pk, agreement=agreement)


# What the agreement page shows of each project (`web.pages.rows.agreement_project_rows`), and of its
# places: every field of four models was read and built for each (the facility type unshown).
AGREEMENT_PROJECT_FIELDS = (
    "agreement",
    "reference",
    "title_ar",
    "title_fr",
    "category",
    "status",
    "budget",
    "physical_progress",
    "province__name_ar",
    "province__name_fr",
    "region__name_ar",
    "region__name_fr",
    "region__name_en",
)


def _projects_of(pk: int) -> QuerySet:
    # By reference: the model's order starts with its agreement's date, one date here, and joining
    # the agreement only to sort by it cost PostgreSQL a join and a sort.
    return (
        Project.objects.filter(agreement_id=pk)
        .select_related("province", "region")
        .only(*AGREEMENT_PROJECT_FIELDS)
        .prefetch_related(Prefetch("communes", queryset=Commune.objects.only("name_ar", "name_fr")))
        .order_by("reference", "pk")
    )


def contracts_with_payments(project: Project) -> QuerySet:
    """A project's contracts, each with what was paid on it (cancelled payments count in nothing) and
    its payments in order (the cancelled ones too, for the page to show them struck through)."""
    return _contracts_of(project.pk)


def _contracts_of(pk: int) -> QuerySet:
    standing = Q(payments__cancelled_at__isnull=True)
    return (
        Contract.objects.filter(project_id=pk)
        .select_related("contractor")
        .annotate(
            paid=Coalesce(
                Sum("payments__amount", filter=standing), money_value(ZERO), output_field=MoneyField()
            )
        )
        .prefetch_related(
            Prefetch(
                "payments", queryset=Payment.objects.select_related("cancelled_by").order_by("paid_on", "pk")
            )
        )
        .order_by("pk")
    )


def _project_rows(name: str, project: Project, build) -> list:
    return prepared_rows(f"project-{name}", build, project.pk, project=project)


def project_detail(project: Project) -> dict:
    """Everything the project page shows, in a fixed number of queries."""
    fundings = _project_rows(
        "fundings",
        project,
        lambda pk: ProjectFunding.objects.filter(project_id=pk).select_related("organisation"),
    )
    contracts = _project_rows("contracts", project, _contracts_of)
    paid = sum((c.paid for c in contracts), ZERO)
    return {
        "fundings": fundings,
        "funded": sum((f.amount or ZERO for f in fundings), ZERO),
        "milestones": _project_rows(
            "milestones", project, lambda pk: Milestone.objects.filter(project_id=pk)
        ),
        "updates": _project_rows("updates", project, _updates_of),
        "contracts": contracts,
        "contracted": sum((c.amount for c in contracts), ZERO),
        "paid": paid,
        "communes": prepared_rows(
            "project-communes", lambda pk: Commune.objects.filter(projects__id=pk), project.pk
        ),
        "today": local_today(),
    }


def _updates_of(pk: int) -> QuerySet:
    return (
        ProgressUpdate.objects.filter(project_id=pk).select_related("author").prefetch_related("photos")[:20]
    )
