"""Checks on uploaded files (transfer proofs, progress photos, office documents).

Django's upload settings do not limit a file's size, a file's name and declared type say nothing
about its content, and a PNG header followed by HTML passes a quick Pillow check (DESIGN.md §7).
So every upload goes through `check_upload`: size first, then the real content by its magic bytes,
then a structural check (images fully decoded by Pillow; XLSX/DOCX opened as ZIP archives only
after their uncompressed size was checked). `safe_upload` also re-encodes images, which drops
anything appended to or hidden in them, and gives every stored file a fresh name whose extension
follows the content, never the name the browser sent.
"""

import io
import logging
import threading
import uuid
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

PDF, JPEG, PNG, XLSX, DOCX = "pdf", "jpeg", "png", "xlsx", "docx"
IMAGES = {JPEG, PNG}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", XLSX: "xlsx", DOCX: "docx"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", XLSX: "Excel (XLSX)", DOCX: "Word (DOCX)"}
# The main part each office format declares in [Content_Types].xml.
OFFICE_MAIN_PARTS = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photo; beyond that Pillow would allocate gigabytes
# Decoding and re-encoding cost about 1.6 s per 60 megapixels on a 2-core server: ten 7,700 x 7,700
# PNGs (73 KB in all) held a worker 15 s. One request may bring this many pixels in all.
MAX_REQUEST_PIXELS = 60_000_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _refuse(message, code: str, **params):
    # A security event: the web layer's log filter adds who sent it and from where.
    logging.getLogger("shiraka.security").warning("upload refused: %s", code)
    raise ValidationError(message, code=code, params=params or None)


def max_upload_bytes() -> int:
    return getattr(settings, "SHIRAKA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def _read_head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _allowed_list(allowed: set[str]) -> str:
    return ", ".join(LABELS[kind] for kind in sorted(allowed))


_PILLOW_FLAGS = threading.Lock()


def _check_image(file, kind: str) -> None:
    from PIL import ImageFile

    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is imported;
    # a truncated or forged upload must still fail here.
    with _PILLOW_FLAGS:
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            _decode_image(file, kind)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _decode_image(file, kind: str) -> None:
    from PIL import Image

    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                # Phones write multi-picture JPEGs, which Pillow reads as "MPO".
                if {"mpo": JPEG}.get((image.format or "").lower(), (image.format or "").lower()) != kind:
                    raise ValueError("format mismatch")
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    _refuse(
                        _("This image is too large (%(pixels)s megapixels)."),
                        "image_too_large",
                        pixels=width * height // 1_000_000,
                    )
                image.load()  # decode every pixel: a truncated or forged image fails here
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of errors on forged files
        _refuse(_("This file is not a valid %(kind)s image."), "invalid_image", kind=LABELS[kind])
    finally:
        file.seek(0)


def _check_office(file, allowed: set[str]) -> str:
    from defusedxml import ElementTree

    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                _refuse(_("This document holds too many parts."), "zip_too_many_members")
            # The uncompressed size is read from the archive's directory before any part is opened.
            if sum(member.file_size for member in members) > MAX_ZIP_UNCOMPRESSED:
                _refuse(_("This document is too large once uncompressed."), "zip_too_large")
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                info = None
            if info is None or info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise ValueError("no content types")
            root = ElementTree.fromstring(archive.read(info))
    except ValidationError:
        raise
    except Exception:
        _refuse(
            _("This file is not a valid document of an accepted type (%(allowed)s)."),
            "invalid_document",
            allowed=_allowed_list(allowed),
        )
    finally:
        file.seek(0)
    declared = {element.get("ContentType", "") for element in root.iter() if element.get("ContentType")}
    for kind in sorted(allowed & set(OFFICE_MAIN_PARTS)):
        if OFFICE_MAIN_PARTS[kind] in declared:
            return kind
    _refuse(
        _("This file type is not accepted here. Accepted: %(allowed)s."),
        "type_not_allowed",
        allowed=_allowed_list(allowed),
    )
    raise AssertionError("unreachable")


def image_pixels(file) -> int:
    """Width x height read from the image's header only (no pixel decoded); 0 when unreadable."""
    from PIL import Image

    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            return width * height
    except Exception:  # not an image: check_upload refuses it with its own message
        return 0
    finally:
        file.seek(0)


def check_pixel_budget(files) -> None:
    """Refuse, before any pixel is decoded, images that hold more pixels together than one request
    may decode."""
    total = sum(image_pixels(file) for file in files)
    if total > MAX_REQUEST_PIXELS:
        _refuse(
            _("These images hold %(pixels)s megapixels together; send at most %(limit)s at a time."),
            "too_many_pixels",
            pixels=total // 1_000_000,
            limit=MAX_REQUEST_PIXELS // 1_000_000,
        )


def check_upload(file, *, allowed: set[str]) -> str:
    """Refuse the file unless it is small enough and really one of `allowed` ("pdf", "jpeg", "png",
    "xlsx", "docx"); return the kind its content shows. Raises a translated ValidationError."""
    unknown = set(allowed) - set(EXTENSIONS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    limit = max_upload_bytes()
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    if size > limit:
        _refuse(
            _("This file is %(size)s MB; the limit is %(limit)s MB."),
            "file_too_large",
            size=f"{size / 1024 / 1024:.1f}",
            limit=limit // (1024 * 1024),
        )
    if size == 0:
        _refuse(_("This file is empty."), "file_empty")
    kind = _sniff(_read_head(file))
    if kind == "zip" and allowed & set(OFFICE_MAIN_PARTS):
        return _check_office(file, allowed)
    if kind not in allowed:
        _refuse(
            _("This file type is not accepted here. Accepted: %(allowed)s."),
            "type_not_allowed",
            allowed=_allowed_list(allowed),
        )
    if kind in IMAGES:
        _check_image(file, kind)
    return kind


def reencode_image(file, kind: str) -> bytes:
    """The image drawn again from its pixels: metadata, appended bytes and hidden chunks are gone.
    The camera's orientation is applied first so the photo stays upright."""
    from PIL import Image, ImageOps

    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        # Pillow writes back what it read into `info` (a JPEG comment, an ICC profile, EXIF): none of it.
        image.info = {}
        output = io.BytesIO()
        if kind == JPEG:
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(output, format="JPEG", quality=88, optimize=True)
        else:
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            image.save(output, format="PNG", optimize=True)
    file.seek(0)
    return output.getvalue()


def safe_upload(file, *, allowed: set[str]) -> ContentFile:
    """`check_upload`, then a file safe to store: images re-encoded, a random name whose extension
    follows the content. Keeps the original name on `.original_name` for display."""
    kind = check_upload(file, allowed=allowed)
    if kind in IMAGES:
        content = reencode_image(file, kind)
    else:
        file.seek(0)
        content = file.read()
        file.seek(0)
    stored = ContentFile(content, name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}")
    stored.kind = kind
    stored.content_type = CONTENT_TYPES[kind]
    stored.original_name = getattr(file, "name", "") or ""
    return stored
