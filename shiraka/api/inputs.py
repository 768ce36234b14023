"""What the API accepts: bounded fields (a text is never longer than its column, an amount never above
the largest the database keeps, an identifier never beyond 64 bits), so a hostile value is a 422, not
a crash. PATCH bodies carry the `version` read with the record."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from shiraka.agreements.models import Agreement
from shiraka.core.money import MAX_AMOUNT
from shiraka.core.querying import MAX_ID
from shiraka.core.rules import refuse
from shiraka.projects.models import Category, Milestone, Project

from .paging import choice, record_id

Id = int
Amount = Decimal


def amount_field(description: str = "", default=None):
    return Field(default, ge=0, le=MAX_AMOUNT, max_digits=14, decimal_places=2, description=description)


EARLIEST = date(1950, 1, 1)
LATEST = date(2100, 12, 31)


def day(default=None, **kwargs):
    return Field(default, ge=EARLIEST, le=LATEST, **kwargs)


def text(limit: int, default: str = "", **kwargs):
    return Field(default, max_length=limit, **kwargs)


class Versioned(Schema):
    version: int = Field(..., ge=1, le=MAX_ID, description="The version read with the record.")


class AgreementFieldsIn(Schema):
    kind: choice(Agreement.Kind) | None = None
    parent: str | None = text(60, None, description="Reference of the framework or amended agreement.")
    title_ar: str = text(500)
    title_fr: str = text(500)
    object_ar: str = text(10_000)
    object_fr: str = text(10_000)
    programme: Id | None = record_id()
    signed_on: date | None = day()
    signed_place: str = text(255)
    start_on: date | None = day()
    end_on: date | None = day()
    total_amount: Amount | None = amount_field("The total written in the agreement, in dirhams.")
    region: Id | None = record_id()
    province: Id | None = record_id()
    is_published: bool = False
    source_url: str = text(500)


class AgreementIn(AgreementFieldsIn):
    reference: str = Field(..., min_length=1, max_length=60)
    kind: choice(Agreement.Kind)
    status: choice(Agreement.Status) = "draft"
    status_reason: str = text(10_000)


class AgreementPatch(AgreementFieldsIn, Versioned):
    reference: str | None = Field(None, min_length=1, max_length=60)


class StatusIn(Versioned):
    status: str = Field(..., max_length=20)
    reason: str = text(10_000)


class PartnershipIn(Schema):
    organisation: Id = Field(..., ge=1, le=MAX_ID)
    committed_amount: Amount | None = amount_field("None when the agreement does not state it.")
    is_funder: bool = False
    is_project_owner: bool = False
    is_delegated_owner: bool = False
    is_technical_partner: bool = False
    commitment_source: str = text(255)
    obligations: str = text(10_000)


class PartnershipPatch(Versioned):
    committed_amount: Amount | None = amount_field()
    is_funder: bool | None = None
    is_project_owner: bool | None = None
    is_delegated_owner: bool | None = None
    is_technical_partner: bool | None = None
    commitment_source: str | None = text(255, None)
    obligations: str | None = text(10_000, None)


class ContributionIn(Schema):
    due_on: date = day(...)
    amount: Amount = amount_field(default=...)
    note: str = text(255)


class ContributionPatch(Versioned):
    due_on: date | None = day()
    amount: Amount | None = amount_field()
    note: str | None = text(255, None)


class TransferIn(Schema):
    transferred_on: date = day(...)
    amount: Amount = amount_field(default=...)
    reference: str = text(120, description="The bank's reference of the transfer.")
    note: str = text(255)


class CancelIn(Versioned):
    reason: str = Field(..., min_length=1, max_length=500)


class ProjectFieldsIn(Schema):
    title_ar: str = text(500)
    title_fr: str = text(500)
    description: str = text(10_000)
    category: choice(Category) | None = None
    facility_type: str | None = text(20, None, description="Code of the health facility type.")
    region: Id | None = record_id()
    province: Id | None = record_id()
    communes: list[str] | None = Field(None, max_length=200, description="HCP codes of the communes served.")
    latitude: Decimal | None = Field(None, ge=20, le=36, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-18, le=-0.5, max_digits=9, decimal_places=6)
    owner: Id | None = record_id()
    delegated_owner: Id | None = record_id()
    budget: Amount | None = amount_field()
    planned_start: date | None = day()
    planned_end: date | None = day()
    actual_start: date | None = day()
    actual_end: date | None = day()
    opened_on: date | None = day()
    units: int | None = Field(None, ge=0, le=32_767)
    beds: int | None = Field(None, ge=0, le=100_000)
    capacity_note: str = text(255)
    beneficiaries: int | None = Field(None, ge=0, le=100_000_000)


class ProjectIn(ProjectFieldsIn):
    agreement: str = Field(..., min_length=1, max_length=60, description="Reference of the agreement.")
    reference: str = Field(..., min_length=1, max_length=60)
    category: choice(Category)
    status: choice(Project.Status) = "planned"
    status_reason: str = text(10_000)


class ProjectPatch(ProjectFieldsIn, Versioned):
    reference: str | None = Field(None, min_length=1, max_length=60)


class MilestoneIn(Schema):
    kind: choice(Milestone.Kind)
    planned_on: date | None = day()
    achieved_on: date | None = day()
    note: str = text(255)


class MilestonePatch(Versioned):
    kind: choice(Milestone.Kind) | None = None
    planned_on: date | None = day()
    achieved_on: date | None = day()
    note: str | None = text(255, None)


class ProgressIn(Schema):
    reported_on: date = day(...)
    physical_progress: int = Field(..., ge=0, le=100)
    note: str = text(10_000)


class ProgressPatch(Versioned):
    """A recorded figure is corrected by a new update; its note may be completed."""

    note: str = text(10_000)


def existing(model, field: str, **lookup):
    """The record a write points to, or a 422 naming the field (not a 404: the URL itself exists)."""
    record = model.objects.filter(**lookup).first()
    if record is None:
        if "reference" in lookup:
            refuse(field, _("There is no such record: check the reference."), "unknown")
        refuse_unknown(field)
    return record


def refuse_unknown(field: str) -> None:
    refuse(field, _("There is no such record: check the identifier."), "unknown")


def one_of(model, pk, field: str):
    return None if pk is None else existing(model, field, pk=pk)


def by_reference(model, reference: str, field: str):
    return existing(model, field, reference=reference)


def no_nul(values: dict) -> dict:
    for name, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(
                {name: ValidationError(_("This text contains a NUL character."), code="nul")}
            )
    return values


def changes(patch: Versioned) -> tuple[dict, int]:
    """The fields a PATCH sent (and only those), and the version it read."""
    values = no_nul(patch.dict(exclude_unset=True))
    return values, values.pop("version")
