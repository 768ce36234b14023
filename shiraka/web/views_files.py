"""Uploaded files leave the server only through these views: permission checked on the object,
sent as attachments with `nosniff`, never from a public folder."""

import mimetypes
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from shiraka.agreements.models import Transfer
from shiraka.projects.models import ProgressPhoto
from shiraka.projects.selectors import projects_visible_to


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
    """Site photos follow their project: public when its agreement is published."""
    photo = get_object_or_404(ProgressPhoto.objects.select_related("update__project"), pk=pk)
    if not projects_visible_to(request.user).filter(pk=photo.update.project_id).exists():
        raise Http404
    return _send(photo.image)


@login_required
def transfer_proof(request, pk: int):
    """Proofs of transfer are internal documents: signed-in users only."""
    transfer = get_object_or_404(Transfer, pk=pk)
    return _send(transfer.proof)


@login_required
def meeting_scan(request, pk: int):
    """The signed minutes are internal documents: signed-in users only, never the public portal."""
    from shiraka.followup.models import Meeting

    meeting = get_object_or_404(Meeting, pk=pk)
    return _send(meeting.minutes_scan)
