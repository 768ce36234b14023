"""Heavy uploads stay bounded: ten 7,700 x 7,700 PNGs (a few hundred KB in all, 593 megapixels) used to
hold a worker about 16 s (1.6 s of decoding and re-encoding each); the pixels of one request are now
counted from the images' headers before any is decoded, and refused above 60 megapixels in all."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shiraka.projects.models import ProgressUpdate
from tests.accounts.world import ADMINISTRATOR, build_world, user_for
from tests.factories import page_text, url


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    data = io.BytesIO()
    Image.new("L", (7_700, 7_700), 255).save(data, "PNG")
    return data.getvalue()


def test_ten_huge_photos_are_refused_before_decoding(client, reference, huge_png):
    world = build_world()
    client.force_login(user_for(ADMINISTRATOR, world))
    photos = [SimpleUploadedFile(f"chantier-{n}.png", huge_png, content_type="image/png") for n in range(10)]
    before = ProgressUpdate.objects.count()
    started = time.perf_counter()
    response = client.post(
        url("progress_add", world.project.reference),
        {"reported_on": "2024-05-02", "physical_progress": "30", "note": "Gros œuvre", "photos": photos},
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert "Ces images comptent ensemble 592 mégapixels" in page_text(response)
    assert ProgressUpdate.objects.count() == before
    assert elapsed < 2, f"{elapsed:.2f} s"


def test_minutes_pdf_is_built_once_per_state_of_the_data(client, reference):
    from shiraka.followup.models import Meeting

    world = build_world()
    client.force_login(user_for(ADMINISTRATOR, world))
    meeting = world.meeting
    Meeting.objects.filter(pk=meeting.pk).update(minutes="Le comité a examiné l'avancement. " * 290)
    path = url("meeting_minutes_pdf", meeting.pk) + "?lang=fr"
    started = time.perf_counter()
    first = client.get(path)
    built = time.perf_counter() - started
    started = time.perf_counter()
    second = client.get(path)
    cached = time.perf_counter() - started
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF-")
    print(f"minutes PDF: built in {built:.2f} s, served from the cache in {cached:.3f} s")
    assert cached < 0.2 and cached < built / 5, (built, cached)
    # A change of the data (a save through the services or the ORM) gives a new PDF at once.
    meeting.refresh_from_db()
    meeting.place = "Salle du conseil provincial"
    meeting.save()
    assert client.get(path).content != first.content
