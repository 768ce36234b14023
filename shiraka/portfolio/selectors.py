"""Portfolio figures: what every page, export and report shows about a set of agreements, reading
agreements and projects together: committed, due to date, transferred, arrears, unallocated, budget,
paid, projects by status and budget-weighted physical progress, in totals and by region, province,
programme, partner and category.

Everything is computed in the database with a fixed number of queries whatever the data size: the
money figures are sums of the figures kept per agreement and per partnership
(`shiraka.portfolio.figures`), one row each, and groupings are single GROUP BY queries. Every
function takes the agreements already scoped to the reader (`shiraka.accounts.access`)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from shiraka.agreements.models import Agreement, Partnership
from shiraka.agreements.selectors import AGREEMENT_SORTS, COUNTED_STATUSES, NON_ROOT_KINDS
from shiraka.core.money import ZERO
from shiraka.core.querying import as_money, ordering_expressions, prepared_rows, within
from shiraka.core.rules import today as local_today
from shiraka.core.text import localised, reader_language
from shiraka.organisations.models import Organisation
from shiraka.projects.models import Category

from .figures import ensure_current, refresh_figures
from .models import AgreementFigures, ProjectGroup

CATEGORY, STATUS = ProjectGroup.Dimension.CATEGORY, ProjectGroup.Dimension.STATUS


def agreements_with_figures(agreements: QuerySet, *, today: date | None = None) -> QuerySet:
    """Agreements annotated for lists, each with its kept figures (`shiraka.portfolio.figures`):
    effective total (`total`, as its signed amendments leave it), effective commitments, due,
    transferred, arrears, unallocated, budget, paid, project count and partners without a figure.
    One query for the whole page, whatever the number of money rows."""
    ensure_current(today or local_today())
    return agreements.annotate(
        **_kept(
            "total", "committed", "transferred", "arrears", "unallocated", "budget", "paid",
            "unspecified_partners", due_to_date="due", project_count="projects",
        )
    )  # fmt: skip


def _kept(*names: str, **renamed: str) -> dict:
    """Annotations reading the kept figures (`figures__<name>`), some under the name pages know
    them by (`due_to_date` for `due`)."""
    return {
        **{name: F(f"figures__{name}") for name in names},
        **{k: F(f"figures__{v}") for k, v in renamed.items()},
    }


def weighted_progress(aggregate: dict) -> float | None:
    """Budget-weighted physical progress in %, or the plain mean when no project has a budget."""
    if aggregate.get("weight"):
        return round(aggregate["weighted_sum"] / aggregate["weight"], 1)
    if aggregate.get("count"):
        return round((aggregate["plain_sum"] or 0) / aggregate["count"], 1)
    return None


@dataclass(kw_only=True)
class Figures:
    """What a set of agreements sums to, for a whole scope or for one row of a breakdown."""

    agreements: int = 0
    total_amount: Decimal = ZERO
    committed: Decimal = ZERO
    due_to_date: Decimal = ZERO
    transferred: Decimal = ZERO
    arrears: Decimal = ZERO
    budget: Decimal = ZERO
    projects: int = 0
    progress: float | None = None


@dataclass(kw_only=True)
class Summary(Figures):
    unallocated: Decimal = ZERO
    unspecified_partners: int = 0
    paid: Decimal = ZERO
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


def kept_sums(prefix: str = "") -> dict:
    """The sums of the kept figures of counted agreements (reached by `prefix`), for `aggregate()`
    or a GROUP BY `annotate()`: totals and commitments of roots, the rest of every agreement."""
    root = Q(**{f"{prefix}kind": Agreement.Kind.SPECIFIC})
    kept = f"{prefix}figures__"
    return {
        "n": Count(f"{prefix}pk" if prefix else "pk", filter=~root),
        "sum_total": Sum(f"{kept}total", filter=~root),
        "sum_committed": Sum(f"{kept}committed", filter=~root),
        "sum_unallocated": Sum(f"{kept}unallocated", filter=~root),
        "unspecified": Sum(f"{kept}unspecified_partners", filter=~root),
        "sum_due": Sum(f"{kept}due"),
        "sum_transferred": Sum(f"{kept}transferred"),
        "sum_arrears": Sum(f"{kept}arrears"),
        "budget_sum": Sum(f"{kept}budget"),
        "sum_paid": Sum(f"{kept}paid"),
        "count": Sum(f"{kept}projects"),
        "weighted_sum": Sum(f"{kept}progress_weighted_sum"),
        "weight": Sum(f"{kept}progress_weight"),
        "plain_sum": Sum(f"{kept}progress_plain_sum"),
    }


def portfolio_summary(agreements: QuerySet, *, today: date | None = None) -> Summary:
    """National, regional, provincial or programme totals for the agreements given, each dirham
    counted once (see `shiraka.agreements.selectors`, the hierarchy): sums of the kept figures of one
    row per agreement, and the projects by status. Two queries (and `ensure_current`'s)."""
    ensure_current(today or local_today())
    counted = _counted(Agreement.objects.all(), "pk", agreements)
    return summary_of(counted.aggregate(**kept_sums()), project_groups(agreements, STATUS))


def summary_of(sums: dict, statuses) -> Summary:
    """A summary from the sums of `kept_sums()` and the project groups by status."""
    return Summary(
        **_summed(sums),
        unallocated=sums["sum_unallocated"] or ZERO,
        unspecified_partners=sums["unspecified"] or 0,
        paid=sums["sum_paid"] or ZERO,
        projects_by_status={item["key"]: item["count"] for item in statuses},
    )


def _summed(sums: dict) -> dict:
    """What a summary and a breakdown row share, from the sums of `kept_sums()`."""
    return {
        "agreements": sums["n"] or 0,
        "total_amount": sums["sum_total"] or ZERO,
        "committed": sums["sum_committed"] or ZERO,
        "due_to_date": sums["sum_due"] or ZERO,
        "transferred": sums["sum_transferred"] or ZERO,
        "arrears": sums["sum_arrears"] or ZERO,
        "budget": sums["budget_sum"] or ZERO,
        "projects": sums["count"] or 0,
        "progress": weighted_progress(sums),
    }


def partner_summary(
    organisation, *, agreements: QuerySet | None = None, today: date | None = None
) -> Summary:
    """What one organisation committed, owes and transferred across its agreements (those of
    `agreements` when given, e.g. the published ones for a visitor)."""
    agreements = Agreement.objects.all() if agreements is None else agreements
    ensure_current(today or local_today())
    return partner_summary_of([partner_sums(organisation, agreements)])


PARTNER_SUMS = {
    # One partnership per partner and agreement (a unique constraint): no COUNT(DISTINCT) sort.
    "n": Count("agreement", filter=ROOT_PARTNERSHIP),
    "sum_committed": Sum("figures__committed", filter=ROOT_PARTNERSHIP),
    "sum_due": Sum("figures__due"),
    "sum_transferred": Sum("figures__transferred"),
    "sum_arrears": Sum("figures__arrears"),
    "n_unspecified": Count("pk", filter=ROOT_PARTNERSHIP & Q(figures__committed__isnull=True)),
}


def partner_sums(organisation, agreements: QuerySet, *by: str):
    """The sums of `PARTNER_SUMS` over the counted partnerships of `organisation` in `agreements`:
    one dict, or rows grouped by the agreement fields `by` (e.g. its region) as `agreement__<name>`."""
    partnerships = _counted(Partnership.objects.filter(organisation=organisation), "agreement", agreements)
    if not by:
        return partnerships.aggregate(**PARTNER_SUMS)
    return partnerships.order_by().values(*(f"agreement__{name}" for name in by)).annotate(**PARTNER_SUMS)


def partner_summary_of(rows) -> Summary:
    """A partner's summary from rows of `partner_sums` (several: their sums added)."""
    added = {name: sum(row[name] or 0 for row in rows) for name in PARTNER_SUMS}
    return Summary(
        agreements=added["n"],
        committed=added["sum_committed"] or ZERO,
        due_to_date=added["sum_due"] or ZERO,
        transferred=added["sum_transferred"] or ZERO,
        arrears=added["sum_arrears"] or ZERO,
        unspecified_partners=added["n_unspecified"],
    )


def agreement_summary(agreement: Agreement, *, today: date | None = None) -> Summary:
    """One agreement's own figures, whatever its kind or status (its page shows them all): its kept
    row and its projects by status."""
    ensure_current(today or local_today())
    kept = next(iter(prepared_rows("agreement-figures", _figures_of, agreement.pk)), None)
    if kept is None:  # rows written in bulk by another process that did not refresh
        refresh_figures([agreement.pk], today=today)
        kept = AgreementFigures.objects.get(agreement=agreement)
    same = ("committed", "unallocated", "unspecified_partners", "transferred", "arrears", "budget", "paid")
    weights = {"weighted_sum": kept.progress_weighted_sum, "weight": kept.progress_weight,
               "plain_sum": kept.progress_plain_sum, "count": kept.projects}  # fmt: skip
    statuses = prepared_rows("agreement-project-statuses", _statuses_of, agreement.pk)
    return Summary(
        agreements=1,
        total_amount=kept.total or ZERO,
        due_to_date=kept.due,
        projects=kept.projects,
        progress=weighted_progress(weights),
        projects_by_status=dict(statuses),
        **{name: getattr(kept, name) for name in same},
    )


def _figures_of(pk: int) -> QuerySet:
    return AgreementFigures.objects.filter(agreement_id=pk)


def _statuses_of(pk: int) -> QuerySet:
    return ProjectGroup.objects.filter(agreement_id=pk, dimension=STATUS).values_list("key", "projects")


BREAKDOWNS = {"region": "region", "province": "province", "programme": "programme"}


@dataclass(kw_only=True)
class BreakdownRow(Figures):
    key: int | str | None
    label: str = ""
    population: int | None = None
    code: str | None = None


def breakdown(agreements: QuerySet, by: str, *, today: date | None = None) -> list[BreakdownRow]:
    """Figures grouped by region, province or programme of the agreements: one GROUP BY over the
    kept figures of one row per agreement, labels included."""
    path = BREAKDOWNS[by]
    ensure_current(today or local_today())
    return breakdown_rows(agreement_groups(agreements, path, *label_fields(path)), path)


def label_fields(path: str) -> list[str]:
    """What a breakdown row by region, province or programme (`path`) shows of it besides figures."""
    fields = [f"{path}__name_ar", f"{path}__name_fr", f"{path}__code"]
    if path == "region":  # the one territory named in English too (Tangier, Marrakesh)
        fields.append("region__name_en")
    return fields if path == "programme" else [*fields, f"{path}__population_2024"]


def agreement_groups(agreements: QuerySet, *by: str) -> QuerySet:
    """`kept_sums()` of the counted agreements of `agreements`, grouped by the fields `by`."""
    return _counted(Agreement.objects.all(), "pk", agreements).order_by().values(*by).annotate(**kept_sums())


def breakdown_rows(items, path: str) -> list[BreakdownRow]:
    """Breakdown rows from groups of `kept_sums()` with their `label_fields(path)`, in the reader's
    language, largest total first."""
    language = reader_language()
    rows = []
    for item in items:
        names = (item[f"{path}__name_ar"], item[f"{path}__name_fr"])
        # (A row an earlier release cached, without the English name: the French one then.)
        english = item.get(f"{path}__name_en") if language == "en" else None
        rows.append(
            BreakdownRow(
                key=item[path],
                label=english or localised(*names, language),
                code=item[f"{path}__code"],
                population=item.get(f"{path}__population_2024"),
                **_summed(item),
            )
        )
    return sorted(rows, key=lambda r: (r.key is None, -r.total_amount, r.label))


PARTNER_FIELDS = ("name_ar", "name_fr", "kind")


def _partner(name: str) -> Subquery:
    return Subquery(Organisation.objects.filter(pk=OuterRef("organisation")).values(name)[:1])


def partner_groups(agreements: QuerySet, *by: str) -> QuerySet:
    """The kept figures of the counted partnerships of `agreements`, summed by partner (and by the
    agreement fields `by`, e.g. its region)."""
    partnerships = _counted(Partnership.objects.all(), "agreement", agreements)
    return (
        partnerships.order_by()
        .values(*(f"agreement__{name}" for name in by), "organisation")
        .annotate(
            # One partnership per partner and agreement (a unique constraint): a plain count is the
            # number of agreements, without COUNT(DISTINCT)'s sort of every partnership.
            agreements=Count("agreement", filter=ROOT_PARTNERSHIP),
            committed_sum=Sum("figures__committed", filter=ROOT_PARTNERSHIP),
            due_sum=Sum("figures__due"),
            transferred_sum=Sum("figures__transferred"),
            arrears_sum=Sum("figures__arrears"),
        )
    )


def breakdown_by_partner(agreements: QuerySet, *, today: date | None = None, limit: int | None = None):
    """Partners with their committed, due, transferred and arrears, largest arrears first: one
    GROUP BY partner over the kept figures of their partnerships, each partner's names read by a
    subquery (grouping on the names too sorted every partnership instead of hashing them)."""
    ensure_current(today or local_today())
    rows = named_partner_groups(agreements).order_by(
        F("arrears_sum").desc(nulls_last=True), F("committed_sum").desc(nulls_last=True), "organisation"
    )
    return with_partner_names(list(rows[:limit] if limit else rows))


def named_partner_groups(agreements: QuerySet, *by: str) -> QuerySet:
    """`partner_groups` with each partner's names, read by a subquery per group: grouping on the names
    too sorted every partnership instead of hashing them. `with_partner_names` names them."""
    return partner_groups(agreements, *by).annotate(
        **{f"partner_{name}": _partner(name) for name in PARTNER_FIELDS}
    )


def with_partner_names(rows: list[dict]) -> list[dict]:
    """Rows of `named_partner_groups` with the names under those they had when grouped on them."""
    for row in rows:
        for name in PARTNER_FIELDS:
            row[f"organisation__{name}"] = row.pop(f"partner_{name}")
    return rows


def project_groups(agreements: QuerySet, dimension: str | None, *by: str) -> QuerySet:
    """Projects of the counted agreements by category or status (and by the agreement fields `by`),
    from the groups kept per agreement: count, budget and progress weights in the names
    `weighted_progress` reads. `dimension` None: both, each row with its `dimension`."""
    kept = (
        ProjectGroup.objects.all() if dimension is None else ProjectGroup.objects.filter(dimension=dimension)
    )
    groups = _counted(kept, "agreement", agreements)
    return (
        groups.order_by()
        .values(*(f"agreement__{name}" for name in by), *(("dimension",) if dimension is None else ()), "key")
        .annotate(
            count=Sum("projects"),
            budget_sum=Sum("budget"),
            weighted_sum=Sum("progress_weighted_sum"),
            weight=Sum("progress_weight"),
            plain_sum=Sum("progress_plain_sum"),
        )
    )


def breakdown_by_category(agreements: QuerySet) -> list[dict]:
    """Projects by category: count, budget, weighted progress. One query."""
    ensure_current()
    return category_rows(project_groups(agreements, CATEGORY))


def category_rows(items) -> list[dict]:
    """Rows by category from project groups, the largest budget first (none given: last)."""
    labels = dict(Category.choices)
    ordered = sorted(
        items, key=lambda item: (item["budget_sum"] is None, -(item["budget_sum"] or 0), item["key"])
    )
    return [
        {
            "category": item["key"],
            "label": labels.get(item["key"], item["key"]),
            "projects": item["count"],
            "budget": item["budget_sum"] or ZERO,
            "progress": weighted_progress(item),
        }
        for item in ordered
    ]


def agreement_page_rows(queryset: QuerySet, sort: str) -> QuerySet:
    """The rows of a list of agreements with their kept figures, sorted. Every agreement has its
    figures row once `ensure_current` has run: joined as such (not as an outer join), a sort on a
    kept figure walks its index for a page instead of sorting every agreement."""
    rows = agreements_with_figures(queryset.select_related("region", "province", "programme"))
    rows = rows.filter(figures__isnull=False)
    return rows.order_by(*ordering_expressions(AGREEMENT_SORTS, sort, "-signed"))


def per_inhabitant(amount: Decimal, population: int | None) -> Decimal | None:
    """Dirhams per inhabitant of the 2024 census (None where the population is unknown)."""
    return (amount / population).quantize(Decimal("0.01")) if population else None


def agreement_partnerships(agreement, *, today: date | None = None) -> list:
    """The partnerships of an agreement's page with their kept figures and partner (compiled once)."""
    ensure_current(today or local_today())
    return prepared_rows("agreement-partnerships", _partnerships_of, agreement.pk, agreement=agreement)


def _partnerships_of(pk: int) -> QuerySet:
    partnerships = Partnership.objects.filter(agreement_id=pk).select_related("organisation")
    return partnerships_with_kept_figures(partnerships, ensure=False).order_by("pk")


def partnerships_with_kept_figures(
    partnerships: QuerySet, *, today: date | None = None, ensure: bool = True
) -> QuerySet:
    """What `shiraka.agreements.selectors.partnerships_with_figures` computes, read from the figures
    kept per partnership: for lists over many agreements (partner pages, exports, reports, the API).
    `ensure=False` while the figures are being written (they are current for what is being read)."""
    if ensure:
        ensure_current(today or local_today())
    return partnerships.annotate(
        **_kept("committed", "scheduled", "transferred", "arrears", due_to_date="due"),
        remaining=as_money(F("figures__committed") - F("figures__transferred")),
    )
