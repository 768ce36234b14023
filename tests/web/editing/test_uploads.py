"""shiraka.core.uploads: size first, real content by magic bytes, images decoded and re-encoded,
office documents opened as ZIP only after their uncompressed size was checked (DESIGN.md §7)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from shiraka.core.uploads import check_upload, safe_upload
from tests.factories import pdf_bytes, png_bytes

ANY = {"pdf", "jpeg", "png", "xlsx", "docx"}


def upload(content: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def jpeg_bytes() -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (10, 6), (0, 90, 60)).save(output, format="JPEG")
    return output.getvalue()


def office_bytes(main_part: str, *, extra: dict | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                f'<Override PartName="/main.xml" ContentType="{main_part}"/></Types>'
            ),
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return output.getvalue()


XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def code_of(callable_) -> str:
    with pytest.raises(ValidationError) as caught:
        callable_()
    return caught.value.code


def test_real_files_are_recognised_by_their_content():
    assert check_upload(upload(pdf_bytes(), "a.png"), allowed=ANY) == "pdf"
    assert check_upload(upload(png_bytes(), "a.pdf"), allowed=ANY) == "png"
    assert check_upload(upload(jpeg_bytes()), allowed=ANY) == "jpeg"
    assert check_upload(upload(office_bytes(XLSX_MAIN)), allowed=ANY) == "xlsx"
    assert check_upload(upload(office_bytes(DOCX_MAIN)), allowed=ANY) == "docx"


def test_types_outside_the_allowed_set_are_refused():
    assert code_of(lambda: check_upload(upload(pdf_bytes()), allowed={"png"})) == "type_not_allowed"
    assert code_of(lambda: check_upload(upload(b"<html></html>"), allowed=ANY)) == "type_not_allowed"
    assert (
        code_of(lambda: check_upload(upload(office_bytes(XLSX_MAIN)), allowed={"pdf"})) == "type_not_allowed"
    )
    assert (
        code_of(lambda: check_upload(upload(office_bytes(DOCX_MAIN)), allowed={"xlsx"})) == "type_not_allowed"
    )
    assert code_of(lambda: check_upload(upload(b""), allowed=ANY)) == "file_empty"


def test_forged_images_are_refused():
    assert (
        code_of(lambda: check_upload(upload(b"\x89PNG\r\n\x1a\n<html>x</html>"), allowed=ANY))
        == "invalid_image"
    )
    assert code_of(lambda: check_upload(upload(b"\xff\xd8\xff<script>"), allowed=ANY)) == "invalid_image"
    truncated = png_bytes((64, 64))[:60]
    assert code_of(lambda: check_upload(upload(truncated), allowed=ANY)) == "invalid_image"


def test_image_with_html_appended_is_neutralised_by_re_encoding():
    polluted = png_bytes() + b"<html><script>alert(1)</script></html>"
    stored = safe_upload(upload(polluted, "evil.html"), allowed={"png"})
    content = stored.read()
    assert content.startswith(b"\x89PNG") and b"<script>" not in content
    assert stored.name.endswith(".png") and "evil" not in stored.name
    jpeg = safe_upload(upload(jpeg_bytes() + b"<html>", "p.jpg"), allowed={"jpeg"}).read()
    assert jpeg.startswith(b"\xff\xd8\xff") and b"<html>" not in jpeg


@override_settings(SHIRAKA_MAX_UPLOAD_BYTES=1024)
def test_size_is_checked_before_anything_else():
    assert code_of(lambda: check_upload(upload(b"%PDF-" + b"0" * 2000), allowed=ANY)) == "file_too_large"


def test_zip_bomb_is_refused_from_its_directory():
    bomb = office_bytes(XLSX_MAIN, extra={"xl/huge.xml": b"0" * (201 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # small on the wire
    assert code_of(lambda: check_upload(upload(bomb), allowed={"xlsx"})) == "zip_too_large"


def test_zip_without_content_types_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert (
        code_of(lambda: check_upload(upload(output.getvalue()), allowed={"xlsx", "docx"}))
        == "invalid_document"
    )


def test_pixel_bomb_is_refused():
    from PIL import Image

    output = io.BytesIO()
    Image.new("1", (10_000, 7_000)).save(output, format="PNG")  # 70 megapixels, a few kilobytes
    assert code_of(lambda: check_upload(upload(output.getvalue()), allowed={"png"})) == "image_too_large"


def test_amounts_are_typed_as_plain_numbers_with_a_dot_or_a_comma():
    from decimal import Decimal

    from shiraka.web.editing.forms.agreements import ContributionForm

    for typed, expected in (("1500000.00", "1500000.00"), ("1 500 000,5", "1500000.50"), ("12", "12.00")):
        form = ContributionForm({"due_on": "2025-01-01", "amount": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal(expected)
    for typed in ("1.234", "-5", "abc", "1e3x", "9" * 16):
        assert not ContributionForm({"due_on": "2025-01-01", "amount": typed}).is_valid(), typed
