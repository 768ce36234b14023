"""Alerts page, committees, meetings and decisions: forms accept and refuse, viewers get 403."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from shiraka.accounts.models import Membership
from shiraka.core.rules import today
from shiraka.followup import services as followup
from shiraka.followup.models import Attendance, Committee, CommitteeMember, Decision, Meeting
from shiraka.territory.models import Province
from tests.factories import (
    agreement_in_province,
    committee,
    figures_checked,
    partner_with_schedule,
    project,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def inezgane(seeds) -> Committee:
    return Committee.objects.get(kind="supervision", province__code="09.273")


def test_alerts_page_needs_login_and_lists_grouped_filtered_paginated(client, reference):
    assert client.get("/fr/alerts/").status_code == 302
    here = agreement_in_province(total="100.00", code="09.273")
    project(here, budget="500.00", status="planned")
    there = agreement_in_province(total="100.00", code="10.261")
    for number in range(55):  # 55 late milestones on 55 projects: more than one page
        p = project(there, budget="1.00", status="works")
        from shiraka.projects import services as projects

        projects.milestone_plan(
            project=p, kind="works_order", planned_on=today() - timedelta(days=10 + number)
        )
    client.force_login(user_with_role("viewer", Membership.Role.VIEWER))
    page = client.get("/fr/alerts/").content.decode()
    assert 'data-figure="alert-total">' in page
    assert page.count('data-alert-kind="') == 50
    assert 'for="id_region"' in page and 'for="id_province"' in page and 'for="id_kind"' in page
    second = client.get("/fr/alerts/?page=2").content.decode()
    assert second.count('data-alert-kind="') >= 6
    only_budgets = client.get("/fr/alerts/?kind=budgets_over_total").content.decode()
    assert only_budgets.count('data-alert-kind="budgets_over_total"') == 1
    assert 'data-alert-kind="milestone_late"' not in only_budgets
    by_province = client.get(f"/fr/alerts/?province={here.province.pk}").content.decode()
    assert here.reference in by_province and there.reference not in by_province


def test_the_alert_filter_reads_its_territories_once_and_shows_a_rename_at_once(client, reference):
    client.force_login(user_with_role("viewer", Membership.Role.VIEWER))
    client.get("/fr/alerts/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/fr/alerts/")
    read = [  # the rows of the two pickers (the regions' keys alone are read for the counts)
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "territory_province"' in q["sql"] or '"territory_region"."name_fr"' in q["sql"]
    ]
    assert read == [], "read again, the regions and provinces come from the process's memory"
    province = Province.objects.select_related("region").get(code="09.273")
    province.name_fr = "Inezgane (renommée)"
    province.save()
    page = client.get(f"/fr/alerts/?province={province.pk}").content.decode()
    picker = re.search(r'<select name="province"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'<option value="{province.pk}" selected>Inezgane (renommée)</option>' in picker
    assert client.get("/fr/alerts/?province=999999").status_code == 200  # not a province: refused, not listed


def test_secretariat_sees_only_its_province_alerts(client, reference):
    here = agreement_in_province(total="100.00", code="09.273")
    project(here, budget="500.00", status="planned")
    there = agreement_in_province(total="100.00", code="10.261")
    project(there, budget="500.00", status="planned")
    client.force_login(user_with_role("sec", Membership.Role.SECRETARIAT, province=here.province))
    page = client.get("/en/alerts/").content.decode()
    assert here.reference in page and there.reference not in page


def test_committee_list_and_detail(client, seeds):
    client.force_login(seeds)
    listing = client.get("/ar/committees/").content.decode()
    c = inezgane(seeds)
    assert c.name_ar in listing
    detail = client.get(f"/fr/committees/{c.pk}/").content.decode()
    assert escape(c.name_fr) in detail and "IAM-2022-SANTE-CADRE" in detail
    assert "Ministère de la Santé" in detail  # a member organisation
    assert client.get("/fr/committees/").status_code == 200


def test_create_committee_accepts_and_refuses(client, seeds):
    client.force_login(seeds)
    assert client.get("/fr/committees/new/").status_code == 200
    before = Committee.objects.count()
    refused = client.post(
        "/fr/committees/new/",
        {"kind": "technical", "name_ar": "", "name_fr": "", "agreement_references": "IAM-2022-SANTE-CADRE"},
    )
    assert refused.status_code == 200 and Committee.objects.count() == before
    assert 'data-error-for="name_ar"' in refused.content.decode()
    unknown = client.post(
        "/fr/committees/new/",
        {"kind": "technical", "name_fr": "Comité technique", "agreement_references": "NOPE-1"},
    )
    assert 'data-error-for="agreement_references"' in unknown.content.decode()
    assert Committee.objects.count() == before
    response = client.post(
        "/fr/committees/new/",
        {
            "kind": "technical",
            "name_fr": "Comité technique santé Inezgane",
            "province": "",
            "agreement_references": "IAM-2022-SANTE-CADRE",
            "partners_as_members": "on",
            "chair_role": "Gouverneur",
        },
    )
    assert response.status_code == 302
    created = Committee.objects.get(name_fr="Comité technique santé Inezgane")
    assert list(created.agreements.values_list("reference", flat=True)) == ["IAM-2022-SANTE-CADRE"]
    assert created.members.count() >= 3


def test_viewer_gets_403_and_nothing_changes(client, seeds):
    c = inezgane(seeds)
    viewer = user_with_role("viewer", Membership.Role.VIEWER)
    client.force_login(viewer)
    counts = (
        Committee.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        CommitteeMember.objects.count(),
    )
    assert client.get("/fr/committees/new/").status_code == 403
    assert client.post("/fr/committees/new/", {"kind": "technical", "name_fr": "X"}).status_code == 403
    assert client.get(f"/fr/committees/{c.pk}/meetings/new/").status_code == 403
    assert client.post(f"/fr/committees/{c.pk}/meetings/new/", {"held_on": "2025-01-01"}).status_code == 403
    assert client.post(f"/fr/committees/{c.pk}/decisions/new/", {"text": "X"}).status_code == 403
    assert client.post(f"/fr/committees/{c.pk}/members/new/", {"full_name_fr": "X"}).status_code == 403
    decision = followup.decision_create(committee=c, text="Décision", due_on=date(2025, 1, 1))
    response = client.post(
        f"/fr/decisions/{decision.pk}/", {"status": "done", "on": "2025-01-02", "version": decision.version}
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.status == "open"
    assert counts == (
        Committee.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count() - 1,
        CommitteeMember.objects.count(),
    )
    assert client.get(f"/fr/committees/{c.pk}/").status_code == 200  # reading is allowed


def test_secretariat_of_another_province_gets_403(client, seeds):
    c = inezgane(seeds)
    other = agreement_in_province(code="10.261")
    client.force_login(user_with_role("sec", Membership.Role.SECRETARIAT, province=other.province))
    assert client.get(f"/fr/committees/{c.pk}/meetings/new/").status_code == 403
    # …and may not create a committee following an agreement outside its scope.
    response = client.post(
        "/fr/committees/new/",
        {"kind": "technical", "name_fr": "Hors champ", "agreement_references": "IAM-2022-SANTE-CADRE"},
    )
    assert response.status_code == 403
    assert not Committee.objects.filter(name_fr="Hors champ").exists()


def test_secretariat_in_scope_records_a_meeting_with_attendance(client, seeds):
    c = inezgane(seeds)
    client.force_login(user_with_role("sec", Membership.Role.SECRETARIAT, province=c.province))
    form = client.get(f"/fr/committees/{c.pk}/meetings/new/")
    assert form.status_code == 200
    members = list(c.members.order_by("pk"))
    ticked = [str(members[0].pk), str(members[2].pk)]
    refused = client.post(
        f"/fr/committees/{c.pk}/meetings/new/",
        {
            "held_on": (today() + timedelta(days=3)).isoformat(),
            "minutes": "Compte rendu",
            "attendees": ticked,
        },
    )
    assert refused.status_code == 200 and 'data-error-for="held_on"' in refused.content.decode()
    assert not c.meetings.exists()
    response = client.post(
        f"/fr/committees/{c.pk}/meetings/new/",
        {
            "held_on": "2025-03-12",
            "place": "Inezgane",
            "agenda": "1. Avancement",
            "minutes": "PV",
            "attendees": ticked,
        },
    )
    assert response.status_code == 302
    meeting = c.meetings.get()
    present = set(
        Attendance.objects.filter(meeting=meeting, present=True).values_list("organisation_id", flat=True)
    )
    assert present == {members[0].organisation_id, members[2].organisation_id}
    assert Attendance.objects.filter(meeting=meeting).count() == len(members)
    page = client.get(f"/fr/meetings/{meeting.pk}/").content.decode()
    assert "Inezgane" in page and "1. Avancement" in page
    for text in ("D1", "D2", "D3"):
        followup.decision_create(committee=c, meeting=meeting, text=text)
    from shiraka.followup.selectors import committee_detail

    [row] = committee_detail(c)["meetings"]
    assert (row.present, row.decision_count) == (2, 3)  # no join multiplication


def test_decisions_recorded_refused_and_status_changed(client, seeds):
    c = inezgane(seeds)
    client.force_login(seeds)
    meeting = followup.meeting_record(committee=c, held_on=date(2025, 3, 12), minutes="PV")
    a = c.agreements.get()
    p = project(a, status="planned")
    form = client.get(f"/fr/committees/{c.pk}/decisions/new/?meeting={meeting.pk}").content.decode()
    assert f'value="{meeting.pk}" selected' in form
    for label_for in ("id_text", "id_responsible", "id_due_on", "id_agreement", "id_project", "id_meeting"):
        assert f'for="{label_for}"' in form
    refused = client.post(
        f"/fr/committees/{c.pk}/decisions/new/",
        {"text": "Accélérer", "meeting": meeting.pk, "due_on": "2025-01-01"},
    )
    assert refused.status_code == 200 and 'data-error-for="due_on"' in refused.content.decode()
    assert not Decision.objects.filter(committee=c).exists()
    responsible = c.members.first().organisation
    other_project = project(agreement_in_province(), status="planned")
    outside = client.post(
        f"/fr/committees/{c.pk}/decisions/new/",
        {"text": "Hors convention", "agreement": a.pk, "project": other_project.pk},
    )
    assert outside.status_code == 200 and 'data-error-for="project"' in outside.content.decode()
    assert not Decision.objects.filter(committee=c).exists()
    response = client.post(
        f"/fr/committees/{c.pk}/decisions/new/",
        {
            "text": "Accélérer le transfert",
            "meeting": meeting.pk,
            "due_on": "2025-06-30",
            "responsible": responsible.pk,
            "agreement": a.pk,
            "project": p.pk,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(committee=c)
    assert (decision.responsible, decision.project, decision.agreement) == (responsible, p, a)
    page = client.get(f"/fr/decisions/{decision.pk}/")
    assert page.status_code == 200
    stale = client.post(
        f"/fr/decisions/{decision.pk}/",
        {"status": "done", "on": "2025-07-01", "version": decision.version + 5},
    )
    assert stale.status_code == 200 and "alert-danger" in stale.content.decode()
    decision.refresh_from_db()
    assert decision.status == "open"
    done = client.post(
        f"/fr/decisions/{decision.pk}/", {"status": "done", "on": "2025-07-01", "version": decision.version}
    )
    assert done.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done" and decision.closed_on == date(2025, 7, 1)
    backwards = client.post(
        f"/fr/decisions/{decision.pk}/", {"status": "open", "on": "2025-07-02", "version": decision.version}
    )
    assert backwards.status_code == 200
    decision.refresh_from_db()
    assert decision.status == "done"


def test_add_member_organisation_or_person(client, seeds):
    c = inezgane(seeds)
    client.force_login(seeds)
    count = c.members.count()
    empty = client.post(f"/fr/committees/{c.pk}/members/new/", {"role": "membre"})
    assert empty.status_code == 200 and c.members.count() == count
    duplicate = client.post(
        f"/fr/committees/{c.pk}/members/new/", {"organisation": c.members.first().organisation_id}
    )
    assert 'data-error-for="organisation"' in duplicate.content.decode() and c.members.count() == count
    response = client.post(
        f"/fr/committees/{c.pk}/members/new/", {"full_name_fr": "Samira Alaoui", "role": "secrétaire"}
    )
    assert response.status_code == 302 and c.members.count() == count + 1
    assert c.members.get(person__full_name_fr="Samira Alaoui").role == "secrétaire"


def test_committee_pages_query_counts_do_not_grow(client, seeds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = agreement_in_province()
    c = committee([a])
    client.force_login(seeds)
    # One of each record the committee's page lists and shows the history of (a history with rows
    # costs one query more than an empty one): then more of them must cost nothing more.
    meeting = followup.meeting_record(committee=c, held_on=date(2024, 12, 1), minutes="PV")
    followup.decision_create(committee=c, meeting=meeting, text="D", due_on=date(2025, 2, 1))
    partner_with_schedule(a, committed="1000.00")

    def queries(url):
        figures_checked()
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    small = queries(f"/fr/committees/{c.pk}/"), queries("/fr/committees/")
    for number in range(5):
        meeting = followup.meeting_record(committee=c, held_on=date(2025, 1, 1 + number), minutes="PV")
        followup.decision_create(committee=c, meeting=meeting, text=f"D{number}", due_on=date(2025, 2, 1))
        partner_with_schedule(a, committed="1000.00")
    assert (queries(f"/fr/committees/{c.pk}/"), queries("/fr/committees/")) == small
