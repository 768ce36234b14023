import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from shiraka.accounts.models import Membership
from shiraka.followup.models import Committee, Meeting
from shiraka.followup.services import meeting_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(seeds):
    committee = Committee.objects.get(kind="supervision", province__code="09.273")
    return meeting_record(committee=committee, held_on="2024-03-01", place="مقر العمالة", agenda="1. تتبع")


def pdf_file(name="محضر.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def test_secretariat_writes_the_minutes_and_attaches_the_signed_scan(client, seeds, meeting):
    client.force_login(seeds)
    response = client.post(
        f"/fr/meetings/{meeting.pk}/minutes/",
        {
            "version": meeting.version,
            "place": meeting.place,
            "agenda": meeting.agenda,
            "minutes": "صادقت اللجنة على برمجة المشاريع.",
            "minutes_scan": pdf_file(),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("صادقت") and meeting.minutes_scan.name.endswith(".pdf")
    download = client.get(f"/fr/files/minutes/{meeting.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")


def test_a_fake_scan_is_refused_and_nothing_changes(client, seeds, meeting):
    client.force_login(seeds)
    fake = SimpleUploadedFile("scan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(
        f"/fr/meetings/{meeting.pk}/minutes/",
        {"version": meeting.version, "place": "", "agenda": "", "minutes": "Texte", "minutes_scan": fake},
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.minutes_scan


def test_stale_version_is_refused(client, seeds, meeting):
    client.force_login(seeds)
    data = {"version": meeting.version, "place": "", "agenda": "", "minutes": "Première version"}
    assert client.post(f"/fr/meetings/{meeting.pk}/minutes/", data).status_code == 302
    data["minutes"] = "Version écrasée"
    response = client.post(f"/fr/meetings/{meeting.pk}/minutes/", data)
    assert response.status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Première version"


def test_viewer_cannot_edit_and_visitors_cannot_download(client, seeds, meeting):
    viewer = get_user_model().objects.create_user("viewer", password="x-long-password")
    Membership.objects.create(user=viewer, role=Membership.Role.VIEWER)
    client.force_login(viewer)
    assert (
        client.post(
            f"/fr/meetings/{meeting.pk}/minutes/", {"version": meeting.version, "minutes": "x"}
        ).status_code
        == 403
    )
    client.logout()
    assert client.get(f"/fr/files/minutes/{meeting.pk}/").status_code == 302
