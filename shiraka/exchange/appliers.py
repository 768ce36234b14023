"""One function per sheet: a parsed row written through the services, after the same permission
questions as the forms (`shiraka.accounts.access`). Each returns (action, label, changed fields):
"create", "change" or "unchanged" ("skip" for a cancelled transfer, which is never re-recorded).
An empty cell leaves an existing record's field as it is."""

from functools import partial

from django.utils.translation import gettext as _

from shiraka.accounts.access import (
    can_create_agreement,
    can_edit_agreement,
    can_edit_project,
    can_record_transfer,
)
from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Transfer
from shiraka.projects import services as projects
from shiraka.projects.models import Milestone, ProgressUpdate, Project, ProjectFunding

from .columns import AGREEMENTS, PARTNERS, PROJECTS


class RowProblem(Exception):
    def __init__(self, column: str, message):
        super().__init__(str(message))
        self.column = column
        self.message = message


class ParentLater(RowProblem):
    """The row names a parent agreement not written yet: tried again after the sheet's other rows."""


def _plain(sheet, *apart: str) -> tuple[str, ...]:
    """The sheet's columns written as they are read: all it imports but those its applier treats apart."""
    return tuple(column.key for column in sheet.importable() if column.key not in apart)


AGREEMENT_FIELDS = _plain(AGREEMENTS, "reference", "parent", "status", "status_reason")
PARTNER_FIELDS = _plain(PARTNERS, "agreement", "organisation")
PROJECT_FIELDS = _plain(PROJECTS, "reference", "agreement", "communes", "status", "status_reason")


def _value(record, name):
    value = getattr(record, name)
    return getattr(value, "pk", value)


def _diff(record, fields: dict) -> dict:
    return {
        name: value for name, value in fields.items() if _value(record, name) != getattr(value, "pk", value)
    }


def _given(data: dict, names) -> dict:
    return {name: data[name] for name in names if name in data}


def _create_or_change(existing, fields: dict, label: str, user, create, update):
    """A row that names one record: `create(by=, **fields)` when there is none yet, else
    `update(existing, ...)` with the fields the sheet changes, if any."""
    if existing is None:
        create(by=user, **fields)
        return "create", label, []
    changes = _diff(existing, fields)
    if not changes:
        return "unchanged", label, []
    update(existing, expected_version=existing.version, by=user, **changes)
    return "change", label, list(changes)


def _writable_agreement(lookups, reference: str):
    agreement = lookups.agreement(reference)
    if not can_edit_agreement(lookups.user, agreement):
        raise RowProblem(
            "agreement", _("You may not change agreement %(reference)s.") % {"reference": reference}
        )
    return agreement


def _writable_project(lookups, reference: str):
    project = lookups.project(reference)
    if not can_edit_project(lookups.user, project):
        raise RowProblem("project", _("You may not change project %(reference)s.") % {"reference": reference})
    return project


def _partnership(agreement, organisation) -> Partnership:
    partnership = (
        Partnership.objects.select_related("agreement", "organisation")
        .filter(agreement=agreement, organisation=organisation)
        .first()
    )
    if partnership is None:
        raise RowProblem(
            "organisation",
            _("This organisation is not a partner of agreement %(reference)s: add it as a partner first.")
            % {"reference": agreement.reference},
        )
    return partnership


def apply_agreement(data: dict, lookups):
    user, reference = lookups.user, data["reference"]
    fields = _given(data, AGREEMENT_FIELDS)
    if "parent" in data:
        parent = lookups.agreement(data["parent"], required=False)
        if parent is None:
            raise ParentLater("parent", _("No agreement has this reference (among those you may see)."))
        fields["parent"] = parent
    status, reason = data.get("status"), data.get("status_reason", "")
    if not Agreement.objects.filter(reference=reference).exists():
        place = {name: fields.get(name) for name in ("region", "province", "programme")}
        if not can_create_agreement(user, **place):
            raise RowProblem("region", _("You may not register an agreement in this territory or programme."))
        created = agreements.agreement_create(
            by=user,
            status=status or Agreement.Status.DRAFT,
            status_reason=reason,
            reference=reference,
            **fields,
        )
        lookups.agreements[reference] = created
        return "create", reference, []
    agreement = lookups.agreement(reference, required=False)
    if agreement is None:
        raise RowProblem("reference", _("This reference is already used by an agreement you may not see."))
    changes = _diff(agreement, fields)
    new_status = status if status and status != agreement.status else None
    if not changes and not new_status:
        return "unchanged", reference, []
    if not can_edit_agreement(user, agreement):
        raise RowProblem(
            "reference", _("You may not change agreement %(reference)s.") % {"reference": reference}
        )
    if changes:
        agreement = agreements.agreement_update(
            agreement, expected_version=agreement.version, by=user, **changes
        )
    if new_status:
        agreement = agreements.agreement_set_status(
            agreement, status=new_status, reason=reason, expected_version=agreement.version, by=user
        )
    return "change", reference, [*changes, *(["status"] if new_status else [])]


def apply_partner(data: dict, lookups):
    agreement = _writable_agreement(lookups, data["agreement"])
    organisation = data["organisation"]
    label = f"{agreement.reference} · {organisation}"
    fields = _given(data, PARTNER_FIELDS)
    existing = Partnership.objects.filter(agreement=agreement, organisation=organisation).first()
    create = partial(agreements.partnership_commit, agreement=agreement, organisation=organisation)
    return _create_or_change(existing, fields, label, lookups.user, create, agreements.partnership_update)


def apply_schedule(data: dict, lookups):
    agreement = _writable_agreement(lookups, data["agreement"])
    partnership = _partnership(agreement, data["organisation"])
    label = f"{agreement.reference} · {partnership.organisation} · {data['due_on']:%d/%m/%Y}"
    fields = _given(data, ("amount", "note"))
    existing = ScheduledContribution.objects.filter(partnership=partnership, due_on=data["due_on"]).first()
    create = partial(agreements.contribution_schedule, partnership=partnership, due_on=data["due_on"])
    return _create_or_change(existing, fields, label, lookups.user, create, agreements.contribution_update)


def apply_transfer(data: dict, lookups):
    agreement = lookups.agreement(data["agreement"])
    partnership = _partnership(agreement, data["organisation"])
    if not can_record_transfer(lookups.user, partnership):
        raise RowProblem("organisation", _("You may not record the transfers of this partner."))
    label = f"{agreement.reference} · {partnership.organisation} · {data['transferred_on']:%d/%m/%Y}"
    if data.get("cancelled"):
        return "skip", label, []
    same = Transfer.objects.standing().filter(
        partnership=partnership,
        transferred_on=data["transferred_on"],
        amount=data["amount"],
        reference=data.get("reference", ""),
    )
    if same.exists():
        return "unchanged", label, []
    agreements.transfer_record(
        partnership=partnership,
        by=lookups.user,
        **_given(data, ("transferred_on", "amount", "reference", "note")),
    )
    return "create", label, []


def new_project(data: dict, lookups) -> dict:
    """The arguments of `project_create` (or `project_prepare`, for the bulk path) for the row of a
    project not registered yet, after the form's permission question."""
    agreement = lookups.agreement(data["agreement"])
    if not can_edit_agreement(lookups.user, agreement):
        raise RowProblem("agreement", _("You may not add projects to this agreement."))
    return {
        "communes": data.get("communes") or (),
        "status": data.get("status") or Project.Status.PLANNED,
        "status_reason": data.get("status_reason", ""),
        "agreement": agreement,
        "reference": data["reference"],
        **_given(data, PROJECT_FIELDS),
    }


def apply_project(data: dict, lookups):
    user, reference = lookups.user, data["reference"]
    agreement = lookups.agreement(data["agreement"])
    fields = _given(data, PROJECT_FIELDS)
    communes = data.get("communes")
    status, reason = data.get("status"), data.get("status_reason", "")
    if not Project.objects.filter(reference=reference).exists():
        created = projects.project_create(by=user, **new_project(data, lookups))
        lookups.projects[reference] = created
        return "create", reference, []
    project = lookups.project(reference, required=False)
    if project is None:
        raise RowProblem("reference", _("This reference is already used by a project you may not see."))
    if project.agreement_id != agreement.pk:
        raise RowProblem(
            "agreement",
            _(
                "This project belongs to agreement %(reference)s: a project does not move to another agreement."
            )
            % {"reference": project.agreement.reference},
        )
    return _change_project(project, fields, communes, status, reason, user)


def _change_project(project, fields, communes, status, reason, user):
    changes = _diff(project, fields)
    if communes is not None and {c.pk for c in communes} != set(
        project.communes.values_list("pk", flat=True)
    ):
        changes["communes"] = communes
    new_status = status if status and status != project.status else None
    if not changes and not new_status:
        return "unchanged", project.reference, []
    if not can_edit_project(user, project):
        raise RowProblem(
            "reference", _("You may not change project %(reference)s.") % {"reference": project.reference}
        )
    changed = [*changes, *(["status"] if new_status else [])]
    if "communes" in changes:
        project = projects.project_update_with_communes(
            project, expected_version=project.version, by=user, communes=changes.pop("communes"), **changes
        )
    elif changes:
        project = projects.project_update(project, expected_version=project.version, by=user, **changes)
    if new_status:
        projects.project_set_status(
            project, status=new_status, reason=reason, expected_version=project.version, by=user
        )
    return "change", project.reference, changed


def apply_funding(data: dict, lookups):
    project = _writable_project(lookups, data["project"])
    organisation = data["organisation"]
    label = f"{project.reference} · {organisation}"
    fields = _given(data, ("amount",))
    existing = ProjectFunding.objects.filter(project=project, organisation=organisation).first()
    create = partial(projects.project_fund, project=project, organisation=organisation)
    return _create_or_change(existing, fields, label, lookups.user, create, projects.funding_update)


def apply_milestone(data: dict, lookups):
    project = _writable_project(lookups, data["project"])
    label = f"{project.reference} · {Milestone.Kind(data['kind']).label}"
    fields = _given(data, ("planned_on", "achieved_on", "note"))
    existing = Milestone.objects.filter(project=project, kind=data["kind"]).order_by("pk").first()
    create = partial(projects.milestone_plan, project=project, kind=data["kind"])
    return _create_or_change(existing, fields, label, lookups.user, create, projects.milestone_update)


def apply_progress(data: dict, lookups):
    project = _writable_project(lookups, data["project"])
    label = f"{project.reference} · {data['reported_on']:%d/%m/%Y}"
    existing = ProgressUpdate.objects.filter(project=project, reported_on=data["reported_on"]).first()
    if existing is None:
        projects.progress_record(
            project=project, by=lookups.user, **_given(data, ("reported_on", "physical_progress", "note"))
        )
        return "create", label, []
    if existing.physical_progress != data["physical_progress"]:
        raise RowProblem(
            "physical_progress",
            _("The update of this date records %(percent)s %%: correct it on the project's page.")
            % {"percent": existing.physical_progress},
        )
    if "note" not in data or data["note"] == existing.note:
        return "unchanged", label, []
    projects.progress_update_edit(
        existing, expected_version=existing.version, note=data["note"], by=lookups.user
    )
    return "change", label, ["note"]


APPLIERS = {
    "agreements": apply_agreement,
    "partners": apply_partner,
    "schedule": apply_schedule,
    "transfers": apply_transfer,
    "projects": apply_project,
    "funding": apply_funding,
    "milestones": apply_milestone,
    "progress": apply_progress,
}
