"""Who may see and change what: every such decision in Shiraka is made here (DESIGN.md §2, accounts).

Two kinds of functions:

- questions on an object already in hand (`can_edit_agreement(user, agreement)`) and scoped
  querysets (`visible_agreements(user)`), for selectors that take an already-scoped queryset;
- `access_*` functions that fetch a record and authorise it in one call, in the manner of Zulip's
  `access_stream_by_id`: a record the user may not see raises the same `Http404` as a missing one,
  and a record the user may see but not change raises `PermissionDenied` when `write=True`.

None of them reads a request, so the CLI, imports and the API ask the same questions for a given
user. Anonymous users are `AnonymousUser`; `None` never stands for "everyone"."""

from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from shiraka.agreements.models import (
    Agreement,
    Partnership,
    ScheduledContribution,
    Signatory,
    SigningAttendee,
    Transfer,
)
from shiraka.core.querying import prepared_rows
from shiraka.followup.models import Committee, Decision, Meeting
from shiraka.projects.models import (
    Contract,
    Milestone,
    Payment,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectFunding,
)

from .models import ApiToken, Membership

Role = Membership.Role
CREATOR_ROLES = {Role.ADMINISTRATOR, Role.SECRETARIAT}


# --- who the user is ------------------------------------------------------------------------------


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def membership_of(user) -> Membership | None:
    if not is_signed_in(user):
        return None
    cached = getattr(user, "_shiraka_membership", False)
    if cached is not False:
        return cached
    # Every request asks: the query is compiled once.
    found = prepared_rows("membership", _membership_of_user, user.pk)
    membership = found[0] if found else None
    if membership is None and user.is_superuser:
        membership = Membership(user=user, role=Role.ADMINISTRATOR)
    user._shiraka_membership = membership
    return membership


def _membership_of_user(pk: int) -> QuerySet:
    return Membership.objects.filter(user_id=pk).select_related("organisation")[:1]


def is_member(user) -> bool:
    """Signed in with a membership (or a superuser): an account without one sees what the public sees."""
    return membership_of(user) is not None


def role_of(user) -> str | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    return membership.role


def is_creator(user) -> bool:
    """Administrators and secretariats register agreements and committees (each within its scope)."""
    return role_of(user) in CREATOR_ROLES


# --- scopes ---------------------------------------------------------------------------------------


def _in_scope(membership: Membership, *, region_id=None, province_id=None, programme_id=None) -> bool:
    """A secretariat is scoped to a province, a region or a programme (none = national)."""
    if membership.province_id:
        return province_id == membership.province_id
    if membership.region_id:
        return region_id == membership.region_id
    if membership.programme_id:
        return programme_id == membership.programme_id
    return True


def scope_filter(membership: Membership, prefix: str = "") -> Q:
    if membership.province_id:
        return Q(**{f"{prefix}province_id": membership.province_id})
    if membership.region_id:
        return Q(**{f"{prefix}region_id": membership.region_id})
    if membership.programme_id:
        return Q(**{f"{prefix}programme_id": membership.programme_id})
    return Q()


def visible_agreements(user, queryset: QuerySet | None = None) -> QuerySet:
    """The public sees published agreements only, never a draft (even one flagged published before its
    review); members of an organisation the whole portfolio."""
    queryset = Agreement.objects.all() if queryset is None else queryset
    if is_member(user):
        return queryset
    return queryset.filter(is_published=True).exclude(status=Agreement.Status.DRAFT)


def visible_audience(user) -> str:
    """Which `visible_agreements(user)` this is, as a name cached figures are kept under: "all" for
    members, "published" for the public."""
    return "all" if is_member(user) else "published"


def visible_projects(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Project.objects.all() if queryset is None else queryset
    if is_member(user):
        return queryset
    return queryset.filter(agreement__is_published=True).exclude(agreement__status=Agreement.Status.DRAFT)


def followed_agreements(user) -> QuerySet:
    """The agreements whose follow-up (alerts, digests) `user` reads: none for anonymous visitors,
    those of a secretariat's territory or programme, every agreement for the other roles."""
    if not is_member(user):
        return Agreement.objects.none()
    agreements = Agreement.objects.all()
    if role_of(user) == Role.SECRETARIAT:
        agreements = agreements.filter(scope_filter(membership_of(user)))
    return agreements


def home_scope(user):
    """(filter, place) of the territory or programme a scoped secretariat works in, or None: its
    dashboard opens on its own figures, with a switch to the wider ones."""
    membership = membership_of(user)
    if membership is None or role_of(user) != Role.SECRETARIAT:
        return None
    for name in ("province", "region", "programme"):
        if getattr(membership, f"{name}_id"):
            return scope_filter(membership), getattr(membership, name)
    return None


def visible_committees(user) -> QuerySet:
    """Committees are internal: members of an organisation read them, the public does not."""
    return Committee.objects.all() if is_member(user) else Committee.objects.none()


def editable_agreements(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Agreement.objects.all() if queryset is None else queryset
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset
    if role == Role.SECRETARIAT:
        return queryset.filter(scope_filter(membership_of(user)))
    return queryset.none()


# --- questions on a record in hand ----------------------------------------------------------------


def can_create_agreement(user, *, region=None, province=None, programme=None) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.SECRETARIAT:
        return False
    region_id = getattr(region, "pk", None) or (province.region_id if province is not None else None)
    return _in_scope(
        membership_of(user),
        region_id=region_id,
        province_id=getattr(province, "pk", None),
        programme_id=getattr(programme, "pk", None),
    )


def can_create_in_own_scope(user) -> bool:
    """May the user register anything at all: an administrator, or a secretariat within its scope."""
    membership = membership_of(user)
    return membership is not None and can_create_agreement(
        user, region=membership.region, province=membership.province, programme=membership.programme
    )


def can_edit_agreement(user, agreement) -> bool:
    """Agreement, signatories, partnerships, schedules, committees: administrators and the
    secretariat whose scope covers the agreement."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    return role == Role.SECRETARIAT and _in_scope(
        membership_of(user),
        region_id=agreement.region_id,
        province_id=agreement.province_id,
        programme_id=agreement.programme_id,
    )


def check_agreement_scope(user, values: dict) -> None:
    """A scoped secretariat registers (or moves) agreements within its own territory or programme, and
    attaches them (a specific agreement, an amendment) only to an agreement of its own scope."""
    if not can_create_agreement(
        user, region=values.get("region"), province=values.get("province"), programme=values.get("programme")
    ):
        message = gettext("You may only register agreements of your own territory or programme.")
        raise ValidationError({"province": ValidationError(message, code="out_of_scope")})
    parent = values.get("parent")
    if parent is not None and not can_edit_agreement(user, parent):
        message = gettext("You may only attach an agreement to one of your own territory or programme.")
        raise ValidationError({"parent": ValidationError(message, code="parent_out_of_scope")})


def _member_of(user, role: str, organisation_ids) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == role
        and membership.organisation_id is not None
        and membership.organisation_id in organisation_ids
    )


def can_record_transfer(user, partnership) -> bool:
    """A focal point records its own organisation's transfers; the secretariat records any in scope."""
    return can_edit_agreement(user, partnership.agreement) or _member_of(
        user, Role.FOCAL_POINT, {partnership.organisation_id}
    )


def can_edit_project(user, project) -> bool:
    """Projects, milestones, progress, contracts and payments: the secretariat in scope, and the
    project editor of the organisation that owns or delegates the project."""
    return can_edit_agreement(user, project.agreement) or _member_of(
        user, Role.PROJECT_EDITOR, {project.owner_id, project.delegated_owner_id}
    )


def can_manage_committee(
    user, committee: Committee | None = None, *, agreements=(), region=None, province=None
) -> bool:
    """Administrators, and the secretariat whose scope covers every agreement the committee follows
    (or, for a committee that follows none, its territory)."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.SECRETARIAT:
        return False
    if committee is not None:
        agreements = list(committee.agreements.all()) if committee.pk else []
        region, province = committee.region, committee.province
    if agreements:
        return all(can_edit_agreement(user, agreement) for agreement in agreements)
    return can_create_agreement(user, region=region, province=province)


# --- fetch and authorise in one call --------------------------------------------------------------


def _one(queryset: QuerySet, **lookup):
    """The record, or the 404 that a missing record and a hidden one share."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _allowed(record, allowed: bool):
    if not allowed:
        raise PermissionDenied
    return record


# A row of an agreement or a project reaches it by a lookup path ending in its name: the records the
# user may see, and who may change them (and so their rows).
_PARENTS = {
    "agreement": (visible_agreements, can_edit_agreement),
    "project": (visible_projects, can_edit_project),
}


def _parent_of(row, path: str):
    return attrgetter(path.replace("__", "."))(row)


def _visible_row(user, model, pk: int, path: str, *related: str):
    """A row of the agreement or project `path` leads to, fetched among the rows of those the user may
    see: a row of a hidden one gives the 404 of a missing one."""
    visible, _may_edit = _PARENTS[path.rsplit("__", 1)[-1]]
    return _one(model.objects.filter(**{f"{path}__in": visible(user)}).select_related(*related), pk=pk)


def _editable_row(user, model, pk: int, path: str, *related: str):
    """A row to change: hidden with its agreement or project, changed by whom may change that."""
    row = _visible_row(user, model, pk, path, *related)
    _visible, may_edit = _PARENTS[path.rsplit("__", 1)[-1]]
    return _allowed(row, may_edit(user, _parent_of(row, path)))


def _internal(user, queryset: QuerySet, pk: int):
    """Committees and what they record are internal: the public gets the 404 of a missing record."""
    if not is_member(user):
        raise Http404
    return _one(queryset, pk=pk)


def _by_reference(visible: QuerySet, reference: str, *links: str):
    """The record of `visible` with this reference (else the 404 of a missing one) with its `links`:
    its key found first, then the record read by a query built once per process, and planned once
    per connection on PostgreSQL (`prepared_rows`), where planning the joins of a project's six
    links cost 1.5 ms of its page's 13 and building the query 0.4 ms more."""
    model = visible.model
    pk = _one(visible.values_list("pk", flat=True), reference=reference)
    name = f"{model._meta.label_lower}-by-key:{','.join(links)}"
    found = prepared_rows(name, lambda key: model.objects.select_related(*links).filter(pk=key), pk)
    if not found:  # removed in between
        raise Http404
    return found[0]


def access_agreement(user, reference: str, *, write: bool = False) -> Agreement:
    agreement = _by_reference(
        visible_agreements(user), reference, "region", "province", "programme", "parent"
    )
    return _allowed(agreement, not write or can_edit_agreement(user, agreement))


PROJECT_LINKS = ("agreement", "facility_type", "region", "province", "owner", "delegated_owner")


def access_project(user, reference: str, *, write: bool = False) -> Project:
    project = _by_reference(visible_projects(user), reference, *PROJECT_LINKS)
    return _allowed(project, not write or can_edit_project(user, project))


def access_partnership(user, pk: int, *, transfer: bool = False) -> Partnership:
    """Changing a partnership needs the agreement's editor; recording a transfer, its focal point too."""
    partnership = _visible_row(user, Partnership, pk, "agreement", "agreement", "organisation")
    allowed = (
        can_record_transfer(user, partnership)
        if transfer
        else can_edit_agreement(user, partnership.agreement)
    )
    return _allowed(partnership, allowed)


def access_milestone(user, pk: int) -> Milestone:
    return _editable_row(user, Milestone, pk, "project", "project", "project__agreement")


def access_contract(user, pk: int) -> Contract:
    return _editable_row(user, Contract, pk, "project", "project", "project__agreement")


def access_transfer(user, pk: int) -> Transfer:
    """A transfer to correct (cancel): who may record it may cancel it."""
    related = ("partnership__agreement", "partnership__organisation")
    transfer = _visible_row(user, Transfer, pk, "partnership__agreement", *related)
    return _allowed(transfer, can_record_transfer(user, transfer.partnership))


def access_payment(user, pk: int) -> Payment:
    """A payment to correct (cancel): who may record it may cancel it."""
    return _editable_row(user, Payment, pk, "contract__project", "contract__project__agreement")


def access_committee(user, pk: int, *, write: bool = False) -> Committee:
    """Committees are internal: members of an organisation read them, their managers change them."""
    committee = _internal(user, Committee.objects.select_related("region", "province", "chair"), pk)
    return _allowed(committee, not write or can_manage_committee(user, committee))


def access_meeting(user, pk: int, *, write: bool = False) -> Meeting:
    meetings = Meeting.objects.select_related("committee", "committee__region", "committee__province")
    meeting = _internal(user, meetings, pk)
    return _allowed(meeting, not write or can_manage_committee(user, meeting.committee))


def access_decision(user, pk: int) -> Decision:
    related = ("committee", "meeting", "responsible", "project", "agreement")
    return _internal(user, Decision.objects.select_related(*related), pk)


# --- files ------------------------------------------------------------------------------------------


def access_progress_photo(user, pk: int) -> ProgressPhoto:
    """Site photos follow their project: public when its agreement is published."""
    return _one(ProgressPhoto.objects.filter(update__project__in=visible_projects(user)), pk=pk)


def can_read_transfer_proof(user, partnership) -> bool:
    """A proof of transfer is read by the partner concerned (any member of its organisation), the
    secretariat whose scope covers the agreement, and administrators."""
    membership = membership_of(user)
    if membership is None:
        return False
    return membership.organisation_id == partnership.organisation_id or can_edit_agreement(
        user, partnership.agreement
    )


def access_transfer_proof(user, pk: int) -> Transfer:
    transfer = _one(Transfer.objects.select_related("partnership__agreement"), pk=pk)
    if not can_read_transfer_proof(user, transfer.partnership):
        raise Http404
    return transfer


def can_read_minutes_scan(user, committee) -> bool:
    """The signed minutes are read by the committee's member organisations, the secretariat that
    manages the committee, and administrators; never by the public."""
    membership = membership_of(user)
    if membership is None:
        return False
    if (
        membership.organisation_id
        and committee.members.filter(organisation_id=membership.organisation_id).exists()
    ):
        return True
    return can_manage_committee(user, committee)


def access_minutes_scan(user, pk: int) -> Meeting:
    meeting = access_meeting(user, pk)
    if not can_read_minutes_scan(user, meeting.committee):
        raise Http404
    return meeting


# --- follow-up --------------------------------------------------------------------------------------


def followed_scope_key(user) -> str:
    """A key that users share when `followed_agreements` gives them the same agreements, so that what
    is computed from those agreements (the alerts) can be cached for all of them."""
    membership = membership_of(user)
    parts = (
        role_of(user),
        getattr(membership, "region_id", None),
        getattr(membership, "province_id", None),
        getattr(membership, "programme_id", None),
    )
    return ":".join(str(part) for part in parts)


# --- changes that would take the right away -------------------------------------------------------


def can_edit_project_owned_by(user, project, *, owner, delegated_owner) -> bool:
    """Would `user` still update `project` once `owner` and `delegated_owner` own it: a project editor
    must not hand its project to other organisations and lock itself out."""
    # An unsaved copy carrying the new owners: the question is the one asked of the saved project.
    after = Project(agreement=project.agreement, owner=owner, delegated_owner=delegated_owner)
    return can_edit_project(user, after)


def check_project_owners(user, project, values: dict) -> None:
    """A project editor keeps its organisation as owner or delegated owner: otherwise one save would
    lock it out of the project it is updating."""
    owners = {name: values.get(name, getattr(project, name)) for name in ("owner", "delegated_owner")}
    if not can_edit_project_owned_by(user, project, **owners):
        message = gettext(
            "Your organisation must stay the owner or the delegated owner: otherwise you could no "
            "longer update this project."
        )
        raise ValidationError({"owner": ValidationError(message, code="owner_lock_out")})


# --- corrections of a project's rows ----------------------------------------------------------------
# Who may add a funding line, a progress update or a photo may edit and remove it (`access_milestone`
# and `access_contract` serve their edits and removals too).


def access_funding(user, pk: int) -> ProjectFunding:
    return _editable_row(user, ProjectFunding, pk, "project", "project__agreement", "organisation")


def access_progress_update(user, pk: int) -> ProgressUpdate:
    return _editable_row(user, ProgressUpdate, pk, "project", "project__agreement")


def access_progress_photo_edit(user, pk: int) -> ProgressPhoto:
    """A site photo to remove (`access_progress_photo` reads one)."""
    return _editable_row(user, ProgressPhoto, pk, "update__project", "update__project__agreement")


# --- agreement rows to correct ----------------------------------------------------------------------


def access_signatory(user, pk: int) -> Signatory:
    """A signatory to edit or remove: who may add one may correct it."""
    return _editable_row(user, Signatory, pk, "agreement", "agreement", "person", "organisation")


def access_attendee(user, pk: int) -> SigningAttendee:
    """A signing attendee ("in the presence of") to edit or remove: the agreement's editors."""
    return _editable_row(user, SigningAttendee, pk, "agreement", "agreement", "organisation")


def access_contribution(user, pk: int) -> ScheduledContribution:
    """A schedule line to edit or remove: the agreement's editors, as for adding one."""
    related = ("partnership__agreement", "partnership__organisation")
    return _editable_row(user, ScheduledContribution, pk, "partnership__agreement", *related)


# --- follow-up corrections --------------------------------------------------------------------------


def access_committee_member(user, pk: int):
    """A committee member to correct (role) or remove: who may add members may do both."""
    from shiraka.followup.models import CommitteeMember

    related = ("committee", "committee__region", "committee__province", "organisation", "person")
    member = _internal(user, CommitteeMember.objects.select_related(*related), pk)
    return _allowed(member, can_manage_committee(user, member.committee))


def access_decision_write(user, pk: int) -> Decision:
    """A decision to correct or remove: the committee's managers, as for its status."""
    decision = access_decision(user, pk)
    return _allowed(decision, can_manage_committee(user, decision.committee))


# --- users --------------------------------------------------------------------------------------------
# Administrators manage every user; a secretariat the users whose membership lies within its own
# scope, never an administrator, and it grants only the roles below, within its scope.

SECRETARIAT_GRANTS = {Role.SECRETARIAT, Role.FOCAL_POINT, Role.PROJECT_EDITOR, Role.VIEWER}


def may_manage_users(user) -> bool:
    """Does the user reach the people pages at all (what it may do there is asked below)."""
    return role_of(user) in CREATOR_ROLES


def manageable_users(user) -> QuerySet:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return users
    if role != Role.SECRETARIAT:
        return users.none()
    return (
        users.filter(membership__isnull=False, is_superuser=False)
        .exclude(membership__role=Role.ADMINISTRATOR)
        .filter(scope_filter(membership_of(user), "membership__"))
    )


def can_grant(user, *, role, region=None, province=None, programme=None) -> bool:
    """May `user` give a membership of `role` scoped to region/province/programme."""
    granted_by = role_of(user)
    if granted_by == Role.ADMINISTRATOR:
        return True
    if granted_by != Role.SECRETARIAT or role not in SECRETARIAT_GRANTS:
        return False
    region_id = getattr(region, "pk", None) or getattr(province, "region_id", None)
    return _in_scope(
        membership_of(user),
        region_id=region_id,
        province_id=getattr(province, "pk", None),
        programme_id=getattr(programme, "pk", None),
    )


def access_user(user, pk: int):
    """A user to manage: 404 for one the user may not manage (a missing one answers the same)."""
    if not may_manage_users(user):
        raise PermissionDenied
    return _one(manageable_users(user).select_related("membership"), pk=pk)


def own_api_tokens(user) -> QuerySet:
    """A token is its owner's alone: nobody else lists or revokes it, not even an administrator."""
    if not is_signed_in(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def access_api_token(user, pk: int):
    return _one(own_api_tokens(user), pk=pk)
