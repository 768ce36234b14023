"""Portfolio figures: what every page, export and report shows about a set of agreements, reading
agreements and projects together: committed, due to date, transferred, arrears, unallocated, budget,
paid, projects by status and budget-weighted physical progress, in totals and by region, province,
programme, partner and category.

Everything is computed in the database with a fixed number of queries whatever the data size:
per-agreement sums are correlated subqueries, and groupings are single GROUP BY queries. Every
function takes the agreements already scoped to the reader (`shiraka.accounts.access`)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Greatest

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Transfer
from shiraka.agreements.selectors import (
    AGREEMENT_SORTS,
    COUNTED_STATUSES,
    NON_ROOT_KINDS,
    committed_subquery,
    effective_total,
    partnerships_with_figures,
)
from shiraka.core.money import ZERO, MoneyField, money_value
from shiraka.core.querying import as_money, ordering_expressions, sum_subquery, within
from shiraka.core.rules import today as local_today
from shiraka.core.text import reader_language
from shiraka.projects.models import Category, Payment, Project


def agreements_with_figures(agreements: QuerySet, *, today: date | None = None) -> QuerySet:
    """Agreements annotated for lists, each with its own figures: effective total (`total`, as its
    signed amendments leave it), effective commitments, due, transferred, arrears, unallocated, budget,
    paid, project count and partners without a figure. One query for the whole page."""
    today = today or local_today()
    arrears_per_partnership = (
        partnerships_with_figures(Partnership.objects.filter(agreement=OuterRef("pk")), today=today)
        .order_by()
        .values("agreement")
        .annotate(total=Sum("arrears"))
        .values("total")[:1]
    )
    projects = Project.objects.filter(agreement=OuterRef("pk")).order_by().values("agreement")
    return agreements.annotate(
        total=effective_total(),
        committed=committed_subquery(),
        due_to_date=sum_subquery(
            ScheduledContribution.objects.filter(due_on__lte=today), "partnership__agreement"
        ),
        transferred=sum_subquery(Transfer.objects.standing(), "partnership__agreement"),
        arrears=Coalesce(
            Subquery(arrears_per_partnership, output_field=MoneyField()),
            money_value(ZERO),
            output_field=MoneyField(),
        ),
        budget=sum_subquery(Project.objects.all(), "agreement", "budget"),
        paid=sum_subquery(Payment.objects.standing(), "contract__project__agreement"),
        project_count=Coalesce(Subquery(projects.annotate(n=Count("pk")).values("n")[:1]), 0),
        unspecified_partners=Coalesce(
            Subquery(
                Partnership.objects.filter(agreement=OuterRef("pk"), committed_amount__isnull=True)
                .order_by()
                .values("agreement")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
    ).annotate(
        unallocated=Greatest(
            as_money(F("total") - F("committed")), money_value(ZERO), output_field=MoneyField()
        )
    )


def project_aggregates() -> dict:
    """Count, budget and what `weighted_progress` needs, for `aggregate()` or a GROUP BY `annotate()`."""
    budget_as_float = Cast("budget", FloatField())
    return {
        "weighted_sum": Sum(
            F("physical_progress") * budget_as_float, filter=Q(budget__gt=0), output_field=FloatField()
        ),
        "weight": Sum(budget_as_float, filter=Q(budget__gt=0), output_field=FloatField()),
        "plain_sum": Sum("physical_progress"),
        "count": Count("pk"),
        "budget_sum": Sum("budget"),
    }


def weighted_progress(aggregate: dict) -> float | None:
    """Budget-weighted physical progress in %, or the plain mean when no project has a budget."""
    if aggregate.get("weight"):
        return round(aggregate["weighted_sum"] / aggregate["weight"], 1)
    if aggregate.get("count"):
        return round((aggregate["plain_sum"] or 0) / aggregate["count"], 1)
    return None


@dataclass
class Summary:
    agreements: int = 0
    total_amount: Decimal = ZERO
    committed: Decimal = ZERO
    unallocated: Decimal = ZERO
    unspecified_partners: int = 0
    due_to_date: Decimal = ZERO
    transferred: Decimal = ZERO
    arrears: Decimal = ZERO
    budget: Decimal = ZERO
    paid: Decimal = ZERO
    projects: int = 0
    progress: float | None = None
    projects_by_status: dict[str, int] = field(default_factory=dict)


def _counted(model_queryset: QuerySet, path: str, agreements: QuerySet, *, roots: bool = False) -> QuerySet:
    """Rows of `model_queryset` whose agreement (reached by `path`) is in `agreements` and counts:
    roots only for totals and commitments, any counted agreement but amendments for the rest."""
    prefix = f"{path}__" if path != "pk" else ""
    rows = within(model_queryset, path, agreements).filter(**{f"{prefix}status__in": COUNTED_STATUSES})
    excluded = NON_ROOT_KINDS if roots else (Agreement.Kind.AMENDMENT,)
    return rows.exclude(**{f"{prefix}kind__in": excluded})


# Commitments count on root agreements only: a specific agreement's share is already in its framework's.
ROOT_PARTNERSHIP = ~Q(agreement__kind=Agreement.Kind.SPECIFIC)


def portfolio_summary(agreements: QuerySet, *, today: date | None = None) -> Summary:
    """National, regional, provincial or programme totals for the agreements given, each dirham
    counted once (see `shiraka.agreements.selectors`, the hierarchy). Five queries."""
    today = today or local_today()
    totals = (
        _counted(Agreement.objects.all(), "pk", agreements, roots=True)
        .annotate(effective=effective_total(), committed=committed_subquery())
        .annotate(
            unallocated=Greatest(
                as_money(F("effective") - F("committed")), money_value(ZERO), output_field=MoneyField()
            )
        )
        .aggregate(
            n=Count("pk"),
            sum_total=Sum("effective"),
            sum_committed=Sum("committed"),
            sum_unallocated=Sum("unallocated"),
        )
    )
    partnerships = partnerships_with_figures(
        _counted(Partnership.objects.all(), "agreement", agreements), today=today
    )
    money = partnerships.aggregate(
        sum_due=Sum("due_to_date"),
        sum_transferred=Sum("transferred"),
        sum_arrears=Sum("arrears"),
        unspecified=Count("pk", filter=ROOT_PARTNERSHIP & Q(committed__isnull=True)),
    )
    projects = _counted(Project.objects.all(), "agreement", agreements)
    progress = projects.aggregate(**project_aggregates())
    by_status = dict(projects.order_by().values_list("status").annotate(n=Count("pk")))
    paid = _counted(Payment.objects.standing(), "contract__project__agreement", agreements).aggregate(
        t=Sum("amount")
    )["t"]
    return Summary(
        agreements=totals["n"] or 0,
        total_amount=totals["sum_total"] or ZERO,
        committed=totals["sum_committed"] or ZERO,
        unallocated=totals["sum_unallocated"] or ZERO,
        unspecified_partners=money["unspecified"] or 0,
        due_to_date=money["sum_due"] or ZERO,
        transferred=money["sum_transferred"] or ZERO,
        arrears=money["sum_arrears"] or ZERO,
        budget=progress["budget_sum"] or ZERO,
        paid=paid or ZERO,
        projects=progress["count"] or 0,
        progress=weighted_progress(progress),
        projects_by_status=by_status,
    )


def partner_summary(
    organisation, *, agreements: QuerySet | None = None, today: date | None = None
) -> Summary:
    """What one organisation committed, owes and transferred across its agreements (those of
    `agreements` when given, e.g. the published ones for a visitor)."""
    agreements = Agreement.objects.all() if agreements is None else agreements
    partnerships = _counted(Partnership.objects.filter(organisation=organisation), "agreement", agreements)
    money = partnerships_with_figures(partnerships, today=today).aggregate(
        n=Count("agreement", distinct=True, filter=ROOT_PARTNERSHIP),
        sum_committed=Sum("committed", filter=ROOT_PARTNERSHIP),
        sum_due=Sum("due_to_date"),
        sum_transferred=Sum("transferred"),
        sum_arrears=Sum("arrears"),
        n_unspecified=Count("pk", filter=ROOT_PARTNERSHIP & Q(committed__isnull=True)),
    )
    return Summary(
        agreements=money["n"] or 0,
        committed=money["sum_committed"] or ZERO,
        due_to_date=money["sum_due"] or ZERO,
        transferred=money["sum_transferred"] or ZERO,
        arrears=money["sum_arrears"] or ZERO,
        unspecified_partners=money["n_unspecified"] or 0,
    )


def agreement_summary(agreement: Agreement, *, today: date | None = None) -> Summary:
    """One agreement's own figures, whatever its kind or status (its page shows them all)."""
    row = agreements_with_figures(Agreement.objects.filter(pk=agreement.pk), today=today).get()
    projects = Project.objects.filter(agreement=agreement)
    progress = projects.aggregate(**project_aggregates())
    return Summary(
        agreements=1,
        total_amount=row.total or ZERO,
        committed=row.committed,
        unallocated=row.unallocated,
        unspecified_partners=row.unspecified_partners,
        due_to_date=row.due_to_date,
        transferred=row.transferred,
        arrears=row.arrears,
        budget=row.budget,
        paid=row.paid,
        projects=row.project_count,
        progress=weighted_progress(progress),
        projects_by_status=dict(projects.order_by().values_list("status").annotate(n=Count("pk"))),
    )


BREAKDOWNS = {"region": "region", "province": "province", "programme": "programme"}


@dataclass
class BreakdownRow:
    key: int | str | None
    label: str = ""
    agreements: int = 0
    total_amount: Decimal = ZERO
    committed: Decimal = ZERO
    due_to_date: Decimal = ZERO
    transferred: Decimal = ZERO
    arrears: Decimal = ZERO
    budget: Decimal = ZERO
    projects: int = 0
    progress: float | None = None
    population: int | None = None
    code: str | None = None


def breakdown(agreements: QuerySet, by: str, *, today: date | None = None) -> list[BreakdownRow]:
    """Figures grouped by region, province or programme of the agreements. Four queries."""
    path = BREAKDOWNS[by]
    today = today or local_today()
    rows: dict = {}

    def row(key) -> BreakdownRow:
        return rows.setdefault(key, BreakdownRow(key=key))

    # Labels come with the first GROUP BY, so the query count never depends on the data.
    label_fields = [f"{path}__name_ar", f"{path}__name_fr", f"{path}__code"]
    if path != "programme":
        label_fields.append(f"{path}__population_2024")
    arabic = reader_language() == "ar"
    roots = _counted(Agreement.objects.all(), "pk", agreements, roots=True).annotate(
        effective=effective_total()
    )
    for item in roots.order_by().values(path, *label_fields).annotate(n=Count("pk"), total=Sum("effective")):
        target = row(item[path])
        target.agreements, target.total_amount = item["n"], item["total"] or ZERO
        names = (item[f"{path}__name_ar"], item[f"{path}__name_fr"])
        target.label = (names[0] or names[1] or "") if arabic else (names[1] or names[0] or "")
        target.code = item[f"{path}__code"]
        target.population = item.get(f"{path}__population_2024")
    partnerships = partnerships_with_figures(
        _counted(Partnership.objects.all(), "agreement", agreements), today=today
    )
    for item in (
        partnerships.order_by()
        .values(f"agreement__{path}")
        .annotate(
            c=Sum("committed", filter=ROOT_PARTNERSHIP),
            d=Sum("due_to_date"),
            t=Sum("transferred"),
            a=Sum("arrears"),
        )
    ):
        target = row(item[f"agreement__{path}"])
        target.committed, target.due_to_date = item["c"] or ZERO, item["d"] or ZERO
        target.transferred, target.arrears = item["t"] or ZERO, item["a"] or ZERO
    projects = (
        _counted(Project.objects.all(), "agreement", agreements).order_by().values(f"agreement__{path}")
    )
    for item in projects.annotate(**project_aggregates()):
        target = row(item[f"agreement__{path}"])
        target.projects, target.budget = item["count"], item["budget_sum"] or ZERO
        target.progress = weighted_progress(item)
    return sorted(rows.values(), key=lambda r: (r.key is None, -r.total_amount, r.label))


def breakdown_by_partner(agreements: QuerySet, *, today: date | None = None, limit: int | None = None):
    """Partners with their committed, due, transferred and arrears, largest arrears first. One query."""
    partnerships = partnerships_with_figures(
        _counted(Partnership.objects.all(), "agreement", agreements), today=today
    )
    rows = (
        partnerships.order_by()
        .values("organisation", "organisation__name_ar", "organisation__name_fr", "organisation__kind")
        .annotate(
            agreements=Count("agreement", distinct=True, filter=ROOT_PARTNERSHIP),
            committed_sum=Sum("committed", filter=ROOT_PARTNERSHIP),
            due_sum=Sum("due_to_date"),
            transferred_sum=Sum("transferred"),
            arrears_sum=Sum("arrears"),
        )
        .order_by(
            F("arrears_sum").desc(nulls_last=True), F("committed_sum").desc(nulls_last=True), "organisation"
        )
    )
    return list(rows[:limit] if limit else rows)


def breakdown_by_category(agreements: QuerySet) -> list[dict]:
    """Projects by category: count, budget, weighted progress. One query."""
    labels = dict(Category.choices)
    projects = _counted(Project.objects.all(), "agreement", agreements).order_by().values("category")
    return [
        {
            "category": item["category"],
            "label": labels.get(item["category"], item["category"]),
            "projects": item["count"],
            "budget": item["budget_sum"] or ZERO,
            "progress": weighted_progress(item),
        }
        for item in projects.annotate(**project_aggregates()).order_by(
            F("budget_sum").desc(nulls_last=True), "category"
        )
    ]


def agreement_page_rows(queryset: QuerySet, sort: str) -> QuerySet:
    rows = agreements_with_figures(queryset.select_related("region", "province", "programme"))
    return rows.order_by(*ordering_expressions(AGREEMENT_SORTS, sort, "-signed"))


def per_inhabitant(amount: Decimal, population: int | None) -> Decimal | None:
    """Dirhams per inhabitant of the 2024 census (None where the population is unknown)."""
    return (amount / population).quantize(Decimal("0.01")) if population else None
