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
