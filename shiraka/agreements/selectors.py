"""Reads of agreements: per-partnership money figures (committed, due to date, transferred,
remaining, arrears), the schedule and transfers of an agreement, and the agreement search.

The figures that also read projects (portfolio summaries, breakdowns, list rows) live in
`shiraka.portfolio.selectors`."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    F,
    QuerySet,
)
from django.db.models.functions import Greatest

from shiraka.core.money import ZERO, MoneyField, money_value
from shiraka.core.querying import as_money, choice_param, filter_given, int_param, sum_subquery, text_search
from shiraka.core.rules import today as local_today

from .models import Agreement, Partnership, ScheduledContribution, Transfer


def partnerships_with_figures(partnerships: QuerySet, *, today: date | None = None) -> QuerySet:
    """Each partnership with due to date, transferred, remaining (committed − transferred) and arrears
    (due − transferred, never below zero)."""
    today = today or local_today()
    return partnerships.annotate(
        due_to_date=sum_subquery(ScheduledContribution.objects.filter(due_on__lte=today), "partnership"),
        scheduled=sum_subquery(ScheduledContribution.objects.all(), "partnership"),
        transferred=sum_subquery(Transfer.objects.all(), "partnership"),
    ).annotate(
        remaining=as_money(F("committed_amount") - F("transferred")),
        arrears=Greatest(as_money(F("due_to_date") - F("transferred")), money_value(ZERO), output_field=MoneyField()),
    )


def agreement_schedule(agreement: Agreement) -> QuerySet:
    return ScheduledContribution.objects.filter(partnership__agreement=agreement).select_related(
        "partnership__organisation").order_by("due_on", "pk")


def agreement_transfers(agreement: Agreement) -> QuerySet:
    return Transfer.objects.filter(partnership__agreement=agreement).select_related(
        "partnership__organisation").order_by("-transferred_on", "-pk")


AGREEMENT_SORTS = {
    "signed": ("signed_on", "pk"), "-signed": ("-signed_on", "-pk"),
    "total": ("total_amount", "pk"), "-total": ("-total_amount", "-pk"),
    "reference": ("reference",), "-reference": ("-reference",),
    "arrears": ("arrears", "pk"), "-arrears": ("-arrears", "-pk"),
    "committed": ("committed", "pk"), "-committed": ("-committed", "-pk"),
}


@dataclass
class AgreementFilters:
    q: str = ""
    region: int | None = None
    province: int | None = None
    programme: int | None = None
    kind: str = ""
    status: str = ""
    partner: int | None = None
    year: int | None = None
    sort: str = "-signed"

    @classmethod
    def from_query(cls, params) -> "AgreementFilters":
        return cls(
            q=(params.get("q") or "")[:200], region=int_param(params, "region"),
            province=int_param(params, "province"), programme=int_param(params, "programme"),
            kind=choice_param(params, "kind", Agreement.Kind.values),
            status=choice_param(params, "status", Agreement.Status.values),
            partner=int_param(params, "partner"), year=int_param(params, "year"),
            sort=choice_param(params, "sort", AGREEMENT_SORTS, "-signed"),
        )


def agreement_search(agreements: QuerySet, filters: AgreementFilters) -> QuerySet:
    """`agreements` (already scoped to the reader) filtered; `agreement_page_rows` adds figures and order."""
    queryset = filter_given(
        text_search(agreements, filters.q), region_id=filters.region, province_id=filters.province,
        programme_id=filters.programme, kind=filters.kind, status=filters.status,
        signed_on__year=filters.year,
    )
    if filters.partner:
        queryset = queryset.filter(
            pk__in=Partnership.objects.filter(organisation_id=filters.partner).values("agreement")
        )
    return queryset


