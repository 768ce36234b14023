"""What the API answers: one schema per object. Amounts are decimal strings of dirhams ("1500000.00"),
exact to the centime, counted as the pages count them; `version` is what a PATCH must send back."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field, create_model

Money = Decimal | None


class Page(Schema):
    count: int
    limit: int
    offset: int


def page_schema(item: type[Schema]) -> type[Schema]:
    return create_model(f"{item.__name__}Page", __base__=Page, items=(list[item], ...))


class Named(Schema):
    id: int
    name_ar: str
    name_fr: str


class RegionOut(Named):
    code: str
    iso_code: str
    name_en: str
    population_2024: int | None


class ProvinceOut(Named):
    code: str
    iso_code: str
    kind: str
    region_id: int
    population_2024: int | None


class CommuneOut(Named):
    code: str
    kind: str
    province_id: int
    population_2024: int | None


class OrganisationOut(Named):
    name_en: str
    acronym: str
    kind: str
    reference_code: str | None


class ProgrammeOut(Named):
    code: str
    kind: str
    region_id: int | None
    province_id: int | None
    start_year: int | None
    end_year: int | None


class AgreementFiguresOut(Schema):
    """An agreement's money as its page shows it (amendments applied, each dirham counted once)."""

    total: Money = Field(None, description="The total in force, amendments applied.")
    committed: Money
    unallocated: Money
    due_to_date: Money
    transferred: Money
    arrears: Money
    budget: Money
    paid: Money
    project_count: int


class AgreementOut(Schema):
    reference: str
    kind: str
    parent: str | None = Field(None, description="Reference of the framework or amended agreement.")
    title_ar: str
    title_fr: str
    programme_id: int | None
    region_id: int | None
    province_id: int | None
    signed_on: date | None
    start_on: date | None
    end_on: date | None
    status: str
    is_published: bool
    total_amount: Money = Field(None, description="The total written in this agreement itself.")
    version: int
    figures: AgreementFiguresOut | None = None


class SignatoryOut(Schema):
    id: int
    person_id: int
    full_name_ar: str
    full_name_fr: str
    organisation_id: int | None
    role: str
    presided: bool
    position: int
    version: int


class PartnershipOut(Schema):
    id: int
    agreement: str
    organisation_id: int
    organisation_name_ar: str
    organisation_name_fr: str
    is_funder: bool
    is_project_owner: bool
    is_delegated_owner: bool
    is_technical_partner: bool
    committed_amount: Money = Field(None, description="As written in this agreement (None: not specified).")
    committed: Money = Field(None, description="The commitment in force, amendments applied.")
    due_to_date: Money = None
    transferred: Money = None
    arrears: Money = None
    commitment_source: str
    obligations: str
    version: int


class AgreementDetailOut(AgreementOut):
    object_ar: str
    object_fr: str
    signed_place: str
    status_reason: str
    source_url: str
    signatories: list[SignatoryOut]
    partnerships: list[PartnershipOut]


class ContributionOut(Schema):
    id: int
    partnership_id: int
    due_on: date
    amount: Decimal
    note: str
    version: int


class TransferOut(Schema):
    id: int
    partnership_id: int
    agreement: str
    organisation_id: int
    transferred_on: date
    amount: Decimal
    reference: str = Field(description="The bank reference; empty for those outside the partners.")
    note: str
    has_proof: bool
    cancelled_at: datetime | None
    cancellation_reason: str
    version: int


class ProjectOut(Schema):
    reference: str
    agreement: str
    title_ar: str
    title_fr: str
    category: str
    status: str
    region_id: int | None
    province_id: int | None
    owner_id: int | None
    delegated_owner_id: int | None
    budget: Money
    physical_progress: int | None
    progress_updated_on: date | None
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    version: int


class FundingOut(Schema):
    id: int
    organisation_id: int
    amount: Money
    version: int


class MilestoneOut(Schema):
    id: int
    kind: str
    planned_on: date | None
    achieved_on: date | None
    note: str
    version: int


class ProgressOut(Schema):
    id: int
    reported_on: date
    physical_progress: int
    note: str
    photos: int
    version: int


class PaymentOut(Schema):
    id: int
    contract_id: int
    paid_on: date
    amount: Decimal
    reference: str
    cancelled_at: datetime | None
    cancellation_reason: str
    version: int


class ContractOut(Schema):
    id: int
    kind: str
    reference: str
    contractor_id: int | None
    contractor_name: str
    amount: Money
    signed_on: date | None
    duration_days: int | None
    paid: Money
    version: int


class ProjectDetailOut(ProjectOut):
    description: str
    status_reason: str
    facility_type: str | None
    communes: list[str] = Field(description="HCP codes of the communes served.")
    latitude: Decimal | None
    longitude: Decimal | None
    opened_on: date | None
    units: int | None
    beds: int | None
    beneficiaries: int | None
    fundings: list[FundingOut]
    milestones: list[MilestoneOut]
    progress: list[ProgressOut]
    contracts: list[ContractOut]


class CommitteeOut(Named):
    kind: str
    region_id: int | None
    province_id: int | None
    agreements: list[str]
    version: int


class MeetingOut(Schema):
    id: int
    committee_id: int
    held_on: date
    place: str
    agenda: str
    minutes: str
    version: int


class DecisionOut(Schema):
    id: int
    committee_id: int
    meeting_id: int | None
    text: str
    responsible_id: int | None
    due_on: date | None
    status: str
    closed_on: date | None
    agreement: str | None
    project: str | None
    version: int


class AlertOut(Schema):
    kind: str
    severity: str
    object_type: str
    object_id: int
    label: str
    agreement: str | None
    region_id: int | None
    province_id: int | None
    since: date | None
    amount: Money


class SummaryOut(Schema):
    """The dashboard's figures for the agreements selected, computed by the pages' own selectors."""

    agreements: int
    total: Decimal
    committed: Decimal
    unallocated: Decimal
    unspecified_partners: int
    due_to_date: Decimal
    transferred: Decimal
    arrears: Decimal
    budget: Decimal
    paid: Decimal
    projects: int
    projects_by_status: dict[str, int]
    weighted_progress: float | None = Field(description="Physical progress weighted by budget (%).")
    population_2024: int | None = Field(None, description="When a region or province is given.")
    investment_per_inhabitant: Money = Field(None, description="Total in force ÷ population, in dirhams.")


class ErrorItem(Schema):
    field: str
    message: str
    code: str


class ErrorOut(Schema):
    """Every refusal: `detail` in the caller's language, a stable `code`, and the fields at fault."""

    detail: str
    code: str
    errors: list[ErrorItem]
    current_version: int | None = Field(None, description="On a 409: the version now saved.")


READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def answers(schema, status: int = 200, *, write: bool = False) -> dict:
    """The operation's documented answers: its own, and the refusals it may give."""
    return {status: schema, **(WRITE_ERRORS if write else READ_ERRORS)}
