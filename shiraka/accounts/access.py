"""Who may do what, decided on the object itself (DESIGN.md §2, accounts).

Every view, API handler, upload and download asks one of these functions; none of them reads a
request, so the CLI and imports can ask the same questions for a given user."""

from django.db.models import Q, QuerySet

from .models import Membership

Role = Membership.Role


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_shiraka_membership", False)
    if cached is not False:
        return cached
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    if membership is None and user.is_superuser:
        membership = Membership(user=user, role=Role.ADMINISTRATOR)
    user._shiraka_membership = membership
    return membership


def role_of(user) -> str | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    return membership.role


def is_administrator(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def _in_scope(membership: Membership, agreement) -> bool:
    """A secretariat is scoped to a province, a region or a programme (none = national)."""
    if membership.province_id:
        return agreement.province_id == membership.province_id
    if membership.region_id:
        return agreement.region_id == membership.region_id
    if membership.programme_id:
        return agreement.programme_id == membership.programme_id
    return True


def scope_filter(membership: Membership, prefix: str = "") -> Q:
    if membership.province_id:
        return Q(**{f"{prefix}province_id": membership.province_id})
    if membership.region_id:
        return Q(**{f"{prefix}region_id": membership.region_id})
    if membership.programme_id:
        return Q(**{f"{prefix}programme_id": membership.programme_id})
    return Q()


def can_view_agreement(user, agreement) -> bool:
    return agreement.is_published or getattr(user, "is_authenticated", False)


def can_create_agreement(user, *, region=None, province=None, programme=None) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.SECRETARIAT:
        return False
    membership = membership_of(user)

    class Probe:
        region_id = getattr(region, "pk", None) or (province.region_id if province is not None else None)
        province_id = getattr(province, "pk", None)
        programme_id = getattr(programme, "pk", None)

    return _in_scope(membership, Probe)


def can_edit_agreement(user, agreement) -> bool:
    """Agreement, signatories, partnerships, schedules, committees: administrators and the
    secretariat whose scope covers the agreement."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    return role == Role.SECRETARIAT and _in_scope(membership_of(user), agreement)


def can_record_transfer(user, partnership) -> bool:
    """A focal point records its own organisation's transfers; the secretariat records any in scope."""
    if can_edit_agreement(user, partnership.agreement):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.FOCAL_POINT
        and membership.organisation_id is not None
        and membership.organisation_id == partnership.organisation_id
    )


def can_edit_project(user, project) -> bool:
    """Projects, milestones, progress, contracts and payments: the secretariat in scope, and the
    project editor of the organisation that owns or delegates the project."""
    if can_edit_agreement(user, project.agreement):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.PROJECT_EDITOR
        and membership.organisation_id is not None
        and membership.organisation_id in {project.owner_id, project.delegated_owner_id}
    )


def editable_agreements(user, queryset: QuerySet) -> QuerySet:
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset
    if role == Role.SECRETARIAT:
        return queryset.filter(scope_filter(membership_of(user)))
    return queryset.none()
