"""Corrections of the follow-up record over HTTP: Edit and Remove on the rows and pages for those who
may, the forms inline (htmx) or on a page of their own, refusals next to the field, nothing changed."""

from datetime import date

import pytest

from shiraka.accounts.models import Membership
from shiraka.followup import services
from shiraka.followup.models import Attendance, CommitteeMember, Decision, Meeting
from tests.factories import followup_case, page_text, province, url, user_with_role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(reference):
    return followup_case()


@pytest.fixture
def secretariat(case):
    place = province()
    return user_with_role("sec-in", Membership.Role.SECRETARIAT, province=place, region=place.region)


@pytest.fixture
def viewer(case):
    return user_with_role("viewer", Membership.Role.VIEWER, organisation=case.own)


def member_of(case, organisation_) -> CommitteeMember:
    return case.committee.members.get(organisation=organisation_)


def lone_meeting(case) -> Meeting:
    return services.meeting_record(
        committee=case.committee, held_on=date(2024, 5, 2), attendees=[(case.own, None, True)]
    )


# --- the buttons ------------------------------------------------------------------------------------


def test_edit_and_remove_are_shown_to_the_committee_managers_only(client, case, secretariat, viewer):
    member = member_of(case, case.own)
    pages = {
        url("committee", case.committee.pk): [url("committee_member_edit", member.pk)],
        url("meeting", case.meeting.pk): [
            url("meeting_edit", case.meeting.pk),
            url("meeting_remove", case.meeting.pk),
        ],
        url("decision", case.decision.pk): [
            url("decision_edit", case.decision.pk),
            url("decision_remove", case.decision.pk),
        ],
    }
    client.force_login(secretariat)
    for page, links in pages.items():
        text = page_text(client.get(page))
        for link in links:
            assert f'data-hx-get="{link}"' in text and f'href="{link}"' in text, link
    client.force_login(viewer)
    for page, links in pages.items():
        text = page_text(client.get(page))
        assert "data-correction" not in text and "data-member-tools" not in text
        assert not any(link in text for link in links)


def test_a_decision_under_way_has_no_remove_button(client, case, secretariat):
    services.decision_set_status(case.decision, status="in_progress", on=date(2024, 4, 1), expected_version=1)
    client.force_login(secretariat)
    text = page_text(client.get(url("decision", case.decision.pk)))
    assert url("decision_edit", case.decision.pk) in text
    assert url("decision_remove", case.decision.pk) not in text


# --- committee members ------------------------------------------------------------------------------


def test_member_role_edited_on_its_own_page_without_javascript(client, case, secretariat):
    member = member_of(case, case.own)
    client.force_login(secretariat)
    page = client.get(url("committee_member_edit", member.pk))
    assert page.status_code == 200 and "<html" in page_text(page)
    response = client.post(url("committee_member_edit", member.pk), {"version": 1, "role": "présidente"})
    assert response.status_code == 302 and response["Location"] == url("committee", case.committee.pk)
    member.refresh_from_db()
    assert (member.role, member.version) == ("présidente", 2)
    assert member.history.first().history_user == secretariat


def test_member_role_edited_inline_with_htmx(client, case, secretariat):
    member = member_of(case, case.own)
    client.force_login(secretariat)
    fragment = page_text(client.get(url("committee_member_edit", member.pk), **HTMX))
    assert "<html" not in fragment and f'data-hx-post="{url("committee_member_edit", member.pk)}"' in fragment
    response = client.post(
        url("committee_member_edit", member.pk), {"version": 1, "role": "rapporteur"}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Redirect"] == url("committee", case.committee.pk)
    assert CommitteeMember.objects.get(pk=member.pk).role == "rapporteur"


def test_member_edit_on_a_stale_version_shows_the_conflict_and_changes_nothing(client, case, secretariat):
    member = member_of(case, case.own)
    services.committee_member_update(member, expected_version=1, role="président")
    client.force_login(secretariat)
    response = client.post(
        url("committee_member_edit", member.pk), {"version": 1, "role": "rapporteur"}, **HTMX
    )
    text = page_text(response)
    assert response.status_code == 200 and "data-form-errors" in text and "président" in text
    assert CommitteeMember.objects.get(pk=member.pk).role == "président"


def test_member_removed_after_confirmation_htmx_and_not(client, case, secretariat):
    client.force_login(secretariat)
    first, second = member_of(case, case.own), member_of(case, case.other)
    confirm = page_text(client.get(url("committee_member_remove", first.pk), **HTMX))
    assert 'name="version"' in confirm and "btn-danger" in confirm
    response = client.post(url("committee_member_remove", first.pk), {"version": 1}, **HTMX)
    assert response["HX-Redirect"] == url("committee", case.committee.pk)
    response = client.post(url("committee_member_remove", second.pk), {"version": 1})
    assert response.status_code == 302
    assert not case.committee.members.exists()
    assert Attendance.objects.filter(meeting=case.meeting).count() == 2


def test_a_viewer_cannot_edit_or_remove_a_member(client, case, viewer):
    member = member_of(case, case.own)
    client.force_login(viewer)
    assert client.get(url("committee_member_edit", member.pk)).status_code == 403
    assert client.post(url("committee_member_remove", member.pk), {"version": 1}).status_code == 403
    assert client.post(url("committee_member_edit", 999_999), {"version": 1}).status_code == 404
    assert CommitteeMember.objects.filter(pk=member.pk, version=1).exists()


# --- meetings ---------------------------------------------------------------------------------------


def test_meeting_date_place_and_attendance_edited(client, case, secretariat):
    client.force_login(secretariat)
    form = page_text(client.get(url("meeting_edit", case.meeting.pk), **HTMX))
    own_key, other_key = f"{case.own.pk}-0", f"{case.other.pk}-0"
    assert f'value="{own_key}"' in form and f'value="{other_key}"' in form
    response = client.post(
        url("meeting_edit", case.meeting.pk),
        {"version": 1, "held_on": "2024-03-04", "place": "Aït Melloul", "attendees": [other_key]},
    )
    assert response.status_code == 302 and response["Location"] == url("meeting", case.meeting.pk)
    meeting = Meeting.objects.get(pk=case.meeting.pk)
    assert (meeting.held_on, meeting.place) == (date(2024, 3, 4), "Aït Melloul")
    present = dict(Attendance.objects.filter(meeting=meeting).values_list("organisation_id", "present"))
    assert present == {case.own.pk: False, case.other.pk: True}


def test_meeting_date_refused_next_to_the_field_nothing_changed(client, case, secretariat):
    client.force_login(secretariat)
    response = client.post(
        url("meeting_edit", case.meeting.pk),
        {"version": 1, "held_on": "2025-02-01", "place": "Ailleurs", "attendees": []},
        **HTMX,
    )
    text = page_text(response)
    assert response.status_code == 200 and 'data-error-for="held_on"' in text
    meeting = Meeting.objects.get(pk=case.meeting.pk)
    assert (meeting.held_on, meeting.place, meeting.version) == (date(2024, 3, 1), "Inezgane", 1)
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 1


def test_a_meeting_without_decision_is_removed(client, case, secretariat):
    meeting = lone_meeting(case)
    client.force_login(secretariat)
    page = page_text(client.get(url("meeting_remove", meeting.pk)))
    assert "<html" in page and "btn-danger" in page and "data-blocked" not in page
    response = client.post(url("meeting_remove", meeting.pk), {"version": 1}, **HTMX)
    assert response["HX-Redirect"] == url("committee", case.committee.pk)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Attendance.objects.filter(meeting_id=meeting.pk).exists()


def test_a_meeting_that_took_decisions_is_refused_with_a_message(client, case, secretariat):
    client.force_login(secretariat)
    confirm = page_text(client.get(url("meeting_remove", case.meeting.pk), **HTMX))
    assert "data-blocked" in confirm and 'type="submit"' not in confirm
    response = client.post(url("meeting_remove", case.meeting.pk), {"version": 1})
    assert response.status_code == 200 and "data-form-errors" in page_text(response)
    assert Meeting.objects.filter(pk=case.meeting.pk, version=1).exists()
    assert Attendance.objects.filter(meeting=case.meeting).count() == 2


def test_a_viewer_cannot_edit_or_remove_a_meeting(client, case, viewer):
    meeting = lone_meeting(case)
    client.force_login(viewer)
    assert (
        client.post(url("meeting_edit", meeting.pk), {"version": 1, "held_on": "2024-05-03"}).status_code
        == 403
    )
    assert client.post(url("meeting_remove", meeting.pk), {"version": 1}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk, version=1).exists()


# --- decisions --------------------------------------------------------------------------------------


def decision_post(case, **changes) -> dict:
    data = {
        "version": 1,
        "text": "Lancer les études techniques",
        "responsible": case.other.pk,
        "due_on": "2025-03-31",
        "agreement": case.agreement.pk,
    }
    data.update(changes)
    return data


def test_decision_edited_htmx_and_not(client, case, secretariat):
    client.force_login(secretariat)
    form = page_text(client.get(url("decision_edit", case.decision.pk), **HTMX))
    assert "Lancer les études" in form and 'name="meeting"' not in form
    response = client.post(url("decision_edit", case.decision.pk), decision_post(case), **HTMX)
    assert response["HX-Redirect"] == url("decision", case.decision.pk)
    response = client.post(
        url("decision_edit", case.decision.pk), decision_post(case, version=2, text="Texte final")
    )
    assert response.status_code == 302
    decision = Decision.objects.get(pk=case.decision.pk)
    assert (decision.text, decision.responsible, decision.due_on, decision.agreement, decision.version) == (
        "Texte final",
        case.other,
        date(2025, 3, 31),
        case.agreement,
        3,
    )


def test_decision_due_before_its_meeting_is_refused_next_to_the_field(client, case, secretariat):
    client.force_login(secretariat)
    response = client.post(url("decision_edit", case.decision.pk), decision_post(case, due_on="2024-01-15"))
    text = page_text(response)
    assert response.status_code == 200 and 'data-error-for="due_on"' in text
    decision = Decision.objects.get(pk=case.decision.pk)
    assert (decision.text, decision.due_on, decision.version) == ("Lancer les études", date(2024, 12, 31), 1)


def test_an_open_decision_is_removed(client, case, secretariat):
    client.force_login(secretariat)
    response = client.post(url("decision_remove", case.decision.pk), {"version": 1})
    assert response.status_code == 302 and response["Location"] == url("meeting", case.meeting.pk)
    assert not Decision.objects.filter(pk=case.decision.pk).exists()


def test_a_decision_under_way_is_not_removed(client, case, secretariat):
    services.decision_set_status(case.decision, status="in_progress", on=date(2024, 4, 1), expected_version=1)
    client.force_login(secretariat)
    assert "data-blocked" in page_text(client.get(url("decision_remove", case.decision.pk), **HTMX))
    response = client.post(url("decision_remove", case.decision.pk), {"version": 2}, **HTMX)
    assert response.status_code == 200 and "data-form-errors" in page_text(response)
    assert Decision.objects.filter(pk=case.decision.pk, version=2).exists()


def test_a_viewer_cannot_edit_or_remove_a_decision(client, case, viewer):
    client.force_login(viewer)
    assert client.get(url("decision_edit", case.decision.pk)).status_code == 403
    assert client.post(url("decision_edit", case.decision.pk), decision_post(case)).status_code == 403
    assert client.post(url("decision_remove", case.decision.pk), {"version": 1}).status_code == 403
    assert Decision.objects.filter(pk=case.decision.pk, version=1, text="Lancer les études").exists()


def test_the_forms_read_in_arabic(client, case, secretariat):
    client.force_login(secretariat)
    response = client.get(url("meeting_edit", case.meeting.pk, language="ar"))
    assert response.status_code == 200 and 'dir="rtl"' in page_text(response)
    assert "<bdi" in page_text(response)
