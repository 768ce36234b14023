"""Edit pages: thin views over the services.

Each view checks the object with `shiraka.accounts.access` (403 when refused, login page when
anonymous), lets a form check types, and calls one service with `by=request.user`. A service's
field-keyed ValidationError is attached to the form, so each rule of DESIGN.md §3 shows next to
its field in the page's language and nothing is saved; a VersionConflict lists what changed.
Inline forms (htmx) answer with the form again when refused, and ask for a page refresh when
saved, so the figures of the page are recomputed by the page's own selectors."""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shiraka.accounts.access import (
    Role,
    access_agreement,
    access_contract,
    access_milestone,
    access_partnership,
    access_project,
    can_create_agreement,
    can_edit_agreement,
    can_edit_project,
    can_record_transfer,
    membership_of,
    role_of,
    visible_agreements,
)
from shiraka.agreements import services as agreement_services
from shiraka.agreements.models import Agreement, Partnership
from shiraka.agreements.selectors import partnerships_with_figures
from shiraka.organisations.services import person_create
from shiraka.projects import services as project_services
from shiraka.projects.models import Contract, Milestone, Payment, ProgressUpdate, Project

from . import forms
from .kit.views import form_view, post_data


def agreement_url(agreement: Agreement) -> str:
    return reverse("web:agreement", args=[agreement.reference])


def project_url(project: Project) -> str:
    return reverse("web:project_manage", args=[project.reference])


def editable_agreement(request, reference: str) -> Agreement:
    return access_agreement(request.user, reference, write=True)


def editable_project(request, reference: str) -> Project:
    return access_project(request.user, reference, write=True)


# --- agreements --------------------------------------------------------------------------------------

def parent_candidates(user) -> list[str]:
    """References offered for the parent agreement: framework agreements (a datalist, capped)."""
    return list(
        visible_agreements(user).filter(kind=Agreement.Kind.FRAMEWORK).order_by("-signed_on")
        .values_list("reference", flat=True)[:500]
    )


def check_scope(form, user) -> None:
    """A scoped secretariat registers (or moves) agreements within its own territory or programme."""
    data = form.cleaned_data
    if not can_create_agreement(user, region=data.get("region"), province=data.get("province"),
                                programme=data.get("programme")):
        raise ValidationError({"province": ValidationError(
            _("You may only register agreements of your own territory or programme."), code="out_of_scope")})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    if role_of(request.user) not in {Role.ADMINISTRATOR, Role.SECRETARIAT}:
        raise PermissionDenied
    membership = membership_of(request.user)
    initial = {"region": membership.region_id, "province": membership.province_id,
               "programme": membership.programme_id}
    data, files = post_data(request)
    form = forms.AgreementForm(data, initial=initial, parent_candidates=parent_candidates(request.user))

    def save(form):
        check_scope(form, request.user)
        return agreement_services.agreement_create(status=form.cleaned_data["status"], by=request.user,
                                                   **form.service_values())

    return form_view(
        request, form, save=save, success_url=agreement_url, title=_("New agreement"),
        back_url=reverse("web:dashboard"), back_label="",
        success_message=_("The agreement was registered."), template="web/edit/agreement_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, reference: str):
    agreement = editable_agreement(request, reference)
    data, files = post_data(request)
    form = forms.AgreementEditForm(data, instance=agreement, initial=forms.AgreementForm.initial_for(agreement),
                                   parent_candidates=parent_candidates(request.user))

    def save(form):
        check_scope(form, request.user)
        return agreement_services.agreement_update(agreement, expected_version=form.cleaned_data["version"],
                                                   by=request.user, **form.service_values())

    return form_view(
        request, form, save=save, success_url=agreement_url,
        title=_("Edit the agreement %(reference)s") % {"reference": agreement.reference},
        back_url=agreement_url(agreement), back_label=agreement.reference,
        success_message=_("The agreement was saved."), template="web/edit/agreement_form.html",
    )


def status_view(request, record, *, transitions, choices, service, back_url, success_url, noun):
    data, _files = post_data(request)
    form = forms.StatusForm(data, initial={"version": record.version}, all_choices=choices,
                            next_statuses=transitions.get(record.status, set()))

    def save(form):
        return service(record, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"] or "",
                       expected_version=form.cleaned_data["version"], by=request.user)

    return form_view(
        request, form, save=save, success_url=success_url,
        title=_("Change the status of %(noun)s") % {"noun": noun}, back_url=back_url, back_label=noun,
        success_message=_("The status was changed."), template="web/edit/status_form.html",
        context={"record": record, "current_status": record.get_status_display()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_status(request, reference: str):
    agreement = editable_agreement(request, reference)
    return status_view(
        request, agreement, transitions=agreement_services.AGREEMENT_TRANSITIONS,
        choices=Agreement.Status.choices, service=agreement_services.agreement_set_status,
        back_url=agreement_url(agreement), success_url=agreement_url, noun=agreement.reference,
    )


def signatory_with_person(*, agreement, form, by):
    """Pure orchestration of two services in one transaction: create the person when none was
    chosen, then add the signatory (a failed signatory leaves no orphan person)."""
    data = form.cleaned_data
    with transaction.atomic():
        person = data.get("person")
        if person is None:
            role = data.get("role") or ""
            arabic = any("\u0600" <= ch <= "\u06ff" for ch in role)
            person = person_create(
                full_name_ar=data.get("full_name_ar") or "", full_name_fr=data.get("full_name_fr") or "",
                title_ar=role if arabic else "", title_fr="" if arabic else role,
                organisation=data.get("organisation"), by=by,
            )
        return agreement_services.signatory_add(
            agreement=agreement, person=person, organisation=data.get("organisation"), role=data.get("role") or "",
            presided=data.get("presided", False), by=by,
        )


@login_required
@require_http_methods(["GET", "POST"])
def signatory_add(request, reference: str):
    agreement = editable_agreement(request, reference)
    data, _files = post_data(request)
    form = forms.SignatoryForm(data, agreement=agreement)
    return form_view(
        request, form, save=lambda form: signatory_with_person(agreement=agreement, form=form, by=request.user),
        success_url=agreement_url(agreement), title=_("Add a signatory to %(reference)s") % {
            "reference": agreement.reference},
        back_url=agreement_url(agreement), back_label=agreement.reference,
        success_message=_("The signatory was added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_add(request, reference: str):
    agreement = editable_agreement(request, reference)
    data, _files = post_data(request)
    form = forms.PartnershipForm(data, agreement=agreement)

    def save(form):
        return agreement_services.partnership_commit(
            agreement=agreement, organisation=form.cleaned_data["organisation"], by=request.user,
            **form.service_values())

    return form_view(
        request, form, save=save, success_url=agreement_url(agreement),
        title=_("Add a partner to %(reference)s") % {"reference": agreement.reference},
        back_url=agreement_url(agreement), back_label=agreement.reference,
        success_message=_("The partner was added."),
    )


def editable_partnership(request, pk: int, *, transfer: bool = False) -> Partnership:
    return access_partnership(request.user, pk, transfer=transfer)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request, pk: int):
    partnership = editable_partnership(request, pk)
    agreement = partnership.agreement
    data, _files = post_data(request)
    form = forms.PartnershipEditForm(data, agreement=agreement,
                                     initial=forms.PartnershipEditForm.initial_for(partnership))

    def save(form):
        return agreement_services.partnership_update(
            partnership, expected_version=form.cleaned_data["version"], by=request.user, **form.service_values())

    return form_view(
        request, form, save=save, success_url=agreement_url(agreement),
        title=_("Edit the partner %(partner)s") % {"partner": partnership.organisation},
        back_url=agreement_url(agreement), back_label=agreement.reference,
        success_message=_("The partner was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_add(request, pk: int):
    partnership = editable_partnership(request, pk)
    data, _files = post_data(request)
    form = forms.ContributionForm(data, auto_id=f"id_s{partnership.pk}_%s")

    def save(form):
        return agreement_services.contribution_schedule(partnership=partnership, by=request.user,
                                                        **form.values("due_on", "amount", "note"))

    return form_view(
        request, form, save=save, success_url=agreement_url(partnership.agreement),
        title=_("Schedule a contribution of %(partner)s") % {"partner": partnership.organisation},
        back_url=agreement_url(partnership.agreement), back_label=partnership.agreement.reference,
        success_message=_("The contribution was scheduled."), inline_id=f"schedule-{partnership.pk}",
        submit_label=_("Add to the schedule"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_add(request, pk: int):
    partnership = editable_partnership(request, pk, transfer=True)
    data, files = post_data(request)
    form = forms.TransferForm(data, files, auto_id=f"id_t{partnership.pk}_%s")

    def save(form):
        values = form.values("transferred_on", "amount", "reference", "proof", "note")
        return agreement_services.transfer_record(partnership=partnership, by=request.user, **values)

    return form_view(
        request, form, save=save, success_url=agreement_url(partnership.agreement),
        title=_("Record a transfer of %(partner)s") % {"partner": partnership.organisation},
        back_url=agreement_url(partnership.agreement), back_label=partnership.agreement.reference,
        success_message=_("The transfer was recorded."), inline_id=f"transfer-{partnership.pk}",
        submit_label=_("Record the transfer"),
    )


# --- the agreement page's tools (loaded by htmx into the agreement page) ---------------------------

@login_required
@require_GET
def agreement_tools(request, reference: str):
    """The buttons and inline forms the user may use on an agreement page, decided object by object.
    One request answers the toolbar and, out of band, the partner and project panels."""
    agreement = access_agreement(request.user, reference)
    user = request.user
    may_edit = can_edit_agreement(user, agreement)
    partnerships = partnerships_with_figures(
        agreement.partnerships.select_related("organisation").prefetch_related("schedule", "transfers")
    ).order_by("pk")
    partners = []
    for partnership in partnerships:
        may_transfer = can_record_transfer(user, partnership)
        if not (may_edit or may_transfer):
            continue
        partners.append({
            "p": partnership,
            "schedule_id": f"schedule-{partnership.pk}",
            "transfer_id": f"transfer-{partnership.pk}",
            "schedule_form": forms.ContributionForm(auto_id=f"id_s{partnership.pk}_%s") if may_edit else None,
            "transfer_form": forms.TransferForm(auto_id=f"id_t{partnership.pk}_%s") if may_transfer else None,
        })
    projects = [p for p in agreement.projects.select_related("agreement") if can_edit_project(user, p)]
    return render(request, "web/edit/_agreement_tools_fragment.html", {
        "agreement": agreement, "may_edit": may_edit, "partners": partners, "editable_projects": projects,
    })


# --- projects ----------------------------------------------------------------------------------------

def suggested_project_reference(agreement: Agreement) -> str:
    number = agreement.projects.count() + 1
    while True:
        reference = f"{agreement.reference}-P{number:02d}"
        if not Project.objects.filter(reference=reference).exists():
            return reference
        number += 1


def project_form_view(request, form, *, save, title, back_url, back_label, success_message):
    """The project form, with a no-JavaScript way to reload the communes of the chosen province."""
    if request.method == "POST" and "refresh_communes" in request.POST:
        return render(request, "web/edit/form_page.html", {
            "form": form, "title": title, "back_url": back_url, "back_label": back_label,
            "submit_label": _("Save"), "action": request.get_full_path(), "multipart": False,
        })
    return form_view(request, form, save=save, success_url=project_url, title=title, back_url=back_url,
                     back_label=back_label, success_message=success_message)


def refreshed(form_class, request, **kwargs):
    """An unbound form showing what was typed, to reload the communes without reporting errors."""
    initial = {key: value for key, value in request.POST.items() if key not in {"csrfmiddlewaretoken"}}
    initial["communes"] = request.POST.getlist("communes")
    return form_class(initial=initial, province_id=request.POST.get("province") or None, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def project_add(request, reference: str):
    agreement = editable_agreement(request, reference)
    communes_url = reverse("web:commune_options")
    if request.method == "POST" and "refresh_communes" in request.POST:
        form = refreshed(forms.ProjectForm, request, agreement=agreement, communes_url=communes_url)
    else:
        data, _files = post_data(request)
        form = forms.ProjectForm(data, agreement=agreement, communes_url=communes_url, initial={
            "reference": suggested_project_reference(agreement), "province": agreement.province_id})

    def save(form):
        return project_services.project_create(
            agreement=agreement, communes=form.cleaned_data["communes"], by=request.user, **form.service_values())

    return project_form_view(
        request, form, save=save, title=_("Add a project to %(reference)s") % {"reference": agreement.reference},
        back_url=agreement_url(agreement), back_label=agreement.reference,
        success_message=_("The project was added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, reference: str):
    project = editable_project(request, reference)
    communes_url = reverse("web:commune_options")
    kwargs = {"agreement": project.agreement, "communes_url": communes_url}
    if request.method == "POST" and "refresh_communes" in request.POST:
        form = refreshed(forms.ProjectEditForm, request, **kwargs)
    else:
        data, _files = post_data(request)
        form = forms.ProjectEditForm(data, initial=forms.ProjectForm.initial_for(project), **kwargs)

    def save(form):
        values = form.service_values()
        keeps_access = SimpleNamespace(agreement=project.agreement, owner_id=getattr(values["owner"], "pk", None),
                                       delegated_owner_id=getattr(values["delegated_owner"], "pk", None))
        if not can_edit_project(request.user, keeps_access):
            raise ValidationError({"owner": ValidationError(
                _("Your organisation must stay the owner or the delegated owner: otherwise you could no longer "
                  "update this project."), code="owner_lock_out")})
        # project_update takes the fields; the communes are a many-to-many set in the same transaction.
        with transaction.atomic():
            saved = project_services.project_update(project, expected_version=form.cleaned_data["version"],
                                                    by=request.user, **values)
            saved.communes.set(form.cleaned_data["communes"])
        return saved

    return project_form_view(
        request, form, save=save, title=_("Edit the project %(reference)s") % {"reference": project.reference},
        back_url=project_url(project), back_label=project.reference, success_message=_("The project was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_status(request, reference: str):
    project = editable_project(request, reference)
    return status_view(
        request, project, transitions=project_services.PROJECT_TRANSITIONS, choices=Project.Status.choices,
        service=project_services.project_set_status, back_url=project_url(project), success_url=project_url,
        noun=project.reference,
    )


@login_required
@require_GET
def project_manage(request, reference: str):
    project = editable_project(request, reference)
    contracts = (
        Contract.objects.filter(project=project).select_related("contractor")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))
        .annotate(paid=Sum("payments__amount"))
    )
    updates = ProgressUpdate.objects.filter(project=project).select_related("author").prefetch_related("photos")
    milestones = list(Milestone.objects.filter(project=project))
    for milestone in milestones:
        if not milestone.achieved_on:
            milestone.achieve_form = forms.MilestoneAchieveForm(
                initial={"version": milestone.version}, auto_id=f"id_m{milestone.pk}_%s")
            milestone.achieve_id = f"milestone-{milestone.pk}"
    contract_rows = [
        {"contract": c, "payment_form": forms.PaymentForm(auto_id=f"id_c{c.pk}_%s"), "payment_id": f"payment-{c.pk}"}
        for c in contracts
    ]
    return render(request, "web/edit/project_manage.html", {
        "project": project,
        "communes": project.communes.select_related("province"),
        "fundings": project.fundings.select_related("organisation"),
        "milestones": milestones,
        "updates": updates,
        "contracts": contract_rows,
        "funding_form": forms.FundingForm(project=project, auto_id="id_funding_%s"),
        "milestone_form": forms.MilestoneForm(auto_id="id_milestone_%s"),
        "contract_form": forms.ContractForm(auto_id="id_contract_%s"),
        "next_statuses": project_services.PROJECT_TRANSITIONS.get(project.status, set()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def funding_add(request, reference: str):
    project = editable_project(request, reference)
    data, _files = post_data(request)
    form = forms.FundingForm(data, project=project, auto_id="id_funding_%s")
    return form_view(
        request, form, save=lambda form: project_services.project_fund(
            project=project, by=request.user, **form.values("organisation", "amount")),
        success_url=project_url(project), title=_("Add a funding partner to %(reference)s") % {
            "reference": project.reference},
        back_url=project_url(project), back_label=project.reference, success_message=_("The funding was added."),
        inline_id="funding-form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, reference: str):
    project = editable_project(request, reference)
    data, _files = post_data(request)
    form = forms.MilestoneForm(data, auto_id="id_milestone_%s")
    return form_view(
        request, form, save=lambda form: project_services.milestone_plan(
            project=project, by=request.user, **form.values("kind", "planned_on", "achieved_on", "note")),
        success_url=project_url(project), title=_("Plan a milestone of %(reference)s") % {
            "reference": project.reference},
        back_url=project_url(project), back_label=project.reference, success_message=_("The milestone was planned."),
        inline_id="milestone-form", submit_label=_("Plan the milestone"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_achieve(request, pk: int):
    milestone = access_milestone(request.user, pk)
    project = milestone.project
    data, _files = post_data(request)
    form = forms.MilestoneAchieveForm(data, initial={"version": milestone.version}, auto_id=f"id_m{milestone.pk}_%s")
    return form_view(
        request, form, save=lambda form: project_services.milestone_achieve(
            milestone, achieved_on=form.cleaned_data["achieved_on"], expected_version=form.cleaned_data["version"],
            by=request.user),
        success_url=project_url(project),
        title=_("Mark the milestone “%(milestone)s” achieved") % {"milestone": milestone.get_kind_display()},
        back_url=project_url(project), back_label=project.reference,
        success_message=_("The milestone was marked achieved."), inline_id=f"milestone-{milestone.pk}",
        submit_label=_("Mark achieved"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_add(request, reference: str):
    project = editable_project(request, reference)
    data, files = post_data(request)
    form = forms.ProgressForm(data, files)
    return form_view(
        request, form, save=lambda form: project_services.progress_record(
            project=project, by=request.user, **form.values("reported_on", "physical_progress", "note", "photos")),
        success_url=project_url(project), title=_("Record the progress of %(reference)s") % {
            "reference": project.reference},
        back_url=project_url(project), back_label=project.reference,
        success_message=_("The progress update was recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_add(request, reference: str):
    project = editable_project(request, reference)
    data, _files = post_data(request)
    form = forms.ContractForm(data, auto_id="id_contract_%s")
    return form_view(
        request, form, save=lambda form: project_services.contract_sign(
            project=project, by=request.user, **form.service_values()),
        success_url=project_url(project), title=_("Add a contract to %(reference)s") % {
            "reference": project.reference},
        back_url=project_url(project), back_label=project.reference, success_message=_("The contract was added."),
        inline_id="contract-form", submit_label=_("Add the contract"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_add(request, pk: int):
    contract = access_contract(request.user, pk)
    project = contract.project
    data, _files = post_data(request)
    form = forms.PaymentForm(data, auto_id=f"id_c{contract.pk}_%s")
    return form_view(
        request, form, save=lambda form: project_services.payment_record(
            contract=contract, by=request.user, **form.values("paid_on", "amount", "reference")),
        success_url=project_url(project), title=_("Record a payment on %(contract)s") % {"contract": contract},
        back_url=project_url(project), back_label=project.reference, success_message=_("The payment was recorded."),
        inline_id=f"payment-{contract.pk}", submit_label=_("Record the payment"),
    )


@login_required
@require_GET
def commune_options(request):
    """The <option>s of one province's communes, for the project form's htmx reload."""
    province_id = request.GET.get("province") or None
    if province_id is not None and not str(province_id).isdigit():
        province_id = None
    field = forms.communes_field(province_id=province_id)
    return render(request, "web/edit/_commune_options.html", {"field": field, "choices": list(field.choices)})

