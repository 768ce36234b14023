from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shiraka.core.rules import check_not_future, check_transition, refuse
from shiraka.core.services import (
    claim_version,
    delete_recorded,
    set_history_user,
    validated_save,
    versioned_update,
)
from shiraka.organisations.services import person_create

from .models import Attendance, Committee, CommitteeMember, Decision, Meeting


@transaction.atomic
def committee_create(
    *,
    kind: str,
    name_ar: str = "",
    name_fr: str = "",
    region=None,
    province=None,
    chair=None,
    chair_role: str = "",
    mandate: str = "",
    agreements=(),
    members=(),
    by=None,
) -> Committee:
    if not (name_ar.strip() or name_fr.strip()):
        refuse("name_ar", _("Give the committee's name in Arabic or in French."), "name_required")
    if province is not None and region is not None and province.region_id != region.pk:
        refuse("province", _("This province is not in the chosen region."), "province_outside_region")
    if province is not None and region is None:
        region = province.region
    committee = Committee(
        kind=kind,
        name_ar=name_ar,
        name_fr=name_fr,
        region=region,
        province=province,
        chair=chair,
        chair_role=chair_role,
        mandate=mandate,
    )
    validated_save(committee, by=by)
    if agreements:
        committee.agreements.set(agreements)
    for organisation, person, role in members:
        committee_member_add(committee=committee, organisation=organisation, person=person, role=role, by=by)
    return committee


@transaction.atomic
def committee_member_add(
    *, committee: Committee, organisation=None, person=None, role: str = "", by=None
) -> CommitteeMember:
    if organisation is None and person is None:
        refuse("organisation", _("A member is an organisation or a person."), "member_required")
    return validated_save(
        CommitteeMember(committee=committee, organisation=organisation, person=person, role=role), by=by
    )


@transaction.atomic
def committee_member_join(
    *,
    committee: Committee,
    organisation=None,
    full_name_ar: str = "",
    full_name_fr: str = "",
    role: str = "",
    by=None,
) -> CommitteeMember:
    """Add a member: an organisation, a person named here (created with it), or both; one transaction."""
    person = None
    if full_name_ar.strip() or full_name_fr.strip():
        person = person_create(
            full_name_ar=full_name_ar, full_name_fr=full_name_fr, organisation=organisation, by=by
        )
    elif (
        organisation is not None
        and committee.members.filter(organisation=organisation, person__isnull=True).exists()
    ):
        refuse(
            "organisation", _("This organisation is already a member of the committee."), "member_duplicate"
        )
    return committee_member_add(
        committee=committee, organisation=organisation, person=person, role=role, by=by
    )


@transaction.atomic
def meeting_record(
    *,
    committee: Committee,
    held_on: date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees=(),
    by=None,
) -> Meeting:
    if minutes.strip():
        check_not_future(held_on, field="held_on")
    meeting = validated_save(
        Meeting(committee=committee, held_on=held_on, place=place, agenda=agenda, minutes=minutes), by=by
    )
    for organisation, person, present in attendees:
        row = Attendance(meeting=meeting, organisation=organisation, person=person, present=present)
        set_history_user(row, by)
        row.save()
    return meeting


def _check_decision(
    committee_id: int, meeting: Meeting | None, *, text: str, due_on, agreement, project
) -> None:
    """What a decision says, on creation and when corrected: `meeting` is the one that took it."""
    if not text.strip():
        refuse("text", _("Write the decision."), "required")
    if meeting is not None and meeting.committee_id != committee_id:
        refuse("meeting", _("This meeting belongs to another committee."), "meeting_other_committee")
    if meeting is not None and due_on is not None and due_on < meeting.held_on:
        refuse(
            "due_on",
            _("The due date cannot be before the meeting that took the decision."),
            "dates_out_of_order",
        )
    if project is not None and agreement is not None and project.agreement_id != agreement.pk:
        refuse("project", _("This project belongs to another agreement."), "project_other_agreement")


@transaction.atomic
def decision_create(
    *,
    committee: Committee,
    text: str,
    meeting: Meeting | None = None,
    responsible=None,
    due_on: date | None = None,
    agreement=None,
    project=None,
    by=None,
) -> Decision:
    _check_decision(committee.pk, meeting, text=text, due_on=due_on, agreement=agreement, project=project)
    decision = Decision(
        committee=committee,
        meeting=meeting,
        text=text,
        responsible=responsible,
        due_on=due_on,
        agreement=agreement,
        project=project,
    )
    return validated_save(decision, by=by)


DECISION_TRANSITIONS = {
    Decision.Status.OPEN: {Decision.Status.IN_PROGRESS, Decision.Status.DONE, Decision.Status.DROPPED},
    Decision.Status.IN_PROGRESS: {Decision.Status.DONE, Decision.Status.DROPPED},
    Decision.Status.DONE: set(),
    Decision.Status.DROPPED: set(),
}


@transaction.atomic
def decision_set_status(
    decision: Decision, *, status: str, on: date, expected_version: int, by=None
) -> Decision:
    check_transition(
        decision.status,
        status,
        DECISION_TRANSITIONS,
        labels=dict(Decision.Status.choices),
        reason="-",
        reason_required=set(),
    )
    check_not_future(on, field="closed_on")
    closed_on = on if status in {Decision.Status.DONE, Decision.Status.DROPPED} else None
    return versioned_update(
        decision, expected_version=expected_version, by=by, status=status, closed_on=closed_on
    )


@transaction.atomic
def meeting_update_minutes(
    meeting: Meeting,
    *,
    expected_version: int,
    place: str,
    agenda: str,
    minutes: str,
    minutes_scan=None,
    by=None,
) -> Meeting:
    """Write the minutes after the meeting, and attach the signed scan (already checked by
    shiraka.core.uploads.safe_upload). Refused if someone saved the meeting meanwhile."""
    if minutes.strip():
        check_not_future(meeting.held_on, field="minutes")
    changes = {"place": place, "agenda": agenda, "minutes": minutes}
    if minutes_scan is not None:
        changes["minutes_scan"] = minutes_scan
    return versioned_update(meeting, expected_version=expected_version, by=by, **changes)


# --- corrections: edit and remove what was recorded ---------------------------------------------------


@transaction.atomic
def committee_member_update(
    member: CommitteeMember, *, expected_version: int, role: str, by=None
) -> CommitteeMember:
    """Correct a member's role in the committee (who the member is does not change: remove and add)."""
    return versioned_update(member, expected_version=expected_version, by=by, role=role)


@transaction.atomic
def committee_member_remove(member: CommitteeMember, *, expected_version: int, by=None) -> None:
    """Take a member off the committee; the attendance already recorded at its meetings stays."""
    claim_version(member, expected_version)
    delete_recorded(member, by=by)


def _check_meeting_date(meeting: Meeting, held_on: date) -> None:
    """What meeting_record checks, and what the meeting's decisions require of its date."""
    if meeting.minutes.strip() or meeting.minutes_scan:
        check_not_future(held_on, field="held_on")
    if meeting.decisions.filter(due_on__lt=held_on).exists():
        refuse(
            "held_on",
            _("A decision of this meeting is due before this date: change its due date first."),
            "dates_out_of_order",
        )


def _set_attendance(meeting: Meeting, attendees, *, by=None) -> None:
    """The meeting's attendance becomes `attendees` ((organisation, person, present) each): rows kept
    are updated where they changed, new ones added, the others deleted, each with its history row."""
    rows = {(row.organisation_id, row.person_id): row for row in meeting.attendance.all()}
    wanted = set()
    for organisation, person, present in attendees:
        if organisation is None and person is None:
            refuse("attendees", _("A member is an organisation or a person."), "member_required")
        key = (getattr(organisation, "pk", None), getattr(person, "pk", None))
        wanted.add(key)
        row = rows.get(key) or Attendance(meeting=meeting, organisation=organisation, person=person)
        if row.pk is None or row.present != bool(present):
            row.present = bool(present)
            set_history_user(row, by)
            row.save()
    for key, row in rows.items():
        if key not in wanted:
            delete_recorded(row, by=by)


@transaction.atomic
def meeting_update(
    meeting: Meeting,
    *,
    expected_version: int,
    held_on: date,
    place: str,
    attendees=None,
    by=None,
) -> Meeting:
    """Correct the date, the place and (when given) the attendance of a meeting, as
    (organisation, person, present) for everyone on the attendance list."""
    _check_meeting_date(meeting, held_on)
    meeting = versioned_update(
        meeting, expected_version=expected_version, by=by, held_on=held_on, place=place
    )
    if attendees is not None:
        _set_attendance(meeting, attendees, by=by)
    return meeting


def meeting_check_removable(meeting: Meeting) -> None:
    """A meeting that took decisions or has its signed minutes is part of the record: it stays."""
    if meeting.decisions.exists():
        refuse(
            "meeting",
            _("This meeting took decisions: it cannot be removed. Correct it instead."),
            "meeting_has_decisions",
        )
    if meeting.minutes_scan:
        refuse(
            "meeting",
            _("The signed minutes of this meeting are attached: it cannot be removed. Correct it instead."),
            "meeting_has_scan",
        )


@transaction.atomic
def meeting_remove(meeting: Meeting, *, expected_version: int, by=None) -> None:
    """Remove a meeting recorded by mistake, with its attendance (each deletion in the history)."""
    claim_version(meeting, expected_version)
    meeting.refresh_from_db()
    meeting_check_removable(meeting)
    for row in meeting.attendance.all():
        delete_recorded(row, by=by)
    delete_recorded(meeting, by=by)


@transaction.atomic
def decision_update(
    decision: Decision,
    *,
    expected_version: int,
    text: str,
    responsible=None,
    due_on: date | None = None,
    agreement=None,
    project=None,
    by=None,
) -> Decision:
    """Correct what a decision says: its text, who does it, by when, on which agreement or project.
    Its status moves with decision_set_status."""
    _check_decision(
        decision.committee_id,
        decision.meeting,
        text=text,
        due_on=due_on,
        agreement=agreement,
        project=project,
    )
    return versioned_update(
        decision,
        expected_version=expected_version,
        by=by,
        text=text,
        responsible=responsible,
        due_on=due_on,
        agreement=agreement,
        project=project,
    )


@transaction.atomic
def decision_remove(decision: Decision, *, expected_version: int, by=None) -> None:
    """Remove a decision recorded by mistake while it is still open; once work began, drop it instead."""
    claim_version(decision, expected_version)
    decision.refresh_from_db()
    if decision.status != Decision.Status.OPEN:
        refuse(
            "status",
            _("Only an open decision can be removed; once work has begun, mark it dropped instead."),
            "decision_not_open",
        )
    delete_recorded(decision, by=by)
