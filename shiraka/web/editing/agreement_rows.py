"""Correcting the rows of an agreement page: a signatory, a signing attendee and a schedule line are
edited or removed, a partner removed (it is edited in `agreements.partnership_edit`), each from an
Edit or Remove link on its row (htmx, into a slot on the row; a page of its own without JavaScript).

A removal is a POST carrying the version the user read, after a confirmation step; the service
decides (a partner with money rows stays) and the page answers like the other edit views."""

from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import (
    access_attendee,
    access_contribution,
    access_partnership,
    access_signatory,
)
from shiraka.agreements import services

from .common import edit_view, remove_view
from .forms import agreement_rows as forms


def agreement_of(row):
    return row.partnership.agreement if hasattr(row, "partnership") else row.agreement


def edit_row_view(fetch, form_class, service):
    return edit_view(fetch, form_class, service, home=agreement_of, form_takes_row=True)


# The words of each removal: the confirmation's title, naming the row as %(row)s, and what the page
# says once the row is removed.
REMOVALS = {
    "signatory": (_("Remove the signatory %(row)s from this agreement?"), _("The signatory was removed.")),
    "attendee": (_("Remove the attendee %(row)s from this agreement?"), _("The attendee was removed.")),
    "contribution": (_("Remove the schedule line: %(row)s?"), _("The schedule line was removed.")),
    "partnership": (_("Remove the partner %(row)s from this agreement?"), _("The partner was removed.")),
}


def remove_row_view(fetch, service, kind: str, name=str):
    """`remove_view` for a row of the agreement page, with the words of its `kind`."""
    inline_id = f"remove-{kind}-{{pk}}"
    return remove_view(
        fetch, service, home=agreement_of, inline_id=inline_id, words=REMOVALS[kind], name=name
    )


def partner_name(partnership):
    return partnership.organisation


signatory_edit = edit_row_view(access_signatory, forms.SignatoryEditForm, services.signatory_update)
attendee_edit = edit_row_view(access_attendee, forms.AttendeeEditForm, services.attendee_update)
contribution_edit = edit_row_view(
    access_contribution, forms.ContributionEditForm, services.contribution_update
)

signatory_remove = remove_row_view(access_signatory, services.signatory_remove, "signatory")
attendee_remove = remove_row_view(access_attendee, services.attendee_remove, "attendee")
contribution_remove = remove_row_view(access_contribution, services.contribution_remove, "contribution")
partnership_remove = remove_row_view(
    access_partnership, services.partnership_remove, "partnership", partner_name
)
