"""The agenda a meeting starts from, and the minutes as PDF in Arabic and French."""

import shutil
import subprocess
from datetime import date

import pytest
from django.utils import translation

from shiraka.accounts.models import Membership
from shiraka.followup import services as followup
from shiraka.followup.models import Committee
from shiraka.followup.pdf import minutes_html
from shiraka.followup.selectors import agenda_build
from shiraka.projects import services as projects
from tests.factories import (
    TODAY,
    agreement_in_province,
    committee,
    partner_with_schedule,
    project,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def troubled_committee():
    a = agreement_in_province()
    late = project(a)
    projects.milestone_plan(project=late, kind="works_order", planned_on=date(2025, 3, 1))
    healthy = project(a)
    projects.milestone_plan(
        project=healthy, kind="works_order", planned_on=date(2025, 3, 1), achieved_on=date(2025, 3, 2)
    )
    projects.progress_record(project=healthy, reported_on=date(2025, 6, 1), physical_progress=40)
    debtor = partner_with_schedule(a, due=[(date(2024, 12, 15), "100000.00")], name="Conseil régional")
    payer = partner_with_schedule(
        a,
        due=[(date(2024, 12, 15), "100000.00")],
        transfers=[(date(2024, 12, 1), "100000.00")],
        name="Commune payeuse",
    )
    c = committee([a], members=[(debtor.organisation, None, ""), (payer.organisation, None, "")])
    meeting = followup.meeting_record(committee=c, held_on=date(2025, 1, 20), minutes="PV")
    followup.decision_create(
        committee=c, meeting=meeting, text="Mobiliser le foncier", due_on=date(2025, 4, 1)
    )
    return c, late, healthy, debtor, payer


def test_agenda_proposes_the_late_project_the_partner_in_arrears_and_overdue_decisions(reference):
    c, late, healthy, debtor, payer = troubled_committee()
    with translation.override("en"):
        agenda = agenda_build(c, today=TODAY)
        text = agenda.text
    about = {(alert.kind, alert.object_id) for alert in agenda.alerts}
    assert ("milestone_late", late.pk) in about
    assert ("contribution_overdue", debtor.pk) in about
    assert ("contribution_overdue", payer.pk) not in about
    assert all(alert.object_id != healthy.pk for alert in agenda.alerts if alert.object_type == "project")
    assert "Projet 1" in text and "Conseil régional" in text and "Commune payeuse" not in text
    assert "Mobiliser le foncier" in text
    assert text.startswith("1. Approval of the minutes of the meeting of 2025-01-20")
    assert "Any other business" in text.splitlines()[-1]


def test_new_meeting_form_is_prefilled_with_the_agenda(client, reference):
    c, *_ = troubled_committee()
    client.force_login(user_with_role("admin", Membership.Role.ADMINISTRATOR))
    page = client.get(f"/en/committees/{c.pk}/meetings/new/").content.decode()
    assert "Partner contributions in arrears" in page and "Conseil régional" in page
    assert 'name="agenda"' in page and 'for="id_agenda"' in page


@pytest.fixture
def seeded_meeting(seeds):
    c = Committee.objects.get(kind="supervision", province__code="09.273")
    members = list(c.members.all())
    meeting = followup.meeting_record(
        committee=c,
        held_on=date(2025, 3, 12),
        place="مقر عمالة إنزكان أيت ملول",
        agenda="1. تتبع تقدم الأشغال",
        minutes="ترأس السيد العامل اجتماع اللجنة الإقليمية للإشراف و التتبع.",
        attendees=[(m.organisation, m.person, True) for m in members],
    )
    followup.decision_create(
        committee=c,
        meeting=meeting,
        text="تسريع تحويل المساهمات",
        responsible=members[0].organisation,
        due_on=date(2025, 6, 30),
    )
    return meeting


def test_minutes_html_is_right_to_left_in_arabic_and_left_to_right_in_french(seeded_meeting):
    arabic = minutes_html(seeded_meeting, language="ar")
    assert (
        '<html lang="ar" dir="rtl">' in arabic and '"Noto Naskh Arabic", "Noto Sans Arabic", serif' in arabic
    )
    assert (
        seeded_meeting.committee.name_ar in arabic and "2025-06-30" in arabic and "counter(pages)" in arabic
    )
    french = minutes_html(seeded_meeting, language="fr")
    assert '<html lang="fr" dir="ltr">' in french
    assert seeded_meeting.committee.name_fr.replace("'", "&#x27;") in french
    assert 'dir="rtl">1. تتبع تقدم الأشغال' in french  # Arabic text keeps its direction in a French page


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_minutes_pdf_view(client, seeded_meeting, language, tmp_path):
    url = f"/fr/meetings/{seeded_meeting.pk}/minutes.pdf?lang={language}"
    assert client.get(url).status_code == 302  # login required
    client.force_login(user_with_role("viewer", Membership.Role.VIEWER))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and f"-{language}.pdf" in response["Content-Disposition"]
    )
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "minutes.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        name = seeded_meeting.committee.name_ar if language == "ar" else seeded_meeting.committee.name_fr
        flat = " ".join(text.split())
        assert " ".join(name.split()[:4]) in flat
        assert "2025-06-30" in flat


def test_minutes_pdf_language_from_the_url_prefix(client, seeded_meeting):
    client.force_login(user_with_role("viewer", Membership.Role.VIEWER))
    response = client.get(f"/ar/meetings/{seeded_meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and "-ar.pdf" in response["Content-Disposition"]
    response = client.get(f"/fr/meetings/{seeded_meeting.pk}/minutes.pdf")
    assert "-fr.pdf" in response["Content-Disposition"]


def test_the_french_minutes_say_which_texts_exist_in_arabic_only(seeded_meeting):
    french = minutes_html(seeded_meeting, language="fr")
    # The agenda, the minutes and the decision were written in Arabic: the French document says so.
    assert french.count("Consigné en arabe uniquement.") == 3
    arabic = minutes_html(seeded_meeting, language="ar")
    assert "language-note" not in arabic.split("</style>")[1]


def test_a_minutes_row_is_never_cut_by_a_page_break(seeded_meeting):
    html = minutes_html(seeded_meeting, language="ar")
    assert "tr { break-inside: avoid; page-break-inside: avoid; }" in html
