"""Helpers of the edit-page tests, also used by the role matrix (tests/accounts): signed-in members,
URLs and page text in a given language, and small valid PNG and PDF files."""

import html
import io

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from shiraka.accounts.models import Membership


def member(role: str, *, organisation=None, region=None, province=None, username: str | None = None):
    user = get_user_model().objects.create_user(
        username or f"{role}-{get_user_model().objects.count()}", password="a-long-test-password"
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=role, region=region, province=province
    )
    return user


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def url(name: str, *args, language: str = "fr") -> str:
    with translation.override(language):
        return reverse(f"web:{name}", args=args)


def message(text: str, language: str, **params) -> str:
    """A message as the page shows it in `language`, whatever the state of the catalogues."""
    with translation.override(language):
        translated = translation.gettext(text)
    return translated % params if params else translated


def png_bytes(size=(8, 8), colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
