"""Writes on projects: creation, status, milestones, progress, contracts and payments."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from shiraka.core.bulk import new_object
from shiraka.core.formatting import format_amount
from shiraka.core.rules import amount_or_refuse, check_date_order, check_not_future, refuse
from shiraka.core.services import (
    StatusPath,
    check_field_names,
    claim_version,
    money_row_cancel,
    set_history_user,
    validated_save,
    versioned_remove,
    versioned_update,
)

from .models import Contract, Milestone, Payment, ProgressPhoto, ProgressUpdate, Project, ProjectFunding

S = Project.Status
PROJECT_PATH = [S.PLANNED, S.STUDIES, S.TENDERING, S.WORKS, S.DELIVERED, S.IN_SERVICE]
PROJECT_TRANSITIONS: dict[str, set[str]] = {
    status: set(PROJECT_PATH[index + 1 :]) | {S.SUSPENDED, S.CANCELLED}
    for index, status in enumerate(PROJECT_PATH)
}
PROJECT_TRANSITIONS[S.IN_SERVICE] = set()
PROJECT_TRANSITIONS[S.SUSPENDED] = set(PROJECT_PATH) | {S.CANCELLED}
PROJECT_TRANSITIONS[S.CANCELLED] = set()
REASON_REQUIRED = {S.SUSPENDED, S.CANCELLED}
PROJECT_FIELDS = {
    "agreement",
    "reference",
    "title_ar",
    "title_fr",
    "description",
    "category",
    "facility_type",
    "region",
    "province",
    "latitude",
    "longitude",
    "owner",
    "delegated_owner",
    "budget",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "opened_on",
    "units",
    "beds",
    "capacity_note",
    "beneficiaries",
}


def budget_warnings(project: Project) -> list[str]:
    """A rule that warns without refusing: project budgets above the agreement total."""
    agreement = project.agreement
    if agreement.total_amount is None:
        return []
    budgets = Project.objects.filter(agreement=agreement).aggregate(t=Sum("budget"))["t"] or Decimal("0.00")
    if budgets > agreement.total_amount:
        return [
            _("The project budgets add up to %(budgets)s, above the agreement's total of %(total)s.")
            % {"budgets": format_amount(budgets), "total": format_amount(agreement.total_amount)}
        ]
    return []


def _check_project(project: Project) -> None:
    check_date_order(project.planned_start, project.planned_end, end_field="planned_end")
    check_date_order(project.actual_start, project.actual_end, end_field="actual_end")
    check_not_future(project.actual_start, field="actual_start")
    check_not_future(project.actual_end, field="actual_end")
    check_not_future(project.opened_on, field="opened_on")
    if project.province_id:
        if project.region_id and project.province.region_id != project.region_id:
            refuse("province", _("This province is not in the chosen region."), "province_outside_region")
        project.region_id = project.province.region_id
    if project.status == S.IN_SERVICE and not project.opened_on and not _provisional_acceptance_on(project):
        refuse(
            "opened_on",
            _("A project in service needs its opening date or its provisional acceptance date."),
            "in_service_without_date",
        )


def _provisional_acceptance_on(project: Project) -> date | None:
    if not project.pk:
        return None
    milestone = (
        Milestone.objects.filter(
            project=project,
            kind__in=[Milestone.Kind.PROVISIONAL_ACCEPTANCE, Milestone.Kind.OPENING],
            achieved_on__isnull=False,
        )
        .order_by("achieved_on")
        .first()
    )
    return milestone.achieved_on if milestone else None


PROJECT_STATUS = StatusPath(PROJECT_TRANSITIONS, REASON_REQUIRED, _check_project)


def project_prepare(*, communes=(), status: str = S.PLANNED, status_reason: str = "", **fields) -> Project:
    """A new project built and checked by the creation rules, not saved yet: `project_create` saves
    it, the bulk import (exchange.bulk) writes many of them at once after the models' own checks."""
    check_field_names(fields, PROJECT_FIELDS, "project")
    if "budget" in fields:
        fields["budget"] = amount_or_refuse(fields["budget"], "budget")
    project = new_object(Project, status=status, status_reason=status_reason, **fields)
    PROJECT_STATUS.check_reason(status, status_reason)
    communes = list(communes)
    if communes and not project.province_id and len({c.province_id for c in communes}) == 1:
        project.province = communes[0].province
    if communes and not project.region_id:
        regions = {c.province.region_id for c in communes}
        if len(regions) == 1:
            project.region_id = regions.pop()
    if not project.region_id and project.agreement.region_id:
        project.region_id = project.agreement.region_id
    _check_project(project)
    return project


@transaction.atomic
def project_create(
    *, by=None, communes=(), status: str = S.PLANNED, status_reason: str = "", **fields
) -> Project:
    communes = list(communes)
    project = project_prepare(communes=communes, status=status, status_reason=status_reason, **fields)
    validated_save(project, by=by)
    if communes:
        project.communes.set(communes)
    project.warnings = budget_warnings(project)
    return project


@transaction.atomic
def project_update(project: Project, *, expected_version: int, by=None, **changes) -> Project:
    check_field_names(changes, (PROJECT_FIELDS - {"agreement"}), "project")
    if "budget" in changes:
        changes["budget"] = amount_or_refuse(changes["budget"], "budget")
    for name, value in changes.items():
        setattr(project, name, value)
    _check_project(project)
    project = versioned_update(project, expected_version=expected_version, by=by, **changes)
    project.warnings = budget_warnings(project)
    return project


def project_set_status(project: Project, **move) -> Project:
    """`status`, `reason` (a suspension or a cancellation says why), `expected_version`, `by`."""
    return PROJECT_STATUS.move(project, **move)


@transaction.atomic
def project_fund(*, project: Project, organisation, amount=None, by=None) -> ProjectFunding:
    amount = amount_or_refuse(amount, "amount")
    if ProjectFunding.objects.filter(project=project, organisation=organisation).exists():
        refuse(
            "organisation",
            _("This partner already funds this project; change its amount instead."),
            "funding_duplicate",
        )
    if amount is not None and project.budget is not None:
        funded = ProjectFunding.objects.filter(project=project).aggregate(t=Sum("amount"))["t"] or Decimal(
            "0"
        )
        if funded + amount > project.budget:
            refuse(
                "amount",
                _("The funding would exceed the project's budget of %(budget)s."),
                "funding_above_budget",
                budget=format_amount(project.budget),
            )
    return validated_save(ProjectFunding(project=project, organisation=organisation, amount=amount), by=by)


@transaction.atomic
def milestone_plan(
    *,
    project: Project,
    kind: str,
    planned_on: date | None = None,
    achieved_on: date | None = None,
    note: str = "",
    by=None,
) -> Milestone:
    check_not_future(achieved_on, field="achieved_on")
    return validated_save(
        Milestone(project=project, kind=kind, planned_on=planned_on, achieved_on=achieved_on, note=note),
        by=by,
    )


@transaction.atomic
def milestone_achieve(
    milestone: Milestone, *, achieved_on: date, expected_version: int, by=None
) -> Milestone:
    check_not_future(achieved_on, field="achieved_on")
    return versioned_update(milestone, expected_version=expected_version, by=by, achieved_on=achieved_on)


def _check_lower_says_why(percent: int, previous: ProgressUpdate | None, note: str) -> None:
    """Works do not go backwards on their own: a figure below the update before it is a correction
    or a loss, and its note says which."""
    if previous is not None and percent < previous.physical_progress and not (note or "").strip():
        refuse(
            "note",
            _("The progress is lower than the %(last)s %% reported on %(on)s: say why in the note."),
            "progress_lower_needs_reason",
            last=previous.physical_progress,
            on=previous.reported_on.isoformat(),
        )


@transaction.atomic
def progress_record(
    *, project: Project, reported_on: date, physical_progress, note: str = "", photos=(), by=None
) -> ProgressUpdate:
    percent = _whole_percent(physical_progress)
    if not 0 <= percent <= 100:
        refuse("physical_progress", _("Physical progress is between 0 and 100 %."), "progress_out_of_range")
    check_not_future(reported_on, field="reported_on")
    previous = (
        ProgressUpdate.objects.filter(project=project, reported_on__lte=reported_on)
        .order_by("-reported_on", "-pk")
        .first()
    )
    _check_lower_says_why(percent, previous, note)
    update = ProgressUpdate(
        project=project,
        reported_on=reported_on,
        physical_progress=percent,
        note=note,
        author=by if getattr(by, "pk", None) else None,
    )
    validated_save(update, by=by)
    for photo in photos:
        picture = ProgressPhoto(update=update, image=photo)
        set_history_user(picture, by)
        picture.save()
    latest = ProgressUpdate.objects.filter(project=project).order_by("-reported_on", "-pk").first()
    if latest.pk == update.pk:
        _set_progress(project, percent, reported_on, by=by)
    return update


def _set_progress(project: Project, percent: int, on: date | None, *, by=None) -> None:
    """The project keeps its latest update's figure and date (lists and averages read them there)."""
    project.physical_progress = percent
    project.progress_updated_on = on
    project.version += 1
    set_history_user(project, by)
    project.save(update_fields=["physical_progress", "progress_updated_on", "version", "updated_at"])


def _check_contract(values: dict) -> None:
    """What a contract says, on signing and when corrected: a signing date not to come, a contractor."""
    check_not_future(values.get("signed_on"), field="signed_on")
    if values.get("contractor") is None and not (values.get("contractor_name") or "").strip():
        refuse("contractor_name", _("Name the contractor."), "contractor_required")


@transaction.atomic
def contract_sign(*, project: Project, by=None, **fields) -> Contract:
    """`fields`: those of CONTRACT_FIELDS, `kind` and `amount` required."""
    check_field_names(fields, CONTRACT_FIELDS, "contract")
    fields["amount"] = amount_or_refuse(fields.get("amount"), "amount", required=True)
    _check_contract(fields)
    return validated_save(Contract(project=project, **fields), by=by)


@transaction.atomic
def payment_record(*, contract: Contract, paid_on: date, amount, reference: str = "", by=None) -> Payment:
    amount = amount_or_refuse(amount, "amount", required=True)
    if amount <= 0:
        refuse("amount", _("A payment is a positive amount."), "payment_not_positive")
    check_not_future(paid_on, field="paid_on")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.signed_on and paid_on < contract.signed_on:
        refuse(
            "paid_on",
            _("A payment cannot be made before its contract was signed."),
            "payment_before_contract",
        )
    paid = Payment.objects.standing().filter(contract=contract).aggregate(t=Sum("amount"))["t"] or Decimal(
        "0.00"
    )
    if paid + amount > contract.amount:
        refuse(
            "amount",
            _(
                "This payment would bring the total paid above the contract's %(amount)s; "
                "%(left)s is left to pay."
            ),
            "payment_above_contract",
            amount=format_amount(contract.amount),
            left=format_amount(contract.amount - paid),
        )
    return validated_save(
        Payment(contract=contract, paid_on=paid_on, amount=amount, reference=reference), by=by
    )


def _whole_percent(value) -> int:
    from decimal import InvalidOperation

    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        refuse(
            "physical_progress",
            _("Physical progress is a whole percentage between 0 and 100."),
            "progress_invalid",
        )
    return int(number)


def suggested_reference(agreement) -> str:
    """The next free reference of the form <agreement>-P01, -P02…, offered for a new project."""
    number = agreement.projects.count() + 1
    while True:
        reference = f"{agreement.reference}-P{number:02d}"
        if not Project.objects.filter(reference=reference).exists():
            return reference
        number += 1


@transaction.atomic
def project_update_with_communes(
    project: Project, *, expected_version: int, communes, by=None, **changes
) -> Project:
    """`project_update`, and the communes (a many-to-many set) in the same transaction."""
    project = project_update(project, expected_version=expected_version, by=by, **changes)
    project.communes.set(communes)
    return project


def payment_cancel(payment: Payment, *, reason: str, expected_version: int, by=None) -> Payment:
    """A payment recorded by mistake is cancelled, never deleted (see `transfer_cancel`)."""
    return money_row_cancel(payment, reason=reason, expected_version=expected_version, by=by)


# --- corrections: every project-side record may be edited or removed ----------------------------------
#
# The same rules as when the record was added, the version the user read (no lost update), and the
# history with its author, removals included (django-simple-history records deletes). Payments are
# never removed: they are cancelled with a reason (`payment_cancel`), and a contract with a payment,
# cancelled or not, stays.

FUNDING_FIELDS = {"amount"}
MILESTONE_FIELDS = {"kind", "planned_on", "achieved_on", "note"}
CONTRACT_FIELDS = (
    "kind",
    "reference",
    "contractor",
    "contractor_name",
    "amount",
    "signed_on",
    "duration_days",
)


def _funded_besides(funding: ProjectFunding) -> Decimal:
    others = ProjectFunding.objects.filter(project_id=funding.project_id).exclude(pk=funding.pk)
    return others.aggregate(t=Sum("amount"))["t"] or Decimal("0")


@transaction.atomic
def funding_update(funding: ProjectFunding, *, expected_version: int, by=None, **changes) -> ProjectFunding:
    check_field_names(changes, FUNDING_FIELDS, "funding")
    if "amount" in changes:
        changes["amount"] = amount_or_refuse(changes["amount"], "amount")
        project = funding.project
        amount = changes["amount"]
        if (
            amount is not None
            and project.budget is not None
            and _funded_besides(funding) + amount > project.budget
        ):
            refuse(
                "amount",
                _("The funding would exceed the project's budget of %(budget)s."),
                "funding_above_budget",
                budget=format_amount(project.budget),
            )
    return versioned_update(funding, expected_version=expected_version, by=by, **changes)


@transaction.atomic
def funding_remove(funding: ProjectFunding, *, expected_version: int, by=None) -> None:
    versioned_remove(funding, expected_version=expected_version, by=by)


OPENING_KINDS = (Milestone.Kind.PROVISIONAL_ACCEPTANCE, Milestone.Kind.OPENING)


def _check_in_service_keeps_its_date(milestone: Milestone, field: str, *, after: dict | None) -> None:
    """A project in service shows when it opened: its opening date, or a provisional acceptance (or
    opening) milestone achieved. Correcting (`after`: its values once changed) or removing (`after`
    None) `milestone` must not take the last one away."""
    project = Project.objects.get(pk=milestone.project_id)
    if project.status != S.IN_SERVICE or project.opened_on:
        return
    if after is not None and after["kind"] in OPENING_KINDS and after["achieved_on"]:
        return
    others = Milestone.objects.filter(project=project, kind__in=OPENING_KINDS, achieved_on__isnull=False)
    if not others.exclude(pk=milestone.pk).exists():
        refuse(
            field,
            _(
                "The project is in service: it needs its provisional acceptance or opening date "
                "until its opening date is entered on the project."
            ),
            "in_service_without_date",
        )


@transaction.atomic
def milestone_update(milestone: Milestone, *, expected_version: int, by=None, **changes) -> Milestone:
    check_field_names(changes, MILESTONE_FIELDS, "milestone")
    check_not_future(changes.get("achieved_on"), field="achieved_on")
    after = {name: changes.get(name, getattr(milestone, name)) for name in ("kind", "achieved_on")}
    _check_in_service_keeps_its_date(milestone, "achieved_on", after=after)
    return versioned_update(milestone, expected_version=expected_version, by=by, **changes)


@transaction.atomic
def milestone_remove(milestone: Milestone, *, expected_version: int, by=None) -> None:
    _check_in_service_keeps_its_date(milestone, NON_FIELD_ERRORS, after=None)
    versioned_remove(milestone, expected_version=expected_version, by=by)


def _previous_update(update: ProgressUpdate) -> ProgressUpdate | None:
    """The update before `update` in the project's order (latest first: date, then entry)."""
    earlier = Q(reported_on__lt=update.reported_on) | Q(reported_on=update.reported_on, pk__lt=update.pk)
    return (
        ProgressUpdate.objects.filter(earlier, project_id=update.project_id)
        .order_by("-reported_on", "-pk")
        .first()
    )


@transaction.atomic
def progress_update_edit(
    update: ProgressUpdate, *, expected_version: int, note: str, by=None
) -> ProgressUpdate:
    previous = _previous_update(update)
    _check_lower_says_why(update.physical_progress, previous, note)
    return versioned_update(update, expected_version=expected_version, by=by, note=note)


def _follow_latest_progress(project: Project, by=None) -> Project:
    """The project's progress is that of its latest update; with none left, 0 and no date."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    latest = ProgressUpdate.objects.filter(project=project).order_by("-reported_on", "-pk").first()
    percent, on = (latest.physical_progress, latest.reported_on) if latest else (0, None)
    if (project.physical_progress, project.progress_updated_on) != (percent, on):
        _set_progress(project, percent, on, by=by)
    return project


def _delete_files_on_commit(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            transaction.on_commit(lambda name=name: default_storage.delete(name))


@transaction.atomic
def progress_update_remove(update: ProgressUpdate, *, expected_version: int, by=None) -> Project:
    """Remove an update and its photos; the project's progress then follows the latest update left."""
    claim_version(update, expected_version)
    photos = list(update.photos.all())
    for photo in photos:
        set_history_user(photo, by)
        photo.delete()
    set_history_user(update, by)
    update.delete()
    _delete_files_on_commit(photo.image.name for photo in photos)
    return _follow_latest_progress(update.project, by=by)


@transaction.atomic
def progress_photo_remove(photo: ProgressPhoto, *, expected_version: int, by=None) -> None:
    name = photo.image.name
    versioned_remove(photo, expected_version=expected_version, by=by)
    _delete_files_on_commit([name])


@transaction.atomic
def contract_update(contract: Contract, *, expected_version: int, by=None, **changes) -> Contract:
    check_field_names(changes, CONTRACT_FIELDS, "contract")
    if "amount" in changes:
        changes["amount"] = amount_or_refuse(changes["amount"], "amount", required=True)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    after = {name: changes.get(name, getattr(locked, name)) for name in CONTRACT_FIELDS}
    _check_contract(after)
    standing = Payment.objects.standing().filter(contract=locked)
    paid = standing.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")
    if after["amount"] < paid:
        refuse(
            "amount",
            _("%(paid)s has already been paid on this contract: its amount cannot be lower."),
            "contract_below_payments",
            paid=format_amount(paid),
        )
    first_paid = standing.order_by("paid_on").values_list("paid_on", flat=True).first()
    if after["signed_on"] and first_paid and after["signed_on"] > first_paid:
        refuse(
            "signed_on",
            _("A payment was made on %(on)s: the contract was signed by then."),
            "contract_after_payment",
            on=first_paid.isoformat(),
        )
    return versioned_update(contract, expected_version=expected_version, by=by, **changes)


@transaction.atomic
def contract_remove(contract: Contract, *, expected_version: int, by=None) -> None:
    """A contract goes only while it has no payment: payments, even cancelled, are never removed."""
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if Payment.objects.filter(contract=locked).exists():
        refuse(
            NON_FIELD_ERRORS,
            _(
                "This contract has payments: it cannot be removed. A payment recorded by mistake is "
                "cancelled with a reason; correct the contract instead."
            ),
            "contract_has_payments",
        )
    versioned_remove(contract, expected_version=expected_version, by=by)
