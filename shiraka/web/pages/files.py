"""Uploaded files leave the server only through these views: permission checked on the object,
sent as attachments with `nosniff`, never from a public folder."""

import mimetypes
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from shiraka.accounts.access import access_minutes_scan, access_progress_photo, access_transfer_proof


def _send(field_file):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = PurePath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def progress_photo(request, pk: int):
    return _send(access_progress_photo(request.user, pk).image)


@login_required
def transfer_proof(request, pk: int):
    return _send(access_transfer_proof(request.user, pk).proof)


@login_required
def meeting_scan(request, pk: int):
    return _send(access_minutes_scan(request.user, pk).minutes_scan)
