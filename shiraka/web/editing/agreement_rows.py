"""Correcting the rows of an agreement page: a signatory, a signing attendee and a schedule line are
edited or removed, a partner removed (it is edited in `agreements.partnership_edit`), each from an
Edit or Remove link on its row (htmx, into a slot on the row; a page of its own without JavaScript).

A removal is a POST carrying the version the user read, after a confirmation step; the service
decides (a partner with money rows stays) and the page answers like the other edit views."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import (
    access_attendee,
    access_contribution,
    access_partnership,
    access_signatory,
)
from shiraka.agreements import services
from shiraka.web.kit.views import post_data

from .common import agreement_url, edit_page, record_form_view, remove_view, update
from .forms import agreement_rows as forms


def agreement_of(row):
    return row.partnership.agreement if hasattr(row, "partnership") else row.agreement


def edit_row_view(fetch, form_class, service, kind: str, *, title, saved):
    """The view editing one `kind` row that `fetch(user, pk)` returns (404 or 403 when refused): the
    form checks types, `service(row, expected_version=…, by=user, **values)` decides."""

    @login_required
    @edit_page
    def view(request, pk: int):
        row = fetch(request.user, pk)
        data, _files = post_data(request)
        form = form_class(
            data, row=row, initial=form_class.initial_for(row), auto_id=forms.row_auto_id(kind, row)
        )
        agreement = agreement_of(row)

        def save(form):
            return update(service, row, request.user, form)

        return record_form_view(
            request,
            agreement,
            form,
            save=save,
            title=title % {"row": row},
            success_message=saved,
            success_url=agreement_url(agreement),
            inline_id=f"edit-{kind}-{row.pk}",
        )

    return view


def remove_row_view(fetch, service, kind: str, *, title, removed, name=str):
    return remove_view(
        fetch,
        service,
        home=agreement_of,
        inline_id=f"remove-{kind}-{{pk}}",
        title=title,
        removed=removed,
        name=name,
    )


signatory_edit = edit_row_view(
    access_signatory,
    forms.SignatoryEditForm,
    services.signatory_update,
    "signatory",
    title=_("Edit the signatory %(row)s"),
    saved=_("The signatory was saved."),
)
signatory_remove = remove_row_view(
    access_signatory,
    services.signatory_remove,
    "signatory",
    title=_("Remove the signatory %(row)s from this agreement?"),
    removed=_("The signatory was removed."),
)
attendee_edit = edit_row_view(
    access_attendee,
    forms.AttendeeEditForm,
    services.attendee_update,
    "attendee",
    title=_("Edit the attendee %(row)s"),
    saved=_("The attendee was saved."),
)
attendee_remove = remove_row_view(
    access_attendee,
    services.attendee_remove,
    "attendee",
    title=_("Remove the attendee %(row)s from this agreement?"),
    removed=_("The attendee was removed."),
)
contribution_edit = edit_row_view(
    access_contribution,
    forms.ContributionEditForm,
    services.contribution_update,
    "contribution",
    title=_("Edit the schedule line: %(row)s"),
    saved=_("The schedule line was saved."),
)
contribution_remove = remove_row_view(
    access_contribution,
    services.contribution_remove,
    "contribution",
    title=_("Remove the schedule line: %(row)s?"),
    removed=_("The schedule line was removed."),
)
partnership_remove = remove_row_view(
    access_partnership,
    services.partnership_remove,
    "partnership",
    title=_("Remove the partner %(row)s from this agreement?"),
    removed=_("The partner was removed."),
    name=lambda partnership: partnership.organisation,
)
