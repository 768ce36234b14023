"""Edit views of projects: adding and changing a project and its status, its update page, and its
funding, milestones, progress with photos, contracts and payments."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shiraka.accounts.access import (
    access_agreement,
    access_contract,
    access_milestone,
    access_payment,
    access_project,
    check_project_owners,
)
from shiraka.projects import services
from shiraka.projects.models import Milestone, ProgressUpdate, Project
from shiraka.projects.selectors import contracts_with_payments
from shiraka.web.kit.params import whole_number
from shiraka.web.kit.views import post_data

from .common import (
    add_view,
    cancel_view,
    edit_page,
    home_of,
    inline_form,
    project_url,
    record_form_view,
    status_view,
    update,
)
from .forms import projects as forms

edited_project = partial(access_project, write=True)
PROJECT_STATUS = {"transitions": services.PROJECT_TRANSITIONS, "choices": Project.Status.choices}


def project_form(form_class, request, *, initial, **kwargs):
    """The project form; the no-JavaScript "show the communes" button posts it to reload the communes
    of the chosen province, so that post fills an unbound form with what was typed, reporting no errors."""
    kwargs["communes_url"] = reverse("web:commune_options")
    if request.method == "POST" and "refresh_communes" in request.POST:
        typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
        typed["communes"] = request.POST.getlist("communes")
        return form_class(initial=typed, province_id=whole_number(request.POST.get("province")), **kwargs)
    data, _files = post_data(request)
    return form_class(data, initial=initial, **kwargs)


def project_form_view(request, record, form, *, save, title, success_message):
    """The project form's page, under `record` (the agreement of a new project, or the project)."""
    if request.method == "POST" and "refresh_communes" in request.POST:
        back_url, back_label = home_of(record)
        return render(
            request,
            "web/edit/form_page.html",
            {
                "form": form,
                "title": title,
                "back_url": back_url,
                "back_label": back_label,
                "submit_label": _("Save"),
                "action": request.get_full_path(),
                "multipart": False,
            },
        )
    return record_form_view(
        request,
        record,
        form,
        save=save,
        title=title,
        success_message=success_message,
        success_url=project_url,
    )


@login_required
@edit_page
def project_add(request, reference: str):
    agreement = access_agreement(request.user, reference, write=True)
    initial = {"reference": services.suggested_reference(agreement), "province": agreement.province_id}
    form = project_form(forms.ProjectForm, request, agreement=agreement, initial=initial)
    title = _("Add a project to %(reference)s") % {"reference": agreement.reference}
    return project_form_view(
        request,
        agreement,
        form,
        title=title,
        success_message=_("The project was added."),
        save=lambda form: services.project_create(
            agreement=agreement, by=request.user, **form.service_values()
        ),
    )


@login_required
@edit_page
def project_edit(request, reference: str):
    project = edited_project(request.user, reference)
    initial = forms.ProjectForm.initial_for(project)
    form = project_form(forms.ProjectEditForm, request, agreement=project.agreement, initial=initial)

    def save(form):
        check_project_owners(request.user, project, form.service_values())
        return update(services.project_update_with_communes, project, request.user, form)

    return project_form_view(
        request,
        project,
        form,
        save=save,
        success_message=_("The project was saved."),
        title=_("Edit the project %(reference)s") % {"reference": project.reference},
    )


@login_required
@edit_page
def project_status(request, reference: str):
    project = edited_project(request.user, reference)
    return status_view(request, project, service=services.project_set_status, **PROJECT_STATUS)


@login_required
@require_GET
def project_manage(request, reference: str):
    project = edited_project(request.user, reference)
    contracts = contracts_with_payments(project)
    milestones = list(Milestone.objects.filter(project=project))
    fundings = list(project.fundings.select_related("organisation"))
    updates = list(
        ProgressUpdate.objects.filter(project=project).select_related("author").prefetch_related("photos")[:5]
    )
    # The slot on each row where its Edit or Remove form opens (htmx).
    for kind, rows in (("milestone", milestones), ("funding", fundings), ("progress", updates)):
        for row in rows:
            row.slot = f"{kind}-slot-{row.pk}"
    for milestone in milestones:
        if not milestone.achieved_on:
            achieve = forms.MilestoneAchieveForm
            milestone.achieve_form = inline_form(achieve, milestone, initial={"version": milestone.version})
            milestone.achieve_id = achieve.page.inline_id.format(pk=milestone.pk)
    contract_rows = [
        {
            "contract": contract,
            "payment_form": inline_form(forms.PaymentForm, contract),
            "payment_id": forms.PaymentForm.page.inline_id.format(pk=contract.pk),
            "slot": f"contract-slot-{contract.pk}",
        }
        for contract in contracts
    ]
    return render(
        request,
        "web/edit/project_manage.html",
        {
            "project": project,
            "communes": project.communes.select_related("province"),
            "fundings": fundings,
            "milestones": milestones,
            "updates": updates,
            "contracts": contract_rows,
            "funding_form": inline_form(forms.FundingForm, project, project=project),
            "milestone_form": inline_form(forms.MilestoneForm, project),
            "contract_form": inline_form(forms.ContractForm, project),
            "next_statuses": services.PROJECT_TRANSITIONS.get(project.status, set()),
        },
    )


funding_add = add_view(
    edited_project, forms.FundingForm, services.project_fund, "project", form_takes_parent=True
)
milestone_add = add_view(edited_project, forms.MilestoneForm, services.milestone_plan, "project")
progress_add = add_view(edited_project, forms.ProgressForm, services.progress_record, "project")
contract_add = add_view(edited_project, forms.ContractForm, services.contract_sign, "project")
payment_add = add_view(access_contract, forms.PaymentForm, services.payment_record, "contract")


@login_required
@edit_page
def milestone_achieve(request, pk: int):
    milestone = access_milestone(request.user, pk)
    page = forms.MilestoneAchieveForm.page
    data, _files = post_data(request)
    form = inline_form(forms.MilestoneAchieveForm, milestone, data, initial={"version": milestone.version})

    def save(form):
        return services.milestone_achieve(
            milestone,
            achieved_on=form.cleaned_data["achieved_on"],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )

    return record_form_view(
        request,
        milestone,
        form,
        save=save,
        title=page.title % {"milestone": milestone.get_kind_display()},
        success_message=page.saved,
        inline_id=page.inline_id.format(pk=milestone.pk),
        submit_label=page.submit_label,
    )


@login_required
@require_GET
def commune_options(request):
    """The <option>s of one province's communes, for the project form's htmx reload."""
    province_id = whole_number(request.GET.get("province"))
    field = forms.communes_field(province_id=province_id)
    return render(request, "web/edit/_commune_options.html", {"field": field, "choices": list(field.choices)})


payment_cancel = cancel_view(
    access_payment, services.payment_cancel, gettext_lazy("Cancel the payment: %(payment)s"), "payment"
)
