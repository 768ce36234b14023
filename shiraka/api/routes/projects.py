"""Projects: lists with the pages' filters, detail with funding, milestones, progress and contracts,
and what the secretariat and the owner's project editor record."""

from django.db import transaction
from django.db.models import Count
from ninja import Query, Router, Status
from pydantic import Field

from shiraka.accounts.access import (
    access_agreement,
    access_milestone,
    access_progress_update,
    access_project,
    check_project_owners,
    visible_projects,
)
from shiraka.organisations.models import Organisation
from shiraka.projects import services
from shiraka.projects.models import Category, Milestone, Payment, ProgressUpdate, Project
from shiraka.projects.selectors import (
    PROJECT_SORTS,
    ProjectFilters,
    contracts_with_payments,
    project_page_rows,
    project_search,
    project_search_counted,
)
from shiraka.territory.models import Commune, HealthFacilityType, Province, Region

from ..auth import caller, write_token
from ..errors import found
from ..inputs import (
    MilestoneIn,
    MilestonePatch,
    ProgressIn,
    ProgressPatch,
    ProjectIn,
    ProjectPatch,
    StatusIn,
    changes,
    existing,
    no_nul,
    one_of,
    refuse_unknown,
)
from ..paging import Paging, PlaceFilter, choice, list_filters, one_of_names, paginate, record_id, words
from ..schemas import (
    ContractOut,
    FundingOut,
    MilestoneOut,
    PaymentOut,
    ProgressOut,
    ProjectDetailOut,
    ProjectOut,
    answers,
)
from .common import RecordId, patch, read
from .rows import contract_row, fields_of, payment_row, progress_row, project_row

router = Router(tags=["projects"])


class ProjectQuery(PlaceFilter):
    q: str = words("Words of the reference, title or description.")
    category: choice(Category) | None = None
    status: choice(Project.Status) | None = None
    agreement: str = Field("", max_length=60, description="Reference of the agreement.")
    owner: int | None = record_id(description="Owner or delegated owner organisation.")
    late: bool = Field(False, description="Only projects with a milestone past its planned date.")
    sort: str = one_of_names(PROJECT_SORTS, "reference")


@read(router, "/projects", ProjectOut, many=True)
def projects(request, query: Query[ProjectQuery]):
    """The projects the caller may see, filtered and sorted as on the projects page."""
    filters = list_filters(query, ProjectFilters, choices=("category", "status"))
    visible = visible_projects(caller(request))
    rows = project_page_rows(project_search(visible, filters), filters.sort)
    counted = project_search_counted(visible, filters)
    return paginate(rows.select_related("agreement"), query, project_row, counted=counted)


def project_detail(project: Project) -> dict:
    project = (
        Project.objects.select_related("agreement", "facility_type")
        .prefetch_related("communes", "fundings", "milestones")
        .get(pk=project.pk)
    )
    updates = project.progress_updates.annotate(photo_count=Count("photos")).order_by("-reported_on", "-pk")
    return {
        **project_row(project),
        "description": project.description,
        "status_reason": project.status_reason,
        "facility_type": project.facility_type.code if project.facility_type else None,
        "communes": [commune.code for commune in project.communes.all()],
        "latitude": project.latitude,
        "longitude": project.longitude,
        "opened_on": project.opened_on,
        "units": project.units,
        "beds": project.beds,
        "beneficiaries": project.beneficiaries,
        "fundings": [fields_of(f, "organisation_id", "amount") for f in project.fundings.all()],
        "milestones": [milestone_row(m) for m in project.milestones.all()],
        "progress": [progress_row(update) for update in updates[:50]],
        "contracts": [contract_row(contract) for contract in contracts_with_payments(project)],
    }


def milestone_row(milestone: Milestone) -> dict:
    return fields_of(milestone, "kind", "planned_on", "achieved_on", "note")


@read(router, "/projects/{reference}", ProjectDetailOut)
def project(request, reference: str):
    return project_detail(access_project(caller(request), reference[:60]))


@read(router, "/projects/{reference}/milestones", MilestoneOut, many=True)
def project_milestones(request, reference: str, query: Query[Paging]):
    record = access_project(caller(request), reference[:60])
    rows = Milestone.objects.filter(project=record).order_by("planned_on", "pk")
    return paginate(rows, query, milestone_row)


@read(router, "/projects/{reference}/progress", ProgressOut, many=True)
def project_progress(request, reference: str, query: Query[Paging]):
    """Progress reports, latest first (photos are counted; they are seen on the project's page)."""
    record = access_project(caller(request), reference[:60])
    rows = record.progress_updates.annotate(photo_count=Count("photos")).order_by("-reported_on", "-pk")
    return paginate(rows, query, progress_row)


@read(router, "/projects/{reference}/contracts", ContractOut, many=True)
def project_contracts(request, reference: str, query: Query[Paging]):
    record = access_project(caller(request), reference[:60])
    return paginate(contracts_with_payments(record), query, contract_row)


@read(router, "/projects/{reference}/fundings", FundingOut, many=True)
def project_fundings(request, reference: str, query: Query[Paging]):
    record = access_project(caller(request), reference[:60])
    rows = record.fundings.order_by("pk")
    return paginate(rows, query, lambda funding: fields_of(funding, "organisation_id", "amount"))


@read(router, "/milestones/{pk}", MilestoneOut)
def milestone(request, pk: int = RecordId):
    rows = Milestone.objects.filter(project__in=visible_projects(caller(request)))
    return milestone_row(found(rows.filter(pk=pk)))


@read(router, "/progress/{pk}", ProgressOut)
def progress(request, pk: int = RecordId):
    rows = ProgressUpdate.objects.filter(project__in=visible_projects(caller(request)))
    return progress_row(found(rows.annotate(photo_count=Count("photos")).filter(pk=pk)))


@read(router, "/projects/{reference}/payments", PaymentOut, many=True)
def project_payments(request, reference: str, query: Query[Paging]):
    """Payments on the project's contracts, cancelled ones included (they count in no figure)."""
    record = access_project(caller(request), reference[:60])
    rows = Payment.objects.filter(contract__project=record).order_by("paid_on", "pk")
    return paginate(rows, query, payment_row)


def project_links(values: dict) -> dict:
    for name, model in {"region": Region, "province": Province}.items():
        if name in values:
            values[name] = one_of(model, values[name], name)
    for name in ("owner", "delegated_owner"):
        if name in values:
            values[name] = one_of(Organisation, values[name], name)
    if values.get("facility_type") is not None:
        values["facility_type"] = existing(HealthFacilityType, "facility_type", code=values["facility_type"])
    if values.get("communes") is not None:
        codes = set(values["communes"])
        communes = list(Commune.objects.filter(code__in=codes).select_related("province"))
        if len(communes) != len(codes):
            refuse_unknown("communes")
        values["communes"] = communes
    return values


@router.post("/projects", response=answers(ProjectDetailOut, 201, write=True), auth=write_token)
def project_create(request, payload: ProjectIn):
    """Add a project to an agreement the caller may edit."""
    user = request.auth
    values = no_nul(payload.dict())
    agreement = access_agreement(user, values.pop("agreement"), write=True)
    values = project_links(values)
    values["communes"] = values.get("communes") or ()
    created = services.project_create(agreement=agreement, by=user, **values)
    return Status(201, project_detail(created))


@router.patch("/projects/{reference}", response=answers(ProjectDetailOut, write=True), auth=write_token)
def project_update(request, reference: str, payload: ProjectPatch):
    """Change some fields; `version` must be the one read (409 if someone saved since)."""
    user = request.auth
    record = access_project(user, reference[:60], write=True)
    values, version = changes(payload)
    values = project_links(values)
    with transaction.atomic():
        check_project_owners(user, record, values)
        if "communes" in values:
            communes = values.pop("communes") or []
            services.project_update_with_communes(
                record, expected_version=version, communes=communes, by=user, **values
            )
        else:
            services.project_update(record, expected_version=version, by=user, **values)
    return project_detail(record)


@router.post("/projects/{reference}/status", response=answers(ProjectDetailOut, write=True), auth=write_token)
def project_status(request, reference: str, payload: StatusIn):
    user = request.auth
    record = access_project(user, reference[:60], write=True)
    services.project_set_status(
        record, status=payload.status, reason=payload.reason, expected_version=payload.version, by=user
    )
    return project_detail(record)


@router.post(
    "/projects/{reference}/milestones", response=answers(MilestoneOut, 201, write=True), auth=write_token
)
def milestone_create(request, reference: str, payload: MilestoneIn):
    user = request.auth
    record = access_project(user, reference[:60], write=True)
    return Status(
        201, milestone_row(services.milestone_plan(project=record, by=user, **no_nul(payload.dict())))
    )


@router.patch("/milestones/{pk}", response=answers(MilestoneOut, write=True), auth=write_token)
def milestone_update(request, payload: MilestonePatch, pk: int = RecordId):
    return milestone_row(patch(request, payload, access_milestone, services.milestone_update, pk))


@router.post(
    "/projects/{reference}/progress", response=answers(ProgressOut, 201, write=True), auth=write_token
)
def progress_create(request, reference: str, payload: ProgressIn):
    """Report physical progress (photos are added on the project's page)."""
    user = request.auth
    record = access_project(user, reference[:60], write=True)
    created = services.progress_record(project=record, by=user, **no_nul(payload.dict()))
    return Status(201, progress_row(created))


@router.patch("/progress/{pk}", response=answers(ProgressOut, write=True), auth=write_token)
def progress_update(request, payload: ProgressPatch, pk: int = RecordId):
    user = request.auth
    record = access_progress_update(user, pk)
    values = no_nul(payload.dict())
    updated = services.progress_update_edit(
        record, expected_version=values["version"], note=values["note"], by=user
    )
    return progress_row(updated)
