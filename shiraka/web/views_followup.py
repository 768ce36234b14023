"""Follow-up pages: alerts, committees, meetings, decisions, minutes as PDF.

Thin views: forms check the shape of the input, shiraka.followup.services writes and refuses
(its ValidationErrors are shown next to the fields, nothing is saved), shiraka.followup.selectors
reads. Every page needs a signed-in user; writes need can_manage_committee (administrator, or
secretariat whose scope covers the committee's agreements), else 403."""

from collections import Counter

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from shiraka.accounts.access import (
    can_manage_committee,
    followed_agreements,
    is_creator,
    membership_of,
    role_of,
)
from shiraka.agreements.models import Agreement
from shiraka.core.cache import memoised_figures
from shiraka.core.history import page_history
from shiraka.core.rules import today as local_today
from shiraka.followup import services
from shiraka.followup.alerts import KIND_LABELS, KINDS, SEVERITY_RANK
from shiraka.followup.models import Committee, Decision, Meeting
from shiraka.followup.selectors import (
    agenda_build,
    alert_list,
    committees_with_counts,
    organisations_for,
)
from shiraka.followup.selectors import (
    committee_detail as committee_figures,
)
from shiraka.followup.selectors import (
    meeting_detail as meeting_figures,
)
from shiraka.organisations.models import Person
from shiraka.projects.models import Project
from shiraka.territory.models import Province, Region

ALERTS_PER_PAGE = 50
COMMITTEES_PER_PAGE = 50


# ---------------------------------------------------------------------------------------------
# Form helpers


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget; templates render label, input and errors together."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def refuse(self, error: ValidationError) -> None:
        """Attach a service's refusal to the fields it names (or to the form)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _committee_or_403(request, pk: int) -> Committee:
    committee = get_object_or_404(Committee.objects.select_related("region", "province", "chair"), pk=pk)
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied
    return committee


# ---------------------------------------------------------------------------------------------
# Alerts


class AlertFilterForm(BootstrapForm):
    region = forms.ModelChoiceField(Region.objects.order_by("code"), required=False, label=_("Region"),
                                    empty_label=_("All regions"))
    province = forms.ModelChoiceField(Province.objects.order_by("code"), required=False,
                                      label=_("Province or prefecture"), empty_label=_("All provinces"))
    kind = forms.ChoiceField(required=False, label=_("Kind of alert"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *((kind, KIND_LABELS[kind]) for kind in KINDS)]


@login_required
def alerts(request):
    form = AlertFilterForm(request.GET or None)
    region = province = kind = None
    if form.is_bound and form.is_valid():
        region, province, kind = form.cleaned_data["region"], form.cleaned_data["province"], form.cleaned_data["kind"]
    membership = membership_of(request.user)
    scope = ":".join(str(part) for part in (
        role_of(request.user), getattr(membership, "region_id", None), getattr(membership, "province_id", None),
        getattr(membership, "programme_id", None), getattr(region, "pk", None), getattr(province, "pk", None)))
    # At national scale every rule runs over hundreds of thousands of rows: reuse the result until
    # the data changes (the cache's data version) or a minute has passed.
    def sorted_alerts():
        alerts = alert_list(followed_agreements(request.user), region=region, province=province)
        alerts.sort(key=lambda a: (KINDS.index(a.kind), SEVERITY_RANK[a.severity], a.since or a.sort_key()[2],
                                   a.object_id))
        return alerts

    found = memoised_figures("alerts", scope, sorted_alerts)
    counts = Counter(alert.kind for alert in found)
    shown = [alert for alert in found if not kind or alert.kind == kind]
    page = Paginator(shown, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/followup/alerts.html", {
        "form": form, "page": page, "total": len(found), "shown": len(shown), "query": query.urlencode(),
        "counts": [(k, KIND_LABELS[k], counts.get(k, 0)) for k in KINDS], "kind": kind,
    })


# ---------------------------------------------------------------------------------------------
# Committees


class CommitteeFilterForm(BootstrapForm):
    region = forms.ModelChoiceField(Region.objects.order_by("code"), required=False, label=_("Region"),
                                    empty_label=_("All regions"))
    kind = forms.ChoiceField(required=False, label=_("Kind"),
                             choices=[("", _("All kinds")), *Committee.Kind.choices])


@login_required
def committee_list(request):
    form = CommitteeFilterForm(request.GET or None)
    committees = Committee.objects.all()
    if form.is_bound and form.is_valid():
        if form.cleaned_data["region"]:
            committees = committees.filter(region=form.cleaned_data["region"])
        if form.cleaned_data["kind"]:
            committees = committees.filter(kind=form.cleaned_data["kind"])
    committees = committees_with_counts(committees).order_by("province__code", "region__code", "name_fr", "pk")
    page = Paginator(committees, COMMITTEES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/followup/committee_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": is_creator(request.user),
    })




class CommitteeForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Committee.Kind.choices, initial=Committee.Kind.SUPERVISION)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}))
    name_fr = forms.CharField(label=_("Name (French)"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"dir": "ltr", "lang": "fr"}))
    region = forms.ModelChoiceField(Region.objects.order_by("code"), required=False, label=_("Region"))
    province = forms.ModelChoiceField(Province.objects.order_by("code"), required=False,
                                      label=_("Province or prefecture"))
    chair = forms.ModelChoiceField(Person.objects.order_by("full_name_fr", "full_name_ar"), required=False,
                                   label=_("Chair"))
    chair_role = forms.CharField(label=_("Chair's title as written"), max_length=255, required=False)
    mandate = forms.CharField(label=_("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreement_references = forms.CharField(
        label=_("Agreements followed"), required=False, widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("Agreement references, separated by commas or new lines."),
    )
    partners_as_members = forms.BooleanField(label=_("The partners of these agreements are members"),
                                             required=False, initial=True)

    def clean_agreement_references(self):
        text = self.cleaned_data["agreement_references"]
        references = [r for r in (part.strip() for part in text.replace(",", "\n").splitlines()) if r]
        found = {a.reference: a for a in Agreement.objects.filter(reference__in=references)}
        missing = [r for r in references if r not in found]
        if missing:
            raise ValidationError(_("No agreement has the reference %(references)s."),
                                  params={"references": ", ".join(missing)}, code="unknown_reference")
        return list(dict.fromkeys(found[r] for r in references))


@login_required
@require_http_methods(["GET", "POST"])
def committee_new(request):
    if not is_creator(request.user):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_manage_committee(request.user, agreements=data["agreement_references"], region=data["region"],
                                    province=data["province"]):
            raise PermissionDenied
        members = []
        if data["partners_as_members"]:
            seen = set()
            for agreement in data["agreement_references"]:
                for partnership in agreement.partnerships.select_related("organisation").order_by("pk"):
                    if partnership.organisation_id not in seen:
                        seen.add(partnership.organisation_id)
                        members.append((partnership.organisation, None, ""))
        try:
            committee = services.committee_create(
                kind=data["kind"], name_ar=data["name_ar"], name_fr=data["name_fr"], region=data["region"],
                province=data["province"], chair=data["chair"], chair_role=data["chair_role"],
                mandate=data["mandate"], agreements=data["agreement_references"], members=members, by=request.user,
            )
        except ValidationError as error:
            form.refuse(error)
        else:
            return redirect("web:committee", pk=committee.pk)
    return render(request, "web/followup/committee_form.html", {"form": form})


@login_required
def committee_detail(request, pk: int):
    committee = get_object_or_404(Committee.objects.select_related("region", "province", "chair"), pk=pk)
    return render(request, "web/followup/committee_detail.html", {
        "committee": committee, **committee_figures(committee), "today": local_today(),
        "can_manage": can_manage_committee(request.user, committee),
        "history": page_history(request.user, committee),
    })


class MemberForm(BootstrapForm):
    organisation = forms.ModelChoiceField(None, required=False, label=_("Organisation"))
    full_name_ar = forms.CharField(label=_("Person's name (Arabic)"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}))
    full_name_fr = forms.CharField(label=_("Person's name (French)"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"dir": "ltr", "lang": "fr"}))
    role = forms.CharField(label=_("Role in the committee"), max_length=255, required=False)

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(committee).order_by("kind", "name_fr", "name_ar")


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request, pk: int):
    committee = _committee_or_403(request, pk)
    form = MemberForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_join(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.refuse(error)
        else:
            return redirect("web:committee", pk=committee.pk)
    return render(request, "web/followup/member_form.html", {"committee": committee, "form": form})


# ---------------------------------------------------------------------------------------------
# Meetings


class MeetingForm(BootstrapForm):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    attendees = forms.MultipleChoiceField(label=_("Present"), required=False,
                                          widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                             help_text=_("Proposed from the committee's open alerts; edit it freely."))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["attendees"].choices = [(str(m.pk), _member_label(m)) for m in members]


def _member_label(member) -> str:
    parts = [str(part) for part in (member.person, member.organisation) if part is not None]
    label = " — ".join(parts)
    return f"{label} ({member.role})" if member.role else label


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, pk: int):
    committee = _committee_or_403(request, pk)
    members = list(committee.members.select_related("organisation", "person").order_by("pk"))
    if request.method == "POST":
        form = MeetingForm(request.POST, members=members)
        agenda = None
    else:
        agenda = agenda_build(committee)
        form = MeetingForm(members=members, initial={"held_on": local_today(), "agenda": agenda.text})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        present = set(data["attendees"])
        attendees = [(m.organisation, m.person, str(m.pk) in present) for m in members]
        try:
            meeting = services.meeting_record(
                committee=committee, held_on=data["held_on"], place=data["place"], agenda=data["agenda"],
                minutes=data["minutes"], attendees=attendees, by=request.user,
            )
        except ValidationError as error:
            form.refuse(error)
        else:
            return redirect("web:meeting", pk=meeting.pk)
    return render(request, "web/followup/meeting_form.html", {"committee": committee, "form": form,
                                                              "agenda": agenda})


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "committee__region",
                                                               "committee__province"), pk=pk)
    return render(request, "web/followup/meeting_detail.html", {
        "meeting": meeting, "committee": meeting.committee, **meeting_figures(meeting),
        "can_manage": can_manage_committee(request.user, meeting.committee),
        "history": page_history(request.user, meeting),
    })


PDF_LANGUAGES = ("ar", "fr", "en")


@login_required
def meeting_minutes_pdf(request, pk: int):
    from shiraka.followup.pdf import minutes_pdf

    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    language = request.GET.get("lang") or (get_language() or "ar")[:2]
    if language not in PDF_LANGUAGES:
        language = "ar"
    content = minutes_pdf(meeting, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-{meeting.committee_id}-{meeting.held_on:%Y-%m-%d}-{language}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# Decisions


class DecisionForm(BootstrapForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelChoiceField(None, required=False, label=_("Responsible organisation"))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    meeting = forms.ModelChoiceField(None, required=False, label=_("Meeting"))
    agreement = forms.ModelChoiceField(None, required=False, label=_("Agreement"))
    project = forms.ModelChoiceField(None, required=False, label=_("Project"))

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organisations_for(committee).order_by("kind", "name_fr", "name_ar")
        self.fields["meeting"].queryset = committee.meetings.order_by("-held_on")
        self.fields["agreement"].queryset = committee.agreements.order_by("reference")
        self.fields["project"].queryset = Project.objects.filter(agreement__committees=committee).order_by(
            "reference")
        self.fields["meeting"].label_from_instance = lambda m: m.held_on.isoformat()
        self.fields["agreement"].label_from_instance = lambda a: a.reference
        self.fields["project"].label_from_instance = lambda p: f"{p.reference} — {p.title}"


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, pk: int):
    committee = _committee_or_403(request, pk)
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = int(request.GET["meeting"])
    form = DecisionForm(request.POST or None, committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.refuse(error)
        else:
            if decision.meeting_id:
                return redirect("web:meeting", pk=decision.meeting_id)
            return redirect("web:committee", pk=committee.pk)
    return render(request, "web/followup/decision_form.html", {"committee": committee, "form": form})


class DecisionStatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("New status"), choices=Decision.Status.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.select_related("committee", "meeting", "responsible", "agreement", "project"), pk=pk
    )
    can_manage = can_manage_committee(request.user, decision.committee)
    form = DecisionStatusForm(
        request.POST or None, initial={"status": decision.status, "on": local_today(), "version": decision.version}
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.decision_set_status(decision, status=form.cleaned_data["status"],
                                                 on=form.cleaned_data["on"],
                                                 expected_version=form.cleaned_data["version"], by=request.user)
            except ValidationError as error:
                decision.refresh_from_db()
                form.refuse(error)
            else:
                return redirect("web:decision", pk=decision.pk)
    return render(request, "web/followup/decision_detail.html", {
        "decision": decision, "form": form, "can_manage": can_manage, "today": local_today(),
        "history": page_history(request.user, decision),
    })


class MinutesForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    minutes_scan = forms.FileField(label=_("Signed minutes (scan)"), required=False,
                                   help_text=_("PDF, JPEG or PNG, 20 MB at most."))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes_edit(request, pk: int):
    from shiraka.core.uploads import safe_upload

    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not can_manage_committee(request.user, meeting.committee):
        raise PermissionDenied
    if request.method == "POST":
        form = MinutesForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            scan = None
            if data["minutes_scan"]:
                try:
                    scan = safe_upload(data["minutes_scan"], allowed={"pdf", "jpeg", "png"})
                except ValidationError as error:
                    form.add_error("minutes_scan", error)
            if form.is_valid():
                try:
                    services.meeting_update_minutes(
                        meeting, expected_version=data["version"], place=data["place"], agenda=data["agenda"],
                        minutes=data["minutes"], minutes_scan=scan, by=request.user,
                    )
                except ValidationError as error:  # a VersionConflict too: nothing was saved
                    form.refuse(error)
                else:
                    return redirect("web:meeting", pk=meeting.pk)
    else:
        form = MinutesForm(initial={"version": meeting.version, "place": meeting.place, "agenda": meeting.agenda,
                                    "minutes": meeting.minutes})
    return render(request, "web/followup/meeting_minutes_form.html", {"meeting": meeting,
                                                                      "committee": meeting.committee, "form": form})
