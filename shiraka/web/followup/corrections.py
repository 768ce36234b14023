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
from shiraka.web.kit.forms import FAILED, RemoveForm, run_service
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


def correction(request, form, save, *, record, done: str, success: str, **context):
    """GET shows the form; a valid POST calls `save(cleaned_data)` and goes to `done`; a refusal shows
    the form again with the service's messages and the record as it is stored."""
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: save(form.cleaned_data)) is not FAILED:
            messages.success(request, success)
            return go_to(request, done)
        record.refresh_from_db()
    page = {"form": form, "action": request.get_full_path(), "cancel_url": context["back"], **context}
    return render(request, INLINE_FORM if is_htmx(request) else FORM_PAGE, page)


def refusal(check) -> list[str]:
    """The messages of a removal the service would refuse, shown before the user confirms."""
    try:
        check()
    except ValidationError as error:
        return error.messages
    return []


def removal_form(request, record) -> RemoveForm:
    posted, _files = post_data(request)
    return RemoveForm(posted, initial={"version": record.version}, auto_id=f"id_remove{record.pk}_%s")


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
    form = MemberRoleForm(
        post_data(request)[0],
        initial={"version": member.version, "role": member.role},
        auto_id=f"id_member{member.pk}_%s",
    )
    context = member_context(member)

    def save(data):
        return services.committee_member_update(
            member, expected_version=data["version"], role=data["role"], by=request.user
        )

    return correction(
        request,
        form,
        save,
        record=member,
        done=context["back"],
        success=_("The member's role was corrected."),
        title=_("Edit the member"),
        submit_label=_("Save"),
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk: int):
    member = access_committee_member(request.user, pk)
    context = member_context(member)

    def save(data):
        return services.committee_member_remove(member, expected_version=data["version"], by=request.user)

    return correction(
        request,
        removal_form(request, member),
        save,
        record=member,
        done=context["back"],
        success=_("The member was removed from the committee."),
        title=_("Remove the member"),
        intro=_("The attendance already recorded at the committee's meetings stays."),
        submit_label=_("Remove"),
        danger=True,
        **context,
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
    form = MeetingEditForm(
        post_data(request)[0],
        meeting=meeting,
        members=members,
        initial={"version": meeting.version, "held_on": meeting.held_on, "place": meeting.place},
        auto_id=f"id_meeting{meeting.pk}_%s",
    )
    context = meeting_context(meeting)

    def save(data):
        return services.meeting_update(
            meeting,
            expected_version=data["version"],
            held_on=data["held_on"],
            place=data["place"],
            attendees=form.attendance(),
            by=request.user,
        )

    return correction(
        request,
        form,
        save,
        record=meeting,
        done=context["back"],
        success=_("The meeting was corrected."),
        title=_("Edit the meeting"),
        submit_label=_("Save"),
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_remove(request, pk: int):
    meeting = access_meeting(request.user, pk, write=True)
    context = meeting_context(meeting)

    def save(data):
        return services.meeting_remove(meeting, expected_version=data["version"], by=request.user)

    return correction(
        request,
        removal_form(request, meeting),
        save,
        record=meeting,
        done=reverse("web:committee", args=[meeting.committee_id]),
        success=_("The meeting was removed, with its attendance."),
        title=_("Remove the meeting"),
        intro=_("The meeting is removed with its attendance; the history keeps a trace of both."),
        blocked=refusal(lambda: services.meeting_check_removable(meeting)),
        submit_label=_("Remove"),
        danger=True,
        **context,
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
    form = DecisionEditForm(
        post_data(request)[0],
        committee=decision.committee,
        initial={
            "version": decision.version,
            "text": decision.text,
            "responsible": decision.responsible_id,
            "due_on": decision.due_on,
            "agreement": decision.agreement_id,
            "project": decision.project_id,
        },
        auto_id=f"id_decision{decision.pk}_%s",
    )
    context = decision_context(decision)

    def save(data):
        values = form.values("text", "responsible", "due_on", "agreement", "project")
        return services.decision_update(decision, expected_version=data["version"], **values, by=request.user)

    return correction(
        request,
        form,
        save,
        record=decision,
        done=context["back"],
        success=_("The decision was corrected."),
        title=_("Edit the decision"),
        submit_label=_("Save"),
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_remove(request, pk: int):
    decision = access_decision_write(request.user, pk)
    context = decision_context(decision)
    if decision.meeting_id:
        done = reverse("web:meeting", args=[decision.meeting_id])
    else:
        done = reverse("web:committee", args=[decision.committee_id])
    blocked = []
    if decision.status != decision.Status.OPEN:
        blocked = [_("Only an open decision can be removed; once work has begun, mark it dropped instead.")]

    def save(data):
        return services.decision_remove(decision, expected_version=data["version"], by=request.user)

    return correction(
        request,
        removal_form(request, decision),
        save,
        record=decision,
        done=done,
        success=_("The decision was removed."),
        title=_("Remove the decision"),
        intro=_("Remove a decision recorded by mistake; the history keeps a trace of it."),
        blocked=blocked,
        submit_label=_("Remove"),
        danger=True,
        **context,
    )
