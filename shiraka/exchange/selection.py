"""What an export reads, as the list page it comes from: scoped to the reader by
`shiraka.accounts.access` (anonymous visitors get published records only) and filtered by the same
query-string parameters as the page. Also who acts for the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.http import Http404

from shiraka.accounts.access import (
    access_agreement,
    followed_agreements,
    followed_scope_key,
    visible_agreements,
    visible_projects,
)
from shiraka.agreements.models import Partnership
from shiraka.agreements.selectors import AgreementFilters, agreement_search, agreement_transfers
from shiraka.core.querying import int_param
from shiraka.followup.alerts import KINDS
from shiraka.followup.selectors import sorted_alerts
from shiraka.projects.selectors import ProjectFilters, project_search
from shiraka.territory.models import Province, Region


def export_source(kind: str, user, params):
    """The records of an export (a queryset, or a list of alerts). LookupError: a named agreement or
    organisation the reader may not see, or none was named."""
    if kind == "agreements":
        return agreement_search(visible_agreements(user), AgreementFilters.from_query(params))
    if kind == "projects":
        return project_search(visible_projects(user), ProjectFilters.from_query(params))
    if kind == "transfers":
        try:
            return agreement_transfers(access_agreement(user, str(params.get("agreement") or "")))
        except Http404:
            raise LookupError("no such agreement among those this reader may see") from None
    if kind == "commitments":
        organisation = int_param(params, "organisation")
        if organisation is None:
            raise LookupError("name the organisation (its id)")
        return Partnership.objects.filter(
            organisation_id=organisation, agreement__in=visible_agreements(user).values("pk")
        ).order_by("-agreement__signed_on", "pk")
    if kind == "alerts":
        return _alerts(user, params)
    raise LookupError(f"unknown export kind {kind!r}")


def _alerts(user, params) -> list:
    region = (
        Region.objects.filter(pk=int_param(params, "region")).first() if int_param(params, "region") else None
    )
    province = (
        Province.objects.filter(pk=int_param(params, "province")).first()
        if int_param(params, "province")
        else None
    )
    # The alerts page's own list, in its order (and sharing its memo).
    found = sorted_alerts(
        followed_agreements(user), region=region, province=province, scope=followed_scope_key(user)
    )
    kind = params.get("kind")
    return [alert for alert in found if alert.kind == kind] if kind in KINDS else found


def acting_user(username: str | None):
    """The command line's user: the one named, or the only superuser."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}.", returncode=2)
        return user
    superusers = list(users.filter(is_superuser=True)[:2])
    if len(superusers) != 1:
        raise CommandError("say who imports: --user USERNAME (its role and scope apply).", returncode=2)
    return superusers[0]
