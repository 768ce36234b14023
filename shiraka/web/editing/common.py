"""What the agreement and project edit views share: the page each record is edited from, the status
page, the view that adds one record under another (a signatory, a partner, a schedule line, a
transfer, a funding, a milestone, a progress update, a contract, a payment), and the views that
correct, remove or cancel one of their rows."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shiraka.agreements.models import Agreement, Partnership
from shiraka.projects.models import Contract, Milestone, Project
from shiraka.web.kit.forms import RemoveForm
from shiraka.web.kit.views import form_view, post_data

from .forms.common import CancelForm, StatusForm

edit_page = require_http_methods(["GET", "POST"])


def agreement_url(agreement: Agreement) -> str:
    return reverse("web:agreement", args=[agreement.reference])


def project_url(project: Project) -> str:
    return reverse("web:project_manage", args=[project.reference])


def home_of(record) -> tuple[str, str]:
    """The page a record is edited from, and its breadcrumb label: the agreement page for the
    agreement and its partners, the project's update page for the project and what belongs to it."""
    if isinstance(record, (Contract, Milestone)):
        record = record.project
    if isinstance(record, Partnership):
        record = record.agreement
    if isinstance(record, Project):
        return project_url(record), record.reference
    return agreement_url(record), record.reference


def names_of(parent) -> dict:
    """What a page title may call the parent: %(reference)s, %(partner)s or %(contract)s."""
    return {
        "reference": getattr(parent, "reference", ""),
        "partner": getattr(parent, "organisation", ""),
        "contract": parent,
    }


def inline_form(form_class, parent, data=None, files=None, **kwargs):
    """The form of `form_class.page` under `parent`, with the ids both its page and its view use."""
    return form_class(data, files, auto_id=form_class.page.auto_id.format(pk=parent.pk), **kwargs)


def record_form_view(request, record, form, *, save, title, success_message, **options):
    """`form_view` for a form about `record` (or added under it): back to the page it is edited from,
    and there again once saved (for an edited record, at its saved reference)."""
    back_url, back_label = home_of(record)
    success_url = options.pop("success_url", lambda saved: home_of(saved)[0])
    return form_view(
        request,
        form,
        save=save,
        success_url=success_url,
        title=title,
        back_url=back_url,
        back_label=back_label,
        success_message=success_message,
        **options,
    )


def update(service, record, user, form):
    """What every edit form's save does: `service` with the version the user read and the form's values."""
    return service(record, expected_version=form.cleaned_data["version"], by=user, **form.service_values())


def add_view(fetch, form_class, service, parent_name: str, *, form_takes_parent: bool = False):
    """The view adding one `form_class` record under the record `fetch(user, **url_kwargs)` returns
    (404 or 403 when refused): the form checks types, then `service(<parent_name>=parent, by=user,
    **values)` decides; the words and ids come from `form_class.page`."""
    page = form_class.page

    @login_required
    @edit_page
    def view(request, **url_kwargs):
        parent = fetch(request.user, **url_kwargs)
        data, files = post_data(request)
        extra = {parent_name: parent} if form_takes_parent else {}
        form = inline_form(form_class, parent, data, files, **extra)

        def save(form):
            return service(**{parent_name: parent}, by=request.user, **form.service_values())

        return record_form_view(
            request,
            parent,
            form,
            save=save,
            title=page.title % names_of(parent),
            success_message=page.saved,
            success_url=home_of(parent)[0],
            inline_id=page.inline_id.format(pk=parent.pk),
            submit_label=page.submit_label,
        )

    return view


def edit_view(fetch, form_class, service, *, home, form_takes_row: bool = False):
    """The view correcting the row `fetch(user, pk)` returns (404 or 403 when refused) with `form_class`,
    then `service(row, expected_version=…, by=user, **values)`. `home(row)` is the agreement or project
    whose page shows the row; the words and ids come from `form_class.page`, its title naming the row,
    `form_class.name_of(row)`, as %(row)s or %(record)s."""
    page = form_class.page

    @login_required
    @edit_page
    def view(request, pk: int):
        row = fetch(request.user, pk)
        parent = home(row)
        data, files = post_data(request)
        extra = {"row": row} if form_takes_row else {}
        auto_id = page.auto_id.format(pk=row.pk)
        form = form_class(data, files, initial=form_class.initial_for(row), auto_id=auto_id, **extra)
        name = form_class.name_of(row)
        return record_form_view(
            request,
            parent,
            form,
            save=lambda form: update(service, row, request.user, form),
            title=page.title % {"row": name, "record": name},
            success_message=page.saved,
            success_url=home_of(parent)[0],
            inline_id=page.inline_id.format(pk=row.pk),
            submit_label=page.submit_label,
        )

    return view


def status_view(request, record, *, transitions, choices, service):
    """The status page of an agreement or a project: the next statuses only, a reason when one is needed."""
    data, _files = post_data(request)
    next_statuses = transitions.get(record.status, set())
    form = StatusForm(
        data, initial={"version": record.version}, all_choices=choices, next_statuses=next_statuses
    )

    def save(form):
        values = form.cleaned_data
        return service(
            record,
            status=values["status"],
            reason=values["reason"] or "",
            expected_version=values["version"],
            by=request.user,
        )

    return record_form_view(
        request,
        record,
        form,
        save=save,
        title=_("Change the status of %(noun)s") % {"noun": record.reference},
        success_message=_("The status was changed."),
        template="web/edit/status_form.html",
        context={"record": record, "current_status": record.get_status_display()},
    )


def cancel_view(fetch, service, title, name: str):
    """The view cancelling the transfer or payment `fetch(user, pk)` returns (404 or 403 when refused),
    on its row (htmx) or on a page of its own: a reason, the version the user read, then `service`; the
    row stays, struck through, and counts in no figure. `title` names the row as %(<name>)s."""

    @login_required
    @edit_page
    def view(request, pk: int):
        row = fetch(request.user, pk)
        data, _files = post_data(request)
        form = CancelForm(data, initial={"version": row.version}, auto_id=f"id_cancel{row.pk}_%s")

        def save(form):
            values = form.cleaned_data
            return service(
                row, reason=values["cancellation_reason"], expected_version=values["version"], by=request.user
            )

        parent = row.partnership.agreement if hasattr(row, "partnership") else row.contract.project
        back_url, back_label = home_of(parent)
        return form_view(
            request,
            form,
            save=save,
            success_url=back_url,
            title=title % {name: row},
            back_url=back_url,
            back_label=back_label,
            success_message=_(
                "The row was cancelled: it stays visible, struck through, and counts in no figure."
            ),
            inline_id=f"cancel-{type(row).__name__.lower()}-{row.pk}",
            submit_label=_("Cancel this row"),
        )

    return view


def remove_view(fetch, service, *, home, inline_id: str, words, name=str):
    """The view removing the row `fetch(user, pk)` returns (404 or 403 when refused): GET asks for
    confirmation, POST (with the version read) removes it through `service(row, expected_version=…,
    by=user)`, which may refuse with a message shown on the confirmation. `home(row)` is the agreement or
    project whose page shows the row; `words` are the confirmation's title, naming the row, `name(row)`,
    as %(row)s or %(record)s, and what the page says once it is removed; `inline_id` is the
    confirmation's id on that page, with `{pk}` for the row's."""
    title, removed = words

    @login_required
    @edit_page
    def view(request, pk: int):
        row = fetch(request.user, pk)
        parent = home(row)
        form_id = inline_id.format(pk=row.pk)
        data, _files = post_data(request)
        form = RemoveForm(data, initial={"version": row.version}, auto_id=f"id_{form_id}_%s")

        def save(form):
            return service(row, expected_version=form.cleaned_data["version"], by=request.user)

        return record_form_view(
            request,
            parent,
            form,
            save=save,
            title=title % {"row": name(row), "record": name(row)},
            success_message=removed,
            success_url=home_of(parent)[0],
            inline_id=form_id,
            submit_label=_("Remove"),
        )

    return view
