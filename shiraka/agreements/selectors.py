"""Reads of agreements: per-partnership money figures (committed, due to date, transferred,
remaining, arrears), the schedule and transfers of an agreement, and the agreement search.

The figures that also read projects (portfolio summaries, breakdowns, list rows) live in
`shiraka.portfolio.selectors`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Exists, F, OuterRef, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, Greatest

from shiraka.core.money import ZERO, MoneyField, money_value
from shiraka.core.querying import (
    as_money,
    both_ways,
    choice_param,
    filter_given,
    int_param,
    prepared_rows,
    sum_subquery,
    text_search,
    year_param,
)
from shiraka.core.rules import today as local_today

from .models import Agreement, Partnership, ScheduledContribution, Signatory, SigningAttendee, Transfer

# --- the hierarchy, counted once ------------------------------------------------------------------
#
# Drafts and cancelled agreements count in no figure. An amendment changes the agreement it amends
# (its parent): the parent's effective total, end date and partners' commitments are its own values
# as changed by the amendments signed so far, in order of signing; an amendment has no money of its
# own. A specific agreement implements a framework: its total and commitments are part of the
# framework's envelope, so portfolio totals and commitments come from root agreements only, while
# schedules, transfers and projects, recorded once wherever they are recorded, count everywhere.

COUNTED_STATUSES = (
    Agreement.Status.SIGNED,
    Agreement.Status.IN_EXECUTION,
    Agreement.Status.COMPLETED,
    Agreement.Status.SUSPENDED,
)
NON_ROOT_KINDS = (Agreement.Kind.AMENDMENT, Agreement.Kind.SPECIFIC)


def counted_agreements(agreements: QuerySet) -> QuerySet:
    """The agreements that count in figures: neither drafts nor cancelled."""
    return agreements.filter(status__in=COUNTED_STATUSES)


def root_agreements(agreements: QuerySet) -> QuerySet:
    """Counted agreements whose total and commitments are their own: not amendments, not specific."""
    return counted_agreements(agreements).exclude(kind__in=NON_ROOT_KINDS)


def money_agreements(agreements: QuerySet) -> QuerySet:
    """Counted agreements that schedules, transfers and projects may be recorded on (not amendments)."""
    return counted_agreements(agreements).exclude(kind=Agreement.Kind.AMENDMENT)


def _signed_amendments() -> QuerySet:
    """The counted amendments of the outer row's agreement, the latest signed first."""
    return Agreement.objects.filter(
        parent=OuterRef("pk"), kind=Agreement.Kind.AMENDMENT, status__in=COUNTED_STATUSES
    ).order_by(F("signed_on").desc(nulls_last=True), "-pk")


def effective_total():
    """The agreement's total as its latest signed amendment that sets one leaves it."""
    amended = _signed_amendments().exclude(total_amount=None).values("total_amount")[:1]
    return Coalesce(
        Subquery(amended, output_field=MoneyField()), F("total_amount"), output_field=MoneyField()
    )


def effective_end_on():
    amended = _signed_amendments().exclude(end_on=None).values("end_on")[:1]
    return Coalesce(Subquery(amended), F("end_on"))


def effective_commitment():
    """A partnership's commitment as the latest signed amendment naming its partner leaves it."""
    amended = (
        Partnership.objects.filter(
            agreement__parent=OuterRef("agreement"),
            agreement__kind=Agreement.Kind.AMENDMENT,
            agreement__status__in=COUNTED_STATUSES,
            organisation=OuterRef("organisation"),
        )
        .exclude(committed_amount=None)
        .order_by(F("agreement__signed_on").desc(nulls_last=True), "-agreement__pk")
        .values("committed_amount")[:1]
    )
    # Most agreements are never amended: ask the agreement first (an index lookup on its children),
    # so the search through the partner's other partnerships runs only where an amendment exists.
    # A partner such as the ministry sits in thousands of agreements: without the guard the planner
    # may walk all of them for every row.
    has_amendment = Exists(
        Agreement.objects.filter(
            parent=OuterRef("agreement"), kind=Agreement.Kind.AMENDMENT, status__in=COUNTED_STATUSES
        )
    )
    return Case(
        When(
            has_amendment, then=Coalesce(Subquery(amended, output_field=MoneyField()), F("committed_amount"))
        ),
        default=F("committed_amount"),
        output_field=MoneyField(),
    )


def committed_subquery():
    """The sum of the outer agreement's partners' effective commitments (0 when none)."""
    summed = (
        Partnership.objects.filter(agreement=OuterRef("pk"))
        .annotate(effective=effective_commitment())
        .order_by()
        .values("agreement")
        .annotate(total=Sum("effective"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(summed, output_field=MoneyField()), money_value(ZERO), output_field=MoneyField())


def partnerships_with_figures(partnerships: QuerySet, *, today: date | None = None) -> QuerySet:
    """Each partnership with its effective commitment (`committed`), due to date, transferred,
    remaining (committed − transferred) and arrears (due − transferred, never below zero)."""
    today = today or local_today()
    return partnerships.annotate(
        committed=effective_commitment(),
        due_to_date=sum_subquery(ScheduledContribution.objects.filter(due_on__lte=today), "partnership"),
        scheduled=sum_subquery(ScheduledContribution.objects.all(), "partnership"),
        transferred=sum_subquery(Transfer.objects.standing(), "partnership"),
    ).annotate(
        remaining=as_money(F("committed") - F("transferred")),
        arrears=Greatest(
            as_money(F("due_to_date") - F("transferred")), money_value(ZERO), output_field=MoneyField()
        ),
    )


def agreement_schedule(agreement: Agreement) -> list[ScheduledContribution]:
    return prepared_rows("agreement-schedule", _schedule_of, agreement.pk)


def _schedule_of(pk: int) -> QuerySet:
    return (
        ScheduledContribution.objects.filter(partnership__agreement_id=pk)
        .select_related("partnership__organisation")
        .order_by("due_on", "pk")
    )


def agreement_transfers(agreement: Agreement) -> QuerySet:
    """Every transfer of the agreement, the cancelled ones too (the page strikes them through)."""
    return _transfers_of(agreement.pk)


def agreement_transfer_rows(agreement: Agreement) -> list[Transfer]:
    """`agreement_transfers`, read for the agreement's page (compiled once)."""
    return prepared_rows("agreement-transfers", _transfers_of, agreement.pk)


def _transfers_of(pk: int) -> QuerySet:
    return (
        Transfer.objects.filter(partnership__agreement_id=pk)
        .select_related("partnership__organisation", "cancelled_by")
        .order_by("-transferred_on", "-pk")
    )


def _listed(
    name: str, build: Callable[[int], QuerySet], agreement: Agreement, link: str = "agreement"
) -> list:
    """A list of the agreement's page, its query compiled once; each row knows the agreement (`link`)."""
    return prepared_rows(f"agreement-{name}", build, agreement.pk, **{link: agreement})


def agreement_signatories(agreement: Agreement) -> list[Signatory]:
    return _listed(
        "signatories",
        lambda pk: Signatory.objects.filter(agreement_id=pk).select_related("person", "organisation"),
        agreement,
    )


def agreement_attendees(agreement: Agreement) -> list[SigningAttendee]:
    return _listed("attendees", lambda pk: SigningAttendee.objects.filter(agreement_id=pk), agreement)


def agreement_children(agreement: Agreement) -> list[Agreement]:
    """Its specific agreements and amendments."""
    return _listed("children", lambda pk: Agreement.objects.filter(parent_id=pk), agreement, "parent")


AGREEMENT_SORTS = {
    **both_ways("signed", "signed_on"),
    # Read off the kept figures' indexes (`portfolio.selectors.agreement_page_rows` joins them).
    **both_ways("total", "figures__total"),
    **both_ways("reference", unique=True),
    **both_ways("arrears", "figures__arrears"),
    **both_ways("committed", "figures__committed"),
}


@dataclass
class PlaceFilters:
    """Words and a place: what a list of agreements or of projects is filtered by first. A list's
    filters extend it with fields of their own, read from the query by `from_query`."""

    q: str = ""
    region: int | None = None
    province: int | None = None

    @staticmethod
    def place_params(params) -> dict:
        """The words (200 characters at most) and the place of the query string `params`."""
        return {
            "q": (params.get("q") or "")[:200],
            "region": int_param(params, "region"),
            "province": int_param(params, "province"),
        }

    def lookups(self) -> dict:
        """The list's own filters, as field lookups: those left empty are skipped."""
        return {}

    def search(self, queryset: QuerySet) -> QuerySet:
        """`queryset` holding the words, in the place, and matching each lookup given."""
        queryset = text_search(queryset, self.q)
        return filter_given(queryset, region_id=self.region, province_id=self.province, **self.lookups())


@dataclass
class AgreementFilters(PlaceFilters):
    programme: int | None = None
    kind: str = ""
    status: str = ""
    partner: int | None = None
    year: int | None = None
    sort: str = "-signed"

    @classmethod
    def from_query(cls, params) -> "AgreementFilters":
        return cls(
            **cls.place_params(params),
            programme=int_param(params, "programme"),
            kind=choice_param(params, "kind", Agreement.Kind.values),
            status=choice_param(params, "status", Agreement.Status.values),
            partner=int_param(params, "partner"),
            year=year_param(params, "year"),
            sort=choice_param(params, "sort", AGREEMENT_SORTS, "-signed"),
        )

    def lookups(self) -> dict:
        return {
            "programme_id": self.programme,
            "kind": self.kind,
            "status": self.status,
            "signed_on__year": self.year,
        }


def agreement_search(agreements: QuerySet, filters: AgreementFilters) -> QuerySet:
    """`agreements` (already scoped to the reader) filtered; `agreement_page_rows` adds figures and order."""
    queryset = filters.search(agreements)
    if filters.partner:
        queryset = queryset.filter(
            pk__in=Partnership.objects.filter(organisation_id=filters.partner).values("agreement")
        )
    return queryset


# --- an agreement's versions and envelope -------------------------------------------------------------


@dataclass
class CommitmentChange:
    organisation: object
    before: Decimal | None
    after: Decimal | None


@dataclass
class Version:
    """The agreement as one document left it: the original, then each signed amendment in order."""

    agreement: Agreement
    is_original: bool
    total: Decimal | None
    end_on: date | None
    total_changed: bool = False
    end_changed: bool = False
    commitments: list[CommitmentChange] = field(default_factory=list)


def agreement_versions(agreement: Agreement) -> list[Version]:
    """The original and every counted amendment, in order of signing, each with what it changed.
    Empty for an agreement that was never amended. Two queries."""
    amendments = prepared_rows("agreement-amendments", _amendments_of, agreement.pk, parent=agreement)
    if not amendments:
        return []
    commitments = {p.organisation_id: p.committed_amount for p in agreement.partnerships.all()}
    versions = [Version(agreement, True, agreement.total_amount, agreement.end_on)]
    for amendment in amendments:
        previous = versions[-1]
        version = Version(amendment, False, previous.total, previous.end_on)
        if amendment.total_amount is not None and amendment.total_amount != previous.total:
            version.total, version.total_changed = amendment.total_amount, True
        if amendment.end_on is not None and amendment.end_on != previous.end_on:
            version.end_on, version.end_changed = amendment.end_on, True
        for partnership in amendment.partnerships.all():
            before = commitments.get(partnership.organisation_id)
            if partnership.committed_amount is not None and partnership.committed_amount != before:
                version.commitments.append(
                    CommitmentChange(partnership.organisation, before, partnership.committed_amount)
                )
                commitments[partnership.organisation_id] = partnership.committed_amount
        versions.append(version)
    return versions


def _amendments_of(pk: int) -> QuerySet:
    return (
        Agreement.objects.filter(parent_id=pk, kind=Agreement.Kind.AMENDMENT, status__in=COUNTED_STATUSES)
        .order_by(F("signed_on").asc(nulls_first=True), "pk")
        .prefetch_related("partnerships__organisation")
    )


@dataclass
class Envelope:
    envelope: Decimal | None
    allocated: Decimal
    unallocated: Decimal | None


def framework_envelope(agreement: Agreement) -> Envelope | None:
    """A framework agreement's envelope (its effective total), what its counted specific agreements
    take of it, and what is not yet allocated. One query."""
    if agreement.kind != Agreement.Kind.FRAMEWORK:
        return None
    row = prepared_rows("framework-envelope", _envelope_of, agreement.pk)[0]
    envelope, allocated = row["envelope"], row["allocated"]
    return Envelope(envelope, allocated, None if envelope is None else envelope - allocated)


def _envelope_of(pk: int) -> QuerySet:
    return (
        Agreement.objects.filter(pk=pk)
        .annotate(
            envelope=effective_total(),
            allocated=Coalesce(
                Subquery(
                    specific_agreements_of(OuterRef("pk"))
                    .annotate(effective=effective_total())
                    .order_by()
                    .values("parent")
                    .annotate(total=Sum("effective"))
                    .values("total")[:1],
                    output_field=MoneyField(),
                ),
                money_value(ZERO),
                output_field=MoneyField(),
            ),
        )
        .values("envelope", "allocated")
    )


def specific_agreements_of(framework) -> QuerySet:
    """The counted specific agreements of a framework (an instance, a pk or an OuterRef)."""
    return Agreement.objects.filter(
        parent=framework, kind=Agreement.Kind.SPECIFIC, status__in=COUNTED_STATUSES
    )
