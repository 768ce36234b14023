"""Corrections of a project's rows, from its update page: a funding line, a milestone, a progress
update (its note, or the whole update), a site photo, a contract. An edit is the row's form with the
version the user read; a removal is a confirmation with that version. Both open on the row (htmx) or
on a page of their own, and answer like the other edit views: back to the update page, or a refresh
under htmx."""

from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import (
    access_contract,
    access_funding,
    access_milestone,
    access_progress_photo_edit,
    access_progress_update,
)
from shiraka.projects import services

from .common import edit_view, remove_view
from .forms import project_rows as forms


def project_of(record):
    return record.update.project if hasattr(record, "update") else record.project


def photo_name(photo) -> str:
    """A site photo as its update names it: the date, and the caption when it has one."""
    return " ".join(part for part in (f"{photo.update.reported_on:%Y-%m-%d}", photo.caption) if part)


def edit_row_view(fetch, form_class, service):
    return edit_view(fetch, form_class, service, home=project_of)


# The words of each removal: the confirmation's title, naming the row as %(record)s, and what the
# page says once the row is removed.
REMOVALS = {
    "funding": (_("Remove the funding line: %(record)s?"), _("The funding line was removed.")),
    "milestone": (_("Remove the milestone: %(record)s?"), _("The milestone was removed.")),
    "progress": (
        _("Remove the progress update and its photos: %(record)s?"),
        _("The progress update was removed; the project shows the latest one left."),
    ),
    "photo": (_("Remove the site photo of %(record)s?"), _("The photo was removed.")),
    "contract": (_("Remove the contract: %(record)s?"), _("The contract was removed.")),
}


def project_remove_view(fetch, service, kind: str, name=str):
    """`remove_view` for a row of the project's update page, with the words of its `kind`."""
    inline_id = f"{kind}-remove-{{pk}}"
    return remove_view(fetch, service, home=project_of, inline_id=inline_id, words=REMOVALS[kind], name=name)


funding_edit = edit_row_view(access_funding, forms.FundingEditForm, services.funding_update)
milestone_edit = edit_row_view(access_milestone, forms.MilestoneEditForm, services.milestone_update)
progress_edit = edit_row_view(access_progress_update, forms.ProgressEditForm, services.progress_update_edit)
contract_edit = edit_row_view(access_contract, forms.ContractEditForm, services.contract_update)

funding_remove = project_remove_view(access_funding, services.funding_remove, "funding")
milestone_remove = project_remove_view(access_milestone, services.milestone_remove, "milestone")
progress_remove = project_remove_view(access_progress_update, services.progress_update_remove, "progress")
photo_remove = project_remove_view(
    access_progress_photo_edit, services.progress_photo_remove, "photo", photo_name
)
contract_remove = project_remove_view(access_contract, services.contract_remove, "contract")
