"""Corrections of the follow-up record in the services: edit and remove committee members, meetings
and decisions; each refusal, the version check against lost updates, and the history with its author."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shiraka.accounts.models import Membership
from shiraka.core.rules import today
from shiraka.core.services import VersionConflict
from shiraka.core.uploads import PDF, safe_upload
from shiraka.followup import services
from shiraka.followup.models import Attendance, CommitteeMember, Decision, Meeting
from tests.factories import (
    agreement_in_province,
    error_codes,
    followup_case,
    organisation,
    pdf_bytes,
    project,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(reference):
    return followup_case()


@pytest.fixture
def author(db):
    return user_with_role("secretariat-author", Membership.Role.ADMINISTRATOR)


def member_of(case, organisation_) -> CommitteeMember:
    return case.committee.members.get(organisation=organisation_)


def deleted_by(model, pk):
    """The author of the history row that records the deletion of `model` #pk."""
    return model.history.get(id=pk, history_type="-").history_user


def attendance_of(meeting) -> dict:
    return {row.organisation_id: row.present for row in Attendance.objects.filter(meeting=meeting)}


# --- committee members ------------------------------------------------------------------------------


def test_member_role_is_corrected_with_its_author(case, author):
    member = member_of(case, case.own)
    services.committee_member_update(member, expected_version=1, role="rapporteur", by=author)
    member.refresh_from_db()
    assert (member.role, member.version) == ("rapporteur", 2)
    assert member.history.first().history_user == author


def test_member_role_too_long_is_refused(case, author):
    member = member_of(case, case.own)
    with pytest.raises(ValidationError) as refused:
        services.committee_member_update(member, expected_version=1, role="x" * 256, by=author)
    assert "role" in refused.value.message_dict
    assert CommitteeMember.objects.get(pk=member.pk).role == ""


def test_member_edit_on_a_stale_version_is_refused(case, author):
    member = member_of(case, case.own)
    services.committee_member_update(member, expected_version=1, role="président", by=author)
    stale = CommitteeMember.objects.get(pk=member.pk)
    with pytest.raises(VersionConflict):
        services.committee_member_update(stale, expected_version=1, role="rapporteur", by=author)
    assert CommitteeMember.objects.get(pk=member.pk).role == "président"


def test_member_is_removed_with_its_author_and_attendance_stays(case, author):
    member = member_of(case, case.other)
    pk = member.pk
    services.committee_member_remove(member, expected_version=1, by=author)
    assert not CommitteeMember.objects.filter(pk=pk).exists()
    assert deleted_by(CommitteeMember, pk) == author
    assert attendance_of(case.meeting) == {case.own.pk: True, case.other.pk: False}


def test_member_removal_on_a_stale_version_is_refused(case, author):
    member = member_of(case, case.other)
    services.committee_member_update(member, expected_version=1, role="membre", by=author)
    with pytest.raises(VersionConflict):
        services.committee_member_remove(member_of(case, case.other), expected_version=1, by=author)
    assert CommitteeMember.objects.filter(pk=member.pk).exists()


# --- meetings ---------------------------------------------------------------------------------------


def test_meeting_date_place_and_attendance_are_corrected(case, author):
    newcomer = organisation("Nouveau membre")
    services.committee_member_add(committee=case.committee, organisation=newcomer, by=author)
    services.meeting_update(
        case.meeting,
        expected_version=1,
        held_on=date(2024, 3, 4),
        place="Aït Melloul",
        # The own organisation was in fact absent, the other present, the newcomer there too.
        attendees=[(case.own, None, False), (case.other, None, True), (newcomer, None, True)],
        by=author,
    )
    meeting = Meeting.objects.get(pk=case.meeting.pk)
    assert (meeting.held_on, meeting.place, meeting.version) == (date(2024, 3, 4), "Aït Melloul", 2)
    assert attendance_of(meeting) == {case.own.pk: False, case.other.pk: True, newcomer.pk: True}
    assert meeting.history.first().history_user == author
    rows = Attendance.history.filter(meeting_id=meeting.pk, history_type__in=["~", "+"], history_user=author)
    assert rows.count() == 3


def test_attendance_left_off_the_list_is_deleted_with_its_author(case, author):
    row = Attendance.objects.get(meeting=case.meeting, organisation=case.other)
    services.meeting_update(
        case.meeting,
        expected_version=1,
        held_on=case.meeting.held_on,
        place="",
        attendees=[(case.own, None, True)],
        by=author,
    )
    assert attendance_of(case.meeting) == {case.own.pk: True}
    assert deleted_by(Attendance, row.pk) == author


def test_meeting_without_attendance_given_keeps_it(case, author):
    services.meeting_update(case.meeting, expected_version=1, held_on=date(2024, 3, 2), place="", by=author)
    assert attendance_of(case.meeting) == {case.own.pk: True, case.other.pk: False}


def test_a_meeting_with_minutes_cannot_move_to_the_future(case, author):
    services.meeting_update_minutes(case.meeting, expected_version=1, place="", agenda="", minutes="PV")
    meeting = Meeting.objects.get(pk=case.meeting.pk)
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(
            meeting, expected_version=2, held_on=today() + timedelta(days=3), place="", by=author
        )
    assert error_codes(refused.value, "held_on") == ["date_in_future"]
    assert Meeting.objects.get(pk=meeting.pk).held_on == date(2024, 3, 1)


def test_a_meeting_cannot_move_after_its_decisions_are_due(case, author):
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(
            case.meeting, expected_version=1, held_on=date(2025, 1, 15), place="Ailleurs", by=author
        )
    assert error_codes(refused.value, "held_on") == ["dates_out_of_order"]
    meeting = Meeting.objects.get(pk=case.meeting.pk)
    assert (meeting.held_on, meeting.place, meeting.version) == (date(2024, 3, 1), "Inezgane", 1)


def test_meeting_edit_on_a_stale_version_changes_nothing(case, author):
    services.meeting_update(case.meeting, expected_version=1, held_on=date(2024, 3, 2), place="A", by=author)
    stale = Meeting.objects.get(pk=case.meeting.pk)
    with pytest.raises(VersionConflict) as conflict:
        services.meeting_update(
            stale,
            expected_version=1,
            held_on=date(2024, 3, 3),
            place="B",
            attendees=[(case.own, None, False)],
            by=author,
        )
    assert conflict.value.changed["place"] == ("A", "B")
    meeting = Meeting.objects.get(pk=case.meeting.pk)
    assert (meeting.held_on, meeting.place) == (date(2024, 3, 2), "A")
    assert attendance_of(meeting) == {case.own.pk: True, case.other.pk: False}


def lone_meeting(case):
    return services.meeting_record(
        committee=case.committee, held_on=date(2024, 5, 2), attendees=[(case.own, None, True)]
    )


def test_a_meeting_without_decision_is_removed_with_its_attendance(case, author):
    meeting = lone_meeting(case)
    pk, row = meeting.pk, meeting.attendance.get().pk
    services.meeting_remove(meeting, expected_version=1, by=author)
    assert not Meeting.objects.filter(pk=pk).exists()
    assert not Attendance.objects.filter(pk=row).exists()
    assert deleted_by(Meeting, pk) == author
    assert deleted_by(Attendance, row) == author


def test_a_meeting_that_took_decisions_is_not_removed(case, author):
    with pytest.raises(ValidationError) as refused:
        services.meeting_remove(case.meeting, expected_version=1, by=author)
    assert error_codes(refused.value, "meeting") == ["meeting_has_decisions"]
    assert Meeting.objects.filter(pk=case.meeting.pk, version=1).exists()
    assert len(attendance_of(case.meeting)) == 2


def test_a_meeting_with_its_signed_minutes_is_not_removed(case, author):
    meeting = lone_meeting(case)
    scan = safe_upload(SimpleUploadedFile("pv.pdf", pdf_bytes(), "application/pdf"), allowed={PDF})
    services.meeting_update_minutes(
        meeting, expected_version=1, place="", agenda="", minutes="", minutes_scan=scan
    )
    with pytest.raises(ValidationError) as refused:
        services.meeting_remove(meeting, expected_version=2, by=author)
    assert error_codes(refused.value, "meeting") == ["meeting_has_scan"]
    assert Meeting.objects.filter(pk=meeting.pk, version=2).exists()


def test_meeting_removal_on_a_stale_version_is_refused(case, author):
    meeting = lone_meeting(case)
    services.meeting_update(meeting, expected_version=1, held_on=meeting.held_on, place="Salle 2", by=author)
    with pytest.raises(VersionConflict):
        services.meeting_remove(Meeting.objects.get(pk=meeting.pk), expected_version=1, by=author)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


# --- decisions --------------------------------------------------------------------------------------


def test_decision_is_corrected_with_its_author(case, author):
    study = project(case.agreement)
    services.decision_update(
        case.decision,
        expected_version=1,
        text="Lancer les études techniques",
        responsible=case.other,
        due_on=date(2025, 3, 31),
        agreement=case.agreement,
        project=study,
        by=author,
    )
    decision = Decision.objects.get(pk=case.decision.pk)
    assert (decision.text, decision.responsible, decision.due_on) == (
        "Lancer les études techniques",
        case.other,
        date(2025, 3, 31),
    )
    assert (decision.agreement, decision.project, decision.version) == (case.agreement, study, 2)
    assert decision.status == Decision.Status.OPEN and decision.meeting == case.meeting
    assert decision.history.first().history_user == author


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"text": "   "}, "text", "required"),
        ({"due_on": date(2024, 2, 1)}, "due_on", "dates_out_of_order"),
        ({"project": "elsewhere"}, "project", "project_other_agreement"),
    ],
)
def test_decision_refusals_change_nothing(case, author, changes, field, code):
    values = {"text": "Autre texte", "due_on": date(2025, 1, 1), "agreement": case.agreement, **changes}
    if values.get("project") == "elsewhere":
        values["project"] = project(agreement_in_province())
    with pytest.raises(ValidationError) as refused:
        services.decision_update(case.decision, expected_version=1, by=author, **values)
    assert error_codes(refused.value, field) == [code]
    decision = Decision.objects.get(pk=case.decision.pk)
    assert (decision.text, decision.version, decision.agreement) == ("Lancer les études", 1, None)


def test_decision_edit_on_a_stale_version_is_refused(case, author):
    services.decision_set_status(
        case.decision, status="in_progress", on=date(2024, 4, 1), expected_version=1, by=author
    )
    with pytest.raises(VersionConflict):
        services.decision_update(
            Decision.objects.get(pk=case.decision.pk), expected_version=1, text="Écrasé", by=author
        )
    decision = Decision.objects.get(pk=case.decision.pk)
    assert (decision.text, decision.status) == ("Lancer les études", "in_progress")


def test_an_open_decision_is_removed_with_its_author(case, author):
    pk = case.decision.pk
    services.decision_remove(case.decision, expected_version=1, by=author)
    assert not Decision.objects.filter(pk=pk).exists()
    assert deleted_by(Decision, pk) == author


def test_a_decision_under_way_is_not_removed(case, author):
    services.decision_set_status(
        case.decision, status="in_progress", on=date(2024, 4, 1), expected_version=1, by=author
    )
    with pytest.raises(ValidationError) as refused:
        services.decision_remove(case.decision, expected_version=2, by=author)
    assert error_codes(refused.value, "status") == ["decision_not_open"]
    assert Decision.objects.filter(pk=case.decision.pk, version=2).exists()


def test_decision_removal_on_a_stale_version_is_refused(case, author):
    services.decision_update(case.decision, expected_version=1, text="Texte corrigé", by=author)
    with pytest.raises(VersionConflict):
        services.decision_remove(Decision.objects.get(pk=case.decision.pk), expected_version=1, by=author)
    assert Decision.objects.filter(pk=case.decision.pk).exists()
