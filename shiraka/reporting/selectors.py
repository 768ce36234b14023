"""Figures for the map, the equity page, the progress chart and the reports, read from a set of
agreements already scoped to the reader. Money comes from `portfolio.selectors.breakdown` (counted
once); this module only divides it by the census population and adds project counts."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shiraka.agreements.selectors import money_agreements
from shiraka.core.money import ZERO
from shiraka.core.querying import within
from shiraka.core.text import reader_language
from shiraka.portfolio.figures import ensure_current
from shiraka.portfolio.models import QuarterProgress
from shiraka.portfolio.selectors import breakdown, portfolio_summary
from shiraka.projects.models import Project
from shiraka.projects.selectors import late_milestones
from shiraka.territory.models import Province, Region

TEN_THOUSAND = Decimal(10_000)


def counted_projects(agreements: QuerySet) -> QuerySet:
    """Projects of the agreements that count in figures (no drafts, no cancelled agreements)."""
    return within(Project.objects.all(), "agreement", money_agreements(agreements))


def progress_by_quarter(agreements: QuerySet) -> list[dict]:
    """Mean physical progress reported in each quarter, for the projects of `agreements`: one GROUP
    BY over the progress kept per agreement and quarter (`shiraka.portfolio.figures`)."""
    ensure_current()
    return quarter_points(quarter_groups(agreements).order_by("quarter"))


def quarter_groups(agreements: QuerySet, *by: str) -> QuerySet:
    """The progress kept per agreement and quarter, summed by quarter (and by the agreement fields
    `by`) over the agreements that count."""
    return (
        within(QuarterProgress.objects.all(), "agreement", money_agreements(agreements))
        .order_by()
        .values(*(f"agreement__{name}" for name in by), "quarter")
        .annotate(total=Sum("progress_sum"), updates=Sum("updates"))
    )


def quarter_points(rows) -> list[dict]:
    """The progress chart's points from quarter groups in quarter order: mean progress reported."""
    return [
        {
            "quarter": _("Q%(quarter)s %(year)s")
            % {"quarter": (row["quarter"].month - 1) // 3 + 1, "year": row["quarter"].year},
            "progress": round(row["total"] / row["updates"], 1),
            "updates": row["updates"],
        }
        for row in rows
        if row["quarter"] and row["updates"]
    ]


def per_inhabitant(amount: Decimal, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(amount) / population).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def per_ten_thousand(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count) * TEN_THOUSAND / population).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class TerritoryFigures:
    code: str
    name: str
    region_code: str = ""
    region_name: str = ""
    population: int | None = None
    agreements: int = 0
    total_amount: Decimal = ZERO
    committed: Decimal = ZERO
    transferred: Decimal = ZERO
    arrears: Decimal = ZERO
    projects: int = 0
    late: int = 0
    beds: int = 0

    @property
    def per_inhabitant(self) -> Decimal | None:
        return per_inhabitant(self.total_amount, self.population)

    @property
    def projects_per_10k(self) -> Decimal | None:
        return per_ten_thousand(self.projects, self.population)

    @property
    def beds_per_10k(self) -> Decimal | None:
        return per_ten_thousand(self.beds, self.population)


# Where a project is: its own province (or region), else its agreement's.
PLACE = {
    "province": ("province__code", "agreement__province__code"),
    "region": ("region__code", "province__region__code", "agreement__region__code"),
}


def _project_counts(agreements: QuerySet, by: str) -> dict:
    """Projects, projects with a late milestone and beds per province or region. One query."""
    late = late_milestones().values("project")
    rows = (
        counted_projects(agreements)
        .annotate(place=Coalesce(*PLACE[by]))
        .order_by()
        .values("place")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(pk__in=late)), beds=Sum("beds"))
    )
    return {row["place"]: row for row in rows}


def province_figures(agreements: QuerySet) -> list[TerritoryFigures]:
    """Every province and prefecture, with or without agreements, in code order."""
    money = {row.code: row for row in breakdown(agreements, "province") if row.code}
    counts = _project_counts(agreements, "province")
    result = []
    for province in Province.objects.select_related("region").order_by("code"):
        row = TerritoryFigures(
            code=province.code,
            name=province.name,
            region_code=province.region.code,
            region_name=province.region.name,
            population=province.population_2024,
        )
        _fill(row, money.get(province.code), counts.get(province.code))
        result.append(row)
    return result


def region_figures(agreements: QuerySet) -> list[TerritoryFigures]:
    """Every region; its money includes agreements signed for the whole region (no province)."""
    money = {row.code: row for row in breakdown(agreements, "region") if row.code}
    counts = _project_counts(agreements, "region")
    result = []
    for region in Region.objects.order_by("code"):
        row = TerritoryFigures(code=region.code, name=region.name, population=region.population_2024)
        _fill(row, money.get(region.code), counts.get(region.code))
        result.append(row)
    return result


def _fill(row: TerritoryFigures, money, counts) -> None:
    if money is not None:
        row.agreements, row.total_amount, row.committed = (
            money.agreements,
            money.total_amount,
            money.committed,
        )
        row.transferred, row.arrears = money.transferred, money.arrears
    if counts is not None:
        row.projects, row.late, row.beds = counts["n"], counts["late"], counts["beds"] or 0


def national_figures(regions: list[TerritoryFigures], agreements: QuerySet) -> TerritoryFigures:
    """The whole country: population summed over the regions, money from the national summary."""
    summary = portfolio_summary(agreements)
    projects = counted_projects(agreements).aggregate(
        n=Count("pk"),
        beds=Sum("beds"),
        late=Count("pk", filter=Q(pk__in=late_milestones().values("project"))),
    )
    return TerritoryFigures(
        code="MA",
        name=_("Morocco"),
        population=sum(r.population or 0 for r in regions) or None,
        agreements=summary.agreements,
        total_amount=summary.total_amount,
        committed=summary.committed,
        transferred=summary.transferred,
        arrears=summary.arrears,
        projects=projects["n"] or 0,
        late=projects["late"] or 0,
        beds=projects["beds"] or 0,
    )


MAX_POINTS = 5000


def project_points(agreements: QuerySet) -> list[dict]:
    """Projects with coordinates, for the map's clustered points (at most MAX_POINTS)."""
    arabic = reader_language() == "ar"
    rows = (
        counted_projects(agreements)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("reference")
        .values("reference", "title_ar", "title_fr", "status", "latitude", "longitude")[:MAX_POINTS]
    )
    statuses = dict(Project.Status.choices)
    return [
        {
            "reference": row["reference"],
            "title": (row["title_ar"] or row["title_fr"]) if arabic else (row["title_fr"] or row["title_ar"]),
            "status": row["status"],
            "status_label": str(statuses.get(row["status"], row["status"])),
            "lat": float(row["latitude"]),
            "lon": float(row["longitude"]),
        }
        for row in rows
    ]


def late_milestones_of(projects: QuerySet) -> QuerySet:
    return (
        late_milestones()
        .filter(project__in=projects.values("pk"))
        .select_related("project")
        .order_by("planned_on", "pk")
    )
