"""Edit views of agreements: registering and changing an agreement and its status, its signatories,
partners, schedules and transfers, and the edit tools of the agreement page."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, When
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shiraka.accounts.access import (
    access_agreement,
    access_partnership,
    access_transfer,
    can_edit_agreement,
    can_edit_project,
    can_record_transfer,
    check_agreement_scope,
    editable_agreements,
    is_creator,
    membership_of,
)
from shiraka.agreements import services
from shiraka.agreements.models import Agreement
from shiraka.portfolio.selectors import partnerships_with_kept_figures
from shiraka.web.kit.views import form_view, post_data

from .common import (
    add_view,
    agreement_url,
    cancel_view,
    edit_page,
    inline_form,
    record_form_view,
    status_view,
    update,
)
from .forms import agreements as forms

edited_agreement = partial(access_agreement, write=True)
transferring_partnership = partial(access_partnership, transfer=True)


def parent_candidates(user) -> list[str]:
    """References offered for the parent agreement (a datalist, capped): the agreements the user may
    attach one to, frameworks first (specific agreements), then the others (amendments)."""
    parents = editable_agreements(user).exclude(kind=Agreement.Kind.AMENDMENT)
    ordered = parents.order_by(
        Case(When(kind=Agreement.Kind.FRAMEWORK, then=0), default=1), F("signed_on").desc(nulls_last=True)
    )
    return list(ordered.values_list("reference", flat=True)[:500])


@login_required
@edit_page
def agreement_create(request):
    if not is_creator(request.user):
        raise PermissionDenied
    membership = membership_of(request.user)
    initial = {
        "region": membership.region_id,
        "province": membership.province_id,
        "programme": membership.programme_id,
    }
    data, _files = post_data(request)
    form = forms.AgreementForm(data, initial=initial, parent_candidates=parent_candidates(request.user))

    def save(form):
        check_agreement_scope(request.user, form.cleaned_data)
        return services.agreement_create(by=request.user, **form.service_values())

    return form_view(
        request,
        form,
        save=save,
        success_url=agreement_url,
        title=_("New agreement"),
        back_url=reverse("web:dashboard"),
        back_label="",
        success_message=_("The agreement was registered."),
        template="web/edit/agreement_form.html",
    )


@login_required
@edit_page
def agreement_edit(request, reference: str):
    agreement = edited_agreement(request.user, reference)
    data, _files = post_data(request)
    form = forms.AgreementEditForm(
        data,
        instance=agreement,
        initial=forms.AgreementForm.initial_for(agreement),
        parent_candidates=parent_candidates(request.user),
    )

    def save(form):
        check_agreement_scope(request.user, form.cleaned_data)
        return update(services.agreement_update, agreement, request.user, form)

    title = _("Edit the agreement %(reference)s") % {"reference": agreement.reference}
    saved = _("The agreement was saved.")
    template = "web/edit/agreement_form.html"
    return record_form_view(
        request, agreement, form, save=save, title=title, success_message=saved, template=template
    )


@login_required
@edit_page
def agreement_status(request, reference: str):
    return status_view(
        request,
        edited_agreement(request.user, reference),
        choices=Agreement.Status.choices,
        transitions=services.AGREEMENT_TRANSITIONS,
        service=services.agreement_set_status,
    )


signatory_add = add_view(
    edited_agreement,
    forms.SignatoryForm,
    services.signatory_add_with_person,
    "agreement",
    form_takes_parent=True,
)
partnership_add = add_view(
    edited_agreement, forms.PartnershipForm, services.partnership_commit, "agreement", form_takes_parent=True
)
contribution_add = add_view(
    access_partnership, forms.ContributionForm, services.contribution_schedule, "partnership"
)
transfer_add = add_view(transferring_partnership, forms.TransferForm, services.transfer_record, "partnership")


@login_required
@edit_page
def partnership_edit(request, pk: int):
    partnership = access_partnership(request.user, pk)
    data, _files = post_data(request)
    initial = forms.PartnershipEditForm.initial_for(partnership)
    form = forms.PartnershipEditForm(data, agreement=partnership.agreement, initial=initial)
    return record_form_view(
        request,
        partnership,
        form,
        save=partial(update, services.partnership_update, partnership, request.user),
        title=_("Edit the partner %(partner)s") % {"partner": partnership.organisation},
        success_message=_("The partner was saved."),
    )


@login_required
@require_GET
def agreement_tools(request, reference: str):
    """The buttons and inline forms the user may use on an agreement page, decided object by object.
    One request answers the toolbar and, out of band, the partner and project panels."""
    user = request.user
    agreement = access_agreement(user, reference)
    may_edit = can_edit_agreement(user, agreement)
    partnerships = partnerships_with_kept_figures(
        agreement.partnerships.select_related("organisation").prefetch_related("schedule", "transfers")
    ).order_by("pk")
    partners = []
    for partnership in partnerships:
        may_transfer = can_record_transfer(user, partnership)
        if may_edit or may_transfer:
            partners.append(
                {
                    "p": partnership,
                    "schedule_id": forms.ContributionForm.page.inline_id.format(pk=partnership.pk),
                    "transfer_id": forms.TransferForm.page.inline_id.format(pk=partnership.pk),
                    "schedule_form": inline_form(forms.ContributionForm, partnership) if may_edit else None,
                    "transfer_form": inline_form(forms.TransferForm, partnership) if may_transfer else None,
                }
            )
    projects = [p for p in agreement.projects.select_related("agreement") if can_edit_project(user, p)]
    return render(
        request,
        "web/edit/_agreement_tools_fragment.html",
        {"agreement": agreement, "may_edit": may_edit, "partners": partners, "editable_projects": projects},
    )


transfer_cancel = cancel_view(
    access_transfer, services.transfer_cancel, gettext_lazy("Cancel the transfer: %(transfer)s"), "transfer"
)
