"""Writes on projects: creation, status, milestones, progress, contracts and payments."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from shiraka.core.formatting import format_amount
from shiraka.core.rules import amount_or_refuse, check_date_order, check_not_future, check_transition, refuse
from shiraka.core.services import (
    check_field_names,
    money_row_cancel,
    set_history_user,
    validated_save,
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


@transaction.atomic
def project_create(
    *, by=None, communes=(), status: str = S.PLANNED, status_reason: str = "", **fields
) -> Project:
    check_field_names(fields, PROJECT_FIELDS, "project")
    if "budget" in fields:
        fields["budget"] = amount_or_refuse(fields["budget"], "budget")
    project = Project(status=status, status_reason=status_reason, **fields)
    if status in REASON_REQUIRED and not status_reason.strip():
        refuse(
            "status_reason", _("Say why: a suspension or a cancellation needs a reason."), "reason_required"
        )
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


@transaction.atomic
def project_set_status(
    project: Project, *, status: str, reason: str = "", expected_version: int, by=None
) -> Project:
    check_transition(
        project.status,
        status,
        PROJECT_TRANSITIONS,
        labels=dict(S.choices),
        reason=reason,
        reason_required=REASON_REQUIRED,
    )
    project.status = status
    _check_project(project)
    return versioned_update(
        project,
        expected_version=expected_version,
        by=by,
        status=status,
        status_reason=reason if status in REASON_REQUIRED else project.status_reason,
    )


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
    if previous is not None and percent < previous.physical_progress and not (note or "").strip():
        # Works do not go backwards on their own: a lower figure is a correction or a loss, and says which.
        refuse(
            "note",
            _("The progress is lower than the %(last)s %% reported on %(on)s: say why in the note."),
            "progress_lower_needs_reason",
            last=previous.physical_progress,
            on=previous.reported_on.isoformat(),
        )
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
        project.physical_progress = percent
        project.progress_updated_on = reported_on
        project.version += 1
        set_history_user(project, by)
        project.save(update_fields=["physical_progress", "progress_updated_on", "version", "updated_at"])
    return update


@transaction.atomic
def contract_sign(
    *,
    project: Project,
    kind: str,
    amount,
    contractor=None,
    contractor_name: str = "",
    reference: str = "",
    signed_on: date | None = None,
    duration_days: int | None = None,
    by=None,
) -> Contract:
    amount = amount_or_refuse(amount, "amount", required=True)
    check_not_future(signed_on, field="signed_on")
    if contractor is None and not contractor_name.strip():
        refuse("contractor_name", _("Name the contractor."), "contractor_required")
    contract = Contract(
        project=project,
        kind=kind,
        amount=amount,
        contractor=contractor,
        contractor_name=contractor_name,
        reference=reference,
        signed_on=signed_on,
        duration_days=duration_days,
    )
    return validated_save(contract, by=by)


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
