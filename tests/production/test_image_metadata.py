"""Re-encoded uploads keep no metadata: a JPEG comment or EXIF block, a PNG text chunk (an author's
name, a place, the camera) does not survive into the stored file."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from shiraka.core.uploads import IMAGES, safe_upload

SECRET = b"Dr Secret, 31.6295N 7.9811W"
EXIF = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"


def jpeg_with_comment() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(data, "JPEG", comment=SECRET, exif=EXIF)
    return data.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET.decode())
    data = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(data, "PNG", pnginfo=info)
    return data.getvalue()


def test_no_metadata_survives_re_encoding():
    for name, content in (("photo.jpg", jpeg_with_comment()), ("photo.png", png_with_text())):
        assert SECRET in content
        stored = safe_upload(SimpleUploadedFile(name, content), allowed=IMAGES).read()
        assert SECRET not in stored, name
        with Image.open(io.BytesIO(stored)) as image:
            assert image.size == (64, 48)
            assert not {"comment", "exif", "icc_profile", "Author"} & set(image.info), image.info
