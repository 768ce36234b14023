"""Writes on agreements, partnerships, schedules and transfers. Every entry point (pages, API,
imports, CLI) goes through these functions, so the rules of DESIGN.md §3 hold everywhere."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from shiraka.core.formatting import format_amount
from shiraka.core.querying import prepared_rows
from shiraka.core.rules import amount_or_refuse as _amount
from shiraka.core.rules import check_date_order, check_not_future, refuse
from shiraka.core.services import (
    StatusPath,
    check_field_names,
    money_row_cancel,
    validated_save,
    versioned_remove,
    versioned_update,
)
from shiraka.organisations.models import Organisation, Person
from shiraka.organisations.services import person_create

from .models import Agreement, Partnership, ScheduledContribution, Signatory, SigningAttendee, Transfer
from .selectors import (
    COUNTED_STATUSES,
    effective_commitment,
    effective_total,
    framework_envelope,
    specific_agreements_of,
)

S = Agreement.Status
AGREEMENT_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SIGNED, S.IN_EXECUTION, S.COMPLETED, S.CANCELLED},
    S.SIGNED: {S.IN_EXECUTION, S.COMPLETED, S.SUSPENDED, S.CANCELLED},
    S.IN_EXECUTION: {S.COMPLETED, S.SUSPENDED, S.CANCELLED},
    S.SUSPENDED: {S.SIGNED, S.IN_EXECUTION, S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
REASON_REQUIRED = {S.SUSPENDED, S.CANCELLED}
AGREEMENT_FIELDS = {
    "reference",
    "kind",
    "parent",
    "title_ar",
    "title_fr",
    "object_ar",
    "object_fr",
    "programme",
    "signed_on",
    "signed_place",
    "start_on",
    "end_on",
    "total_amount",
    "region",
    "province",
    "is_published",
    "source_text",
    "source_url",
}


def _check_agreement(agreement: Agreement) -> None:
    check_date_order(agreement.start_on, agreement.end_on, end_field="end_on")
    check_not_future(agreement.signed_on, field="signed_on")
    if agreement.status in {S.SIGNED, S.IN_EXECUTION, S.COMPLETED} and not agreement.signed_on:
        refuse("signed_on", _("A signed agreement needs its signing date."), "signing_date_required")
    if agreement.parent_id and agreement.parent_id == agreement.pk:
        refuse("parent", _("An agreement cannot be its own parent."), "parent_self")
    if agreement.kind in {Agreement.Kind.SPECIFIC, Agreement.Kind.AMENDMENT} and not agreement.parent_id:
        refuse(
            "parent",
            _("A specific agreement or an amendment names the agreement it belongs to."),
            "parent_required",
        )
    if agreement.parent_id:
        _check_parent(agreement)
    if agreement.province_id and agreement.region_id and agreement.province.region_id != agreement.region_id:
        refuse("province", _("This province is not in the chosen region."), "province_outside_region")
    if agreement.province_id and not agreement.region_id:
        agreement.region_id = agreement.province.region_id
    if agreement.pk and agreement.total_amount is not None:
        committed = committed_total(agreement)
        if committed > agreement.total_amount:
            refuse(
                "total_amount",
                _("The partners have already committed %(committed)s; the total cannot be lower."),
                "total_below_commitments",
                committed=format_amount(committed),
            )


def _check_parent(agreement: Agreement) -> None:
    """The hierarchy counts each dirham once (README, "The agreement hierarchy"): only specific
    agreements (of a framework) and amendments have a parent, and a specific agreement stays within
    its framework's envelope."""
    parent = agreement.parent
    if agreement.kind not in {Agreement.Kind.SPECIFIC, Agreement.Kind.AMENDMENT}:
        refuse(
            "parent",
            _("Only a specific agreement or an amendment belongs to another agreement."),
            "parent_not_allowed",
        )
    if agreement.kind == Agreement.Kind.SPECIFIC and parent.kind != Agreement.Kind.FRAMEWORK:
        refuse(
            "parent",
            _("A specific agreement implements a framework agreement: choose a framework."),
            "specific_needs_framework",
        )
    if agreement.kind == Agreement.Kind.AMENDMENT and parent.kind == Agreement.Kind.AMENDMENT:
        refuse(
            "parent",
            _("An amendment changes an agreement, not another amendment: choose the agreement."),
            "amendment_of_amendment",
        )
    if agreement.kind == Agreement.Kind.SPECIFIC:
        _check_envelope(agreement)
    if agreement.kind == Agreement.Kind.AMENDMENT and agreement.total_amount is not None:
        committed = effective_committed_total(parent)
        if committed > agreement.total_amount:
            refuse(
                "total_amount",
                _(
                    "The partners of the amended agreement have committed %(committed)s; the new total cannot "
                    "be lower. Lower their commitments in this amendment first."
                ),
                "total_below_commitments",
                committed=format_amount(committed),
            )


def _check_envelope(specific: Agreement) -> None:
    if specific.total_amount is None or specific.status not in COUNTED_STATUSES:
        return
    framework = Agreement.objects.select_for_update().get(pk=specific.parent_id)
    envelope = framework_envelope(framework)
    if envelope is None or envelope.envelope is None:
        return
    others = specific_agreements_of(framework).exclude(pk=specific.pk).aggregate(t=Sum("total_amount"))["t"]
    available = envelope.envelope - (others or Decimal("0.00"))
    if specific.total_amount > available:
        refuse(
            "total_amount",
            _(
                "This specific agreement would take its framework above its envelope of %(envelope)s: "
                "%(available)s is not yet allocated."
            ),
            "over_envelope",
            envelope=format_amount(envelope.envelope),
            available=format_amount(max(available, Decimal("0.00"))),
        )


AGREEMENT_STATUS = StatusPath(AGREEMENT_TRANSITIONS, REASON_REQUIRED, _check_agreement)


@transaction.atomic
def agreement_create(*, by=None, status: str = S.DRAFT, status_reason: str = "", **fields) -> Agreement:
    check_field_names(fields, AGREEMENT_FIELDS, "agreement")
    if "total_amount" in fields:
        fields["total_amount"] = _amount(fields["total_amount"], "total_amount")
    agreement = Agreement(status=status, status_reason=status_reason, **fields)
    AGREEMENT_STATUS.check_reason(status, status_reason)
    _check_agreement(agreement)
    return validated_save(agreement, by=by)


def _fields_update(allowed: set[str], what: str, *, amount: str = "", check=None):
    """The service correcting the `allowed` fields of a `what` row if nobody saved it since the version
    the user read: `update(row, expected_version=…, by=…, **changes)`. The `amount` field, when changed,
    is read as money; `check(row)`, if given, sees the row as the changes leave it and may refuse them."""

    @transaction.atomic
    def update(row, *, expected_version: int, by=None, **changes):
        check_field_names(changes, allowed, what)
        if amount in changes:
            changes[amount] = _amount(changes[amount], amount)
        if check is not None:
            for name, value in changes.items():
                setattr(row, name, value)
            check(row)
        return versioned_update(row, expected_version=expected_version, by=by, **changes)

    return update


agreement_update = _fields_update(
    AGREEMENT_FIELDS, "agreement", amount="total_amount", check=_check_agreement
)


def agreement_set_status(agreement: Agreement, **move) -> Agreement:
    """`status`, `reason` (a suspension or a cancellation says why), `expected_version`, `by`."""
    return AGREEMENT_STATUS.move(agreement, **move)


@transaction.atomic
def signatory_add(*, agreement: Agreement, by=None, **fields) -> Signatory:
    """`fields`: those of SIGNATORY_FIELDS, `person` required."""
    check_field_names(fields, SIGNATORY_FIELDS, "signatory")
    if Signatory.objects.filter(agreement=agreement, person=fields.get("person")).exists():
        refuse("person", _("This person already signs this agreement."), "signatory_duplicate")
    position = Signatory.objects.filter(agreement=agreement).count() + 1
    return validated_save(Signatory(agreement=agreement, position=position, **fields), by=by)


@transaction.atomic
def attendee_add(
    *, agreement: Agreement, description: str, organisation: Organisation | None = None, by=None
) -> SigningAttendee:
    return validated_save(
        SigningAttendee(agreement=agreement, organisation=organisation, description=description), by=by
    )


def committed_total(agreement: Agreement, *, excluding: Partnership | None = None) -> Decimal:
    partnerships = Partnership.objects.filter(agreement=agreement)
    if excluding is not None and excluding.pk:
        partnerships = partnerships.exclude(pk=excluding.pk)
    return partnerships.aggregate(total=Sum("committed_amount"))["total"] or Decimal("0.00")


def effective_committed_total(agreement: Agreement, *, excluding_organisation=None) -> Decimal:
    """The partners' commitments as the signed amendments leave them."""
    partnerships = Partnership.objects.filter(agreement=agreement)
    if excluding_organisation is not None:
        partnerships = partnerships.exclude(organisation=excluding_organisation)
    total = partnerships.annotate(effective=effective_commitment()).aggregate(t=Sum("effective"))["t"]
    return total or Decimal("0.00")


def effective_commitment_of(partnership: Partnership) -> Decimal | None:
    """Every transfer and schedule line asks it: its query (amendments looked up by subqueries) is
    compiled once, where Django spent 1 ms building it for a 0.1 ms answer."""
    return prepared_rows("effective-commitment", _effective_commitment_query, partnership.pk)[0]


def _effective_commitment_query(pk: int):
    return (
        Partnership.objects.filter(pk=pk)
        .annotate(effective=effective_commitment())
        .values_list("effective", flat=True)
    )


def _commitment_room(partnership: Partnership) -> tuple[Decimal | None, Decimal]:
    """(the total the commitments must fit in, what the other partners take of it)."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("parent")
        .get(pk=partnership.agreement_id)
    )
    if agreement.kind != Agreement.Kind.AMENDMENT:
        total = (
            Agreement.objects.filter(pk=agreement.pk)
            .annotate(effective=effective_total())
            .values_list("effective", flat=True)
            .get()
        )
        return total, effective_committed_total(agreement, excluding_organisation=partnership.organisation_id)
    # An amendment's commitments replace the amended agreement's for the same partners.
    if partnership.organisation_id not in set(
        agreement.parent.partnerships.values_list("organisation", flat=True)
    ):
        refuse(
            "organisation",
            _(
                "An amendment changes the commitments of the amended agreement's partners: add "
                "this partner to %(reference)s first."
            ),
            "amendment_partner_unknown",
            reference=agreement.parent.reference,
        )
    total = agreement.total_amount
    if total is None:
        total = (
            Agreement.objects.filter(pk=agreement.parent_id)
            .annotate(effective=effective_total())
            .values_list("effective", flat=True)
            .get()
        )
    replaced = (
        Partnership.objects.filter(agreement=agreement)
        .exclude(pk=partnership.pk)
        .exclude(committed_amount=None)
    )
    others = replaced.aggregate(t=Sum("committed_amount"))["t"] or Decimal("0.00")
    untouched = effective_committed_total(
        agreement.parent, excluding_organisation=partnership.organisation_id
    )
    untouched -= Partnership.objects.filter(
        agreement=agreement.parent, organisation__in=replaced.values("organisation")
    ).annotate(effective=effective_commitment()).aggregate(t=Sum("effective"))["t"] or Decimal("0.00")
    return total, others + untouched


def _check_commitment(partnership: Partnership) -> None:
    if partnership.committed_amount is None:
        return
    total, others = _commitment_room(partnership)
    if total is not None and others + partnership.committed_amount > total:
        refuse(
            "committed_amount",
            _(
                "The commitments would exceed the agreement's total of %(total)s; at most %(available)s "
                "is still unallocated."
            ),
            "over_commitment",
            total=format_amount(total),
            available=format_amount(max(total - others, Decimal("0.00"))),
        )
    transferred = partnership_transferred(partnership) if partnership.pk else Decimal("0.00")
    if partnership.committed_amount < transferred:
        refuse(
            "committed_amount",
            _("This partner has already transferred %(transferred)s; the commitment cannot be lower."),
            "commitment_below_transfers",
            transferred=format_amount(transferred),
        )


@transaction.atomic
def partnership_commit(
    *,
    agreement: Agreement,
    organisation: Organisation,
    committed_amount=None,
    is_funder: bool = False,
    is_project_owner: bool = False,
    is_delegated_owner: bool = False,
    is_technical_partner: bool = False,
    commitment_source: str = "",
    obligations: str = "",
    by=None,
) -> Partnership:
    if Partnership.objects.filter(agreement=agreement, organisation=organisation).exists():
        refuse(
            "organisation",
            _("This organisation is already a partner of this agreement."),
            "partner_duplicate",
        )
    partnership = Partnership(
        agreement=agreement,
        organisation=organisation,
        committed_amount=_amount(committed_amount, "committed_amount"),
        is_funder=is_funder or committed_amount not in (None, ""),
        is_project_owner=is_project_owner,
        is_delegated_owner=is_delegated_owner,
        is_technical_partner=is_technical_partner,
        commitment_source=commitment_source,
        obligations=obligations,
    )
    _check_commitment(partnership)
    return validated_save(partnership, by=by)


partnership_update = _fields_update(
    {"committed_amount", *Partnership.ROLE_FIELDS, "commitment_source", "obligations"},
    "partnership",
    amount="committed_amount",
    check=_check_commitment,
)


def partnership_transferred(partnership: Partnership) -> Decimal:
    return Transfer.objects.standing().filter(partnership=partnership).aggregate(t=Sum("amount"))[
        "t"
    ] or Decimal("0.00")


def partnership_scheduled(partnership: Partnership) -> Decimal:
    return ScheduledContribution.objects.filter(partnership=partnership).aggregate(t=Sum("amount"))[
        "t"
    ] or Decimal("0.00")


def _money_commitment(partnership: Partnership) -> Decimal | None:
    """The commitment that schedules and transfers are held to: the amended one. Money is recorded on
    the agreement itself, never on an amendment, so that it is counted once."""
    if partnership.agreement.kind == Agreement.Kind.AMENDMENT:
        refuse(
            "amount",
            _(
                "An amendment has no money of its own: record schedules and transfers on the "
                "agreement it amends, %(reference)s."
            ),
            "money_on_amendment",
            reference=partnership.agreement.parent.reference,
        )
    return effective_commitment_of(partnership)


def _locked_commitment(partnership: Partnership, unspecified_message) -> tuple[Partnership, Decimal]:
    """The partnership, locked for the money about to be recorded on it, and its amended commitment."""
    # Lock the partnership row (PostgreSQL); on SQLite the IMMEDIATE transaction serialises writers.
    partnership = (
        Partnership.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=partnership.pk)
    )
    committed = _money_commitment(partnership)
    if committed is None:
        refuse("amount", unspecified_message, "commitment_not_specified")
    return partnership, committed


@transaction.atomic
def contribution_schedule(
    *, partnership: Partnership, due_on: date, amount, note: str = "", by=None
) -> ScheduledContribution:
    amount = _amount(amount, "amount", required=True)
    partnership, committed = _locked_commitment(
        partnership,
        _("This partner's commitment is not specified: record it before scheduling its contributions."),
    )
    _check_schedule_room(partnership, committed, amount)
    contribution = ScheduledContribution(partnership=partnership, due_on=due_on, amount=amount, note=note)
    return validated_save(contribution, by=by)


def _check_schedule_room(
    partnership: Partnership, committed: Decimal, amount: Decimal, *, excluding=None
) -> None:
    """The schedule stays within the partner's amended commitment (`excluding`: the line being edited)."""
    lines = ScheduledContribution.objects.filter(partnership=partnership)
    if excluding is not None:
        lines = lines.exclude(pk=excluding.pk)
    already = lines.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")
    if already + amount > committed:
        refuse(
            "amount",
            _(
                "The schedule would exceed this partner's commitment of %(committed)s; %(available)s is left "
                "to schedule."
            ),
            "over_schedule",
            committed=format_amount(committed),
            available=format_amount(committed - already),
        )


@transaction.atomic
def transfer_record(
    *,
    partnership: Partnership,
    transferred_on: date,
    amount,
    reference: str = "",
    proof=None,
    note: str = "",
    by=None,
) -> Transfer:
    amount = _amount(amount, "amount", required=True)
    if amount <= 0:
        refuse("amount", _("A transfer is a positive amount."), "transfer_not_positive")
    check_not_future(transferred_on, field="transferred_on")
    partnership, committed = _locked_commitment(
        partnership, _("This partner's commitment is not specified: record it before recording a transfer.")
    )
    owed = committed - partnership_transferred(partnership)
    if amount > owed:
        refuse(
            "amount",
            _("This transfer of %(amount)s is more than the %(owed)s this partner still owes."),
            "transfer_above_owed",
            amount=format_amount(amount),
            owed=format_amount(max(owed, Decimal("0.00"))),
        )
    transfer = Transfer(
        partnership=partnership,
        transferred_on=transferred_on,
        amount=amount,
        reference=reference,
        note=note,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    if proof is not None:
        transfer.proof = proof
    return validated_save(transfer, by=by)


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@transaction.atomic
def signatory_add_with_person(
    *,
    agreement: Agreement,
    person: Person | None = None,
    full_name_ar: str = "",
    full_name_fr: str = "",
    role: str = "",
    organisation: Organisation | None = None,
    presided: bool = False,
    by=None,
) -> Signatory:
    """A signatory who may not be known yet: without `person`, the person is created from the names,
    the role becoming their title in its own language; a refused signatory leaves no orphan person."""
    if person is None:
        arabic = _is_arabic(role)
        person = person_create(
            full_name_ar=full_name_ar,
            full_name_fr=full_name_fr,
            title_ar=role if arabic else "",
            title_fr="" if arabic else role,
            organisation=organisation,
            by=by,
        )
    return signatory_add(
        agreement=agreement, person=person, organisation=organisation, role=role, presided=presided, by=by
    )


def transfer_cancel(transfer: Transfer, *, reason: str, expected_version: int, by=None) -> Transfer:
    """A transfer recorded by mistake is cancelled, never deleted: it stays on the page struck through
    with who cancelled it and why, and counts in no figure (what it covered is owed again)."""
    return money_row_cancel(transfer, reason=reason, expected_version=expected_version, by=by)


# --- corrections: the agreement-side rows are edited or removed under the rules they were added by ---

SIGNATORY_FIELDS = {"person", "organisation", "role", "presided"}
ATTENDEE_FIELDS = {"description", "organisation"}
CONTRIBUTION_FIELDS = {"due_on", "amount", "note"}


# Signatories, attendees and schedule lines are removed under no rule but the version the user read.
signatory_remove = attendee_remove = contribution_remove = versioned_remove


attendee_update = _fields_update(ATTENDEE_FIELDS, "signing attendee")


@transaction.atomic
def signatory_update(signatory: Signatory, *, expected_version: int, by=None, **changes) -> Signatory:
    check_field_names(changes, SIGNATORY_FIELDS, "signatory")
    person = changes.get("person")
    if (
        person is not None
        and Signatory.objects.filter(agreement_id=signatory.agreement_id, person=person)
        .exclude(pk=signatory.pk)
        .exists()
    ):
        refuse("person", _("This person already signs this agreement."), "signatory_duplicate")
    return versioned_update(signatory, expected_version=expected_version, by=by, **changes)


@transaction.atomic
def contribution_update(
    contribution: ScheduledContribution, *, expected_version: int, by=None, **changes
) -> ScheduledContribution:
    check_field_names(changes, CONTRIBUTION_FIELDS, "scheduled contribution")
    if "amount" in changes:
        changes["amount"] = _amount(changes["amount"], "amount", required=True)
    partnership, committed = _locked_commitment(
        contribution.partnership,
        _("This partner's commitment is not specified: record it before scheduling its contributions."),
    )
    amount = changes.get("amount", contribution.amount)
    saved = ScheduledContribution.objects.filter(pk=contribution.pk).values_list("amount", flat=True).first()
    # A correction that does not raise the line cannot take the schedule further above the commitment
    # (an amendment may have lowered it below what was already scheduled): its date or note may change.
    if saved is None or amount > saved:
        _check_schedule_room(partnership, committed, amount, excluding=contribution)
    return versioned_update(contribution, expected_version=expected_version, by=by, **changes)


def _check_partnership_removable(partnership: Partnership) -> None:
    """Money rows are never deleted, and a partner that other records name stays until they no longer do."""
    if Transfer.objects.filter(partnership=partnership).exists():
        refuse(
            "organisation",
            _(
                "Transfers are recorded for this partner (cancelled ones count too): money rows are never "
                "deleted, so the partner stays. Correct its commitment instead."
            ),
            "partner_has_transfers",
        )
    if ScheduledContribution.objects.filter(partnership=partnership).exists():
        refuse(
            "organisation",
            _("This partner has a schedule of contributions: remove its schedule lines first."),
            "partner_has_schedule",
        )
    funded = partnership.agreement.projects.filter(fundings__organisation_id=partnership.organisation_id)
    if funded.exists():
        refuse(
            "organisation",
            _("This partner funds projects of this agreement (%(projects)s): remove that funding first."),
            "partner_funds_projects",
            projects=", ".join(funded.order_by("reference").values_list("reference", flat=True).distinct()),
        )
    amended = Partnership.objects.filter(
        agreement__parent_id=partnership.agreement_id,
        agreement__kind=Agreement.Kind.AMENDMENT,
        organisation_id=partnership.organisation_id,
    )
    if amended.exists():
        refuse(
            "organisation",
            _(
                "An amendment changes this partner's commitment (%(references)s): remove it from the "
                "amendment first."
            ),
            "partner_in_amendment",
            references=", ".join(
                amended.order_by("agreement__reference").values_list("agreement__reference", flat=True)
            ),
        )


def _check_amended_money(partnership: Partnership) -> None:
    """Once an amendment's partner is removed, the amended agreement's partner is held to the commitment
    that is left: what is scheduled and transferred there must still fit in it."""
    original = Partnership.objects.filter(
        agreement_id=partnership.agreement.parent_id, organisation_id=partnership.organisation_id
    ).first()
    if original is None:
        return
    money = max(partnership_scheduled(original), partnership_transferred(original))
    committed = effective_commitment_of(original)
    if money and (committed is None or money > committed):
        refuse(
            "organisation",
            _(
                "Without this amendment the partner's commitment would be %(committed)s, below the "
                "%(money)s already scheduled or transferred on %(reference)s."
            ),
            "amendment_money_above_commitment",
            committed=format_amount(committed) if committed is not None else _("not specified"),
            money=format_amount(money),
            reference=partnership.agreement.parent.reference,
        )


@transaction.atomic
def partnership_remove(partnership: Partnership, *, expected_version: int, by=None) -> None:
    """A partner added by mistake is removed, unless money rows, a project's funding or an amendment
    name it. Nothing else hangs on a partnership (its schedule is refused above)."""
    _check_partnership_removable(partnership)
    versioned_remove(partnership, expected_version=expected_version, by=by)
    if partnership.agreement.kind == Agreement.Kind.AMENDMENT and partnership.agreement.parent_id:
        # Checked once the row is gone (the transaction undoes the removal when refused).
        _check_amended_money(partnership)
