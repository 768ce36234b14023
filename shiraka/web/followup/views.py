"""Follow-up pages: alerts, committees, meetings, decisions, minutes as PDF.

Thin views: the forms of .forms check the shape of the input, shiraka.accounts.access fetches the
record and authorises the write (403 when refused), shiraka.followup.services writes and refuses
(its ValidationErrors are shown next to the fields, nothing is saved), shiraka.followup.selectors
reads. Every page needs a signed-in user."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shiraka.accounts.access import (
    access_committee,
    access_decision,
    access_meeting,
    can_manage_committee,
    followed_agreements,
    followed_scope_key,
    is_creator,
    visible_committees,
)
from shiraka.core.cache import cached_figures
from shiraka.core.rules import today as local_today
from shiraka.core.text import reader_language
from shiraka.followup import services
from shiraka.followup.alerts import KIND_LABELS, KINDS
from shiraka.followup.models import Committee
from shiraka.followup.selectors import agenda_build, committee_page_rows, sorted_alerts
from shiraka.followup.selectors import committee_detail as committee_figures
from shiraka.followup.selectors import meeting_detail as meeting_figures
from shiraka.web.kit.forms import FAILED, run_service
from shiraka.web.kit.params import whole_number
from shiraka.web.kit.views import page_of, post_data, query_without, record_page
from shiraka.web.pages.rows import committee_rows

from .forms import (
    AlertFilterForm,
    CommitteeFilterForm,
    CommitteeForm,
    DecisionForm,
    DecisionStatusForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)

ALERTS_PER_PAGE = 50
COMMITTEES_PER_PAGE = 50
PDF_LANGUAGES = ("ar", "fr", "en")
FORM_PAGE = "web/followup/form_page.html"


def form_page(request, form, save, *, done, template=FORM_PAGE, **context):
    """GET shows the form; a valid POST calls `save(cleaned_data)` (the service) and redirects to
    `done(result)`; a refusal shows the form again, the service's messages next to the fields."""
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: save(form.cleaned_data))
        if result is not FAILED:
            return redirect(done(result))
    return render(request, template, {"form": form, **context})


def committee_url(committee: Committee) -> str:
    return reverse("web:committee", args=[committee.pk])


def committee_form_page(request, committee, form, save, *, done=None, **context):
    """A form page under a committee: back to the committee when cancelled, and by default when saved."""
    back = committee_url(committee)
    done = done or (lambda _saved: back)
    return form_page(request, form, save, done=done, committee=committee, cancel_url=back, **context)


# --- alerts ----------------------------------------------------------------------------------------


def alerts_in_scope(user, *, region, province, kind=None):
    """The alerts of the agreements `user` follows, grouped by kind, most serious first in each,
    computed by the database: a page of them is one query."""
    return sorted_alerts(
        followed_agreements(user), region=region, province=province, scope=followed_scope_key(user), kind=kind
    )


@login_required
def alerts(request):
    form = AlertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    kind = filters.get("kind") or None
    found = alerts_in_scope(
        request.user, region=filters.get("region"), province=filters.get("province"), kind=kind
    )
    page = found.page(request.GET.get("page"), ALERTS_PER_PAGE)
    counts = found.by_kind()
    return render(
        request,
        "web/followup/alerts.html",
        {
            "form": form,
            "page": page,
            "total": found.total(),
            "shown": found.count(),
            "query": query_without(request, "page"),
            "kind": kind,
            "counts": [(k, KIND_LABELS[k], counts[k]) for k in KINDS],
        },
    )


# --- committees ------------------------------------------------------------------------------------


@login_required
def committee_list(request):
    form = CommitteeFilterForm(request.GET or None)
    filters = {name: value for name, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    committees = committee_page_rows(visible_committees(request.user).filter(**filters))
    page = page_of(request, committees, COMMITTEES_PER_PAGE)
    return render(
        request,
        "web/followup/committee_list.html",
        {
            "form": form,
            "page": page,
            "rows": committee_rows(page.object_list),
            "query": query_without(request, "page"),
            "can_create": is_creator(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_new(request):
    if not is_creator(request.user):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None)

    def save(data):
        # Only now are the agreements known: a secretariat may not create a committee over
        # agreements outside its scope.
        if not can_manage_committee(
            request.user,
            agreements=data["agreement_references"],
            region=data["region"],
            province=data["province"],
        ):
            raise PermissionDenied
        return services.committee_create(**form.committee_arguments(), by=request.user)

    return form_page(
        request, form, save, done=committee_url, cancel_url=reverse("web:committees"), **form.words
    )


@login_required
def committee_detail(request, pk: int):
    committee = access_committee(request.user, pk)
    return record_page(
        request,
        "web/followup/committee_detail.html",
        committee,
        committee=committee,
        **committee_figures(committee),
        today=local_today(),
        can_manage=can_manage_committee(request.user, committee),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request, pk: int):
    committee = access_committee(request.user, pk, write=True)
    form = MemberForm(request.POST or None, committee=committee)

    def save(data):
        return services.committee_member_join(committee=committee, by=request.user, **data)

    return committee_form_page(request, committee, form, save, **form.words)


# --- meetings --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, pk: int):
    committee = access_committee(request.user, pk, write=True)
    members = list(committee.members.select_related("organisation", "person").order_by("pk"))
    posted, _files = post_data(request)
    # The agenda is proposed from the open alerts when the form opens; a POST keeps what was typed.
    agenda = None if posted is not None else agenda_build(committee)
    initial = {} if agenda is None else {"held_on": local_today(), "agenda": agenda.text}
    form = MeetingForm(posted, members=members, initial=initial)

    def save(data):
        return services.meeting_record(
            committee=committee,
            **form.values("held_on", "place", "agenda", "minutes"),
            attendees=form.attendance(),
            by=request.user,
        )

    return committee_form_page(
        request,
        committee,
        form,
        save,
        done=lambda meeting: reverse("web:meeting", args=[meeting.pk]),
        template="web/followup/meeting_form.html",
        agenda=agenda,
        wide=True,
        **form.words,
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = access_meeting(request.user, pk)
    return record_page(
        request,
        "web/followup/meeting_detail.html",
        meeting,
        meeting=meeting,
        committee=meeting.committee,
        **meeting_figures(meeting),
        can_manage=can_manage_committee(request.user, meeting.committee),
    )


@login_required
def meeting_minutes_pdf(request, pk: int):
    # Imported here: the PDF engine is heavy and only this page needs it.
    from shiraka.followup.pdf import minutes_pdf

    meeting = access_meeting(request.user, pk)
    language = reader_language(request.GET.get("lang"))
    if language not in PDF_LANGUAGES:
        language = "ar"
    # Built once per state of the data (every save bumps its version) and language: a download of the
    # same minutes is a cache read, not seconds of layout.
    pdf = cached_figures(
        "minutes-pdf",
        f"{meeting.pk}:{language}",
        lambda: minutes_pdf(meeting, language=language),
        timeout=86_400,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-{meeting.committee_id}-{meeting.held_on:%Y-%m-%d}-{language}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes_edit(request, pk: int):
    meeting = access_meeting(request.user, pk, write=True)
    form = MinutesForm(
        *post_data(request),
        initial={
            "version": meeting.version,
            "place": meeting.place,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
        },
    )

    def save(data):
        return services.meeting_update_minutes(
            meeting,
            expected_version=data["version"],
            **form.values("place", "agenda", "minutes", "minutes_scan"),
            by=request.user,
        )

    return form_page(
        request,
        form,
        save,
        done=lambda _meeting: reverse("web:meeting", args=[meeting.pk]),
        template="web/followup/meeting_minutes_form.html",
        meeting=meeting,
        committee=meeting.committee,
        cancel_url=reverse("web:meeting", args=[meeting.pk]),
        submit_label=_("Save"),
        wide=True,
        title=f"{_('Minutes')} — {meeting.held_on:%Y-%m-%d}",
        crumb=_("Minutes"),
        heading=_("Write the minutes or attach the signed scan"),
    )


# --- decisions -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, pk: int):
    committee = access_committee(request.user, pk, write=True)
    meeting = whole_number(request.GET.get("meeting"))
    initial = {"meeting": meeting} if meeting else {}
    form = DecisionForm(request.POST or None, committee=committee, initial=initial)

    def done(decision):
        if decision.meeting_id:
            return reverse("web:meeting", args=[decision.meeting_id])
        return committee_url(committee)

    def save(data):
        return services.decision_create(committee=committee, by=request.user, **data)

    return committee_form_page(request, committee, form, save, done=done, **form.words)


@login_required
@require_http_methods(["GET", "POST"])
def decision_detail(request, pk: int):
    """Every signed-in user reads the decision; the status form on it is the committee managers' write."""
    decision = access_decision(request.user, pk)
    can_manage = can_manage_committee(request.user, decision.committee)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = DecisionStatusForm(
        request.POST or None,
        initial={"status": decision.status, "on": local_today(), "version": decision.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.decision_set_status(
                decision,
                status=data["status"],
                on=data["on"],
                expected_version=data["version"],
                by=request.user,
            ),
        )
        if saved is not FAILED:
            return redirect("web:decision", pk=decision.pk)
        # A refused save may have set the new values on `decision`: show what is stored.
        decision.refresh_from_db()
    return record_page(
        request,
        "web/followup/decision_detail.html",
        decision,
        decision=decision,
        form=form,
        can_manage=can_manage,
        today=local_today(),
    )
