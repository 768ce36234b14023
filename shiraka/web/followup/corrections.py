"""Corrections of the follow-up record: edit or remove a committee member, a meeting, a decision.

Each opens on the row or the page that shows the record: under htmx the form (or the confirmation
of a removal) comes into a slot there, without JavaScript it is a page of its own. Who may add may
correct (shiraka.accounts.access, 404 for a hidden record, 403 when not allowed); the services of
shiraka.followup decide, with the version the user read; their refusals go next to the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shiraka.accounts.access import access_committee_member, access_decision_write, access_meeting
from shiraka.followup import services
from shiraka.web.kit.forms import FAILED, RemoveForm, initial_of, run_service
from shiraka.web.kit.views import is_htmx, post_data

from .forms import DecisionEditForm, MeetingEditForm, MemberRoleForm, member_label

FORM_PAGE = "web/followup/form_page.html"
INLINE_FORM = "web/followup/_inline_form.html"


def go_to(request, url: str):
    """After a correction: the page again (htmx follows HX-Redirect), or where the record now lives."""
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def correction(request, form, save, *, record, success: str, done: str = "", **context):
    """The page correcting `record` with `form` (its words: title, success, and the record's context).
    GET shows the form; a valid POST calls `save(cleaned_data)` and goes to `done` (by default back
    where the record is shown); a refusal shows the form again with the service's messages and the
    record as it is stored."""
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: save(form.cleaned_data)) is not FAILED:
            messages.success(request, success)
            return go_to(request, done or context["back"])
        record.refresh_from_db()
    page = {
        "form": form,
        "action": request.get_full_path(),
        "cancel_url": context["back"],
        "submit_label": _("Save"),
        **context,
    }
    return render(request, INLINE_FORM if is_htmx(request) else FORM_PAGE, page)


def edit_form(request, form_class, record, kind: str, *fields: str, **kwargs):
    """`form_class` opening on `record`'s stored `fields` and the version read; its ids carry the
    record's kind and pk, as several rows' forms live on one page."""
    initial = initial_of(record, "version", *fields)
    return form_class(post_data(request)[0], initial=initial, auto_id=f"id_{kind}{record.pk}_%s", **kwargs)


def removal(request, record, service, **words):
    """The confirmation of a removal, then `service(record, expected_version=…, by=user)`; `words`
    are the page's (title, intro, success) with the record's context."""
    posted, _files = post_data(request)
    form = RemoveForm(posted, initial={"version": record.version}, auto_id=f"id_remove{record.pk}_%s")

    def save(data):
        return service(record, expected_version=data["version"], by=request.user)

    return correction(request, form, save, record=record, submit_label=_("Remove"), danger=True, **words)


def refusal(check) -> list[str]:
    """The messages of a removal the service would refuse, shown before the user confirms."""
    try:
        check()
    except ValidationError as error:
        return error.messages
    return []


# --- committee members -----------------------------------------------------------------------------


def member_context(member) -> dict:
    committee = member.committee
    back = reverse("web:committee", args=[committee.pk])
    return {
        "committee": committee,
        "back": back,
        "summary": member_label(member),
        "slot": f"member-{member.pk}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = access_committee_member(request.user, pk)
    form = edit_form(request, MemberRoleForm, member, "member", "role")

    def save(data):
        return services.committee_member_update(
            member, expected_version=data["version"], role=data["role"], by=request.user
        )

    return correction(request, form, save, record=member, **form.words, **member_context(member))


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk: int):
    member = access_committee_member(request.user, pk)
    return removal(
        request,
        member,
        services.committee_member_remove,
        success=_("The member was removed from the committee."),
        title=_("Remove the member"),
        intro=_("The attendance already recorded at the committee's meetings stays."),
        **member_context(member),
    )


# --- meetings --------------------------------------------------------------------------------------


def meeting_context(meeting) -> dict:
    return {
        "committee": meeting.committee,
        "meeting": meeting,
        "back": reverse("web:meeting", args=[meeting.pk]),
        "summary": " — ".join(part for part in (meeting.held_on.isoformat(), meeting.place) if part),
        "slot": f"meeting-{meeting.pk}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = access_meeting(request.user, pk, write=True)
    members = list(meeting.committee.members.select_related("organisation", "person").order_by("pk"))
    form = edit_form(
        request, MeetingEditForm, meeting, "meeting", "held_on", "place", meeting=meeting, members=members
    )

    def save(data):
        return services.meeting_update(
            meeting,
            expected_version=data["version"],
            held_on=data["held_on"],
            place=data["place"],
            attendees=form.attendance(),
            by=request.user,
        )

    return correction(request, form, save, record=meeting, **form.words, **meeting_context(meeting))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_remove(request, pk: int):
    meeting = access_meeting(request.user, pk, write=True)
    return removal(
        request,
        meeting,
        services.meeting_remove,
        done=reverse("web:committee", args=[meeting.committee_id]),
        success=_("The meeting was removed, with its attendance."),
        title=_("Remove the meeting"),
        intro=_("The meeting is removed with its attendance; the history keeps a trace of both."),
        blocked=refusal(lambda: services.meeting_check_removable(meeting)),
        **meeting_context(meeting),
    )


# --- decisions -------------------------------------------------------------------------------------


def decision_context(decision) -> dict:
    return {
        "committee": decision.committee,
        "meeting": decision.meeting,
        "back": reverse("web:decision", args=[decision.pk]),
        "summary": decision.text[:160],
        "slot": f"decision-{decision.pk}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk: int):
    decision = access_decision_write(request.user, pk)
    fields = ("text", "responsible", "due_on", "agreement", "project")
    form = edit_form(request, DecisionEditForm, decision, "decision", *fields, committee=decision.committee)

    def save(data):
        values = form.values("text", "responsible", "due_on", "agreement", "project")
        return services.decision_update(decision, expected_version=data["version"], **values, by=request.user)

    return correction(request, form, save, record=decision, **form.words, **decision_context(decision))


@login_required
@require_http_methods(["GET", "POST"])
def decision_remove(request, pk: int):
    decision = access_decision_write(request.user, pk)
    if decision.meeting_id:
        done = reverse("web:meeting", args=[decision.meeting_id])
    else:
        done = reverse("web:committee", args=[decision.committee_id])
    blocked = []
    if decision.status != decision.Status.OPEN:
        blocked = [_("Only an open decision can be removed; once work has begun, mark it dropped instead.")]
    return removal(
        request,
        decision,
        services.decision_remove,
        done=done,
        success=_("The decision was removed."),
        title=_("Remove the decision"),
        intro=_("Remove a decision recorded by mistake; the history keeps a trace of it."),
        blocked=blocked,
        **decision_context(decision),
    )
