"""Exports of the list pages with their current filters: `?format=xlsx|csv|json` plus the page's
own query string. CSV and JSON stream as they are written; XLSX is written in write-only mode to a
temporary file, then sent. The records are those the reader may see (`shiraka.accounts.access`)."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shiraka.accounts.access import is_member
from shiraka.core.text import reader_language
from shiraka.exchange.exports import export_sheets
from shiraka.exchange.selection import export_source
from shiraka.exchange.writers import csv_chunks, json_chunks, write_xlsx
from shiraka.organisations.models import Organisation

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
LIST_KINDS = ("agreements", "projects")


def _respond(request, kind: str, source, name: str):
    format_ = request.GET.get("format", "xlsx")
    if format_ not in FORMATS:
        raise Http404
    language = reader_language()
    sheets = export_sheets(
        kind, source, language=language, members=is_member(request.user), sort=request.GET.get("sort", "")
    )
    filename = f"shiraka-{name}-{timezone.localdate():%Y-%m-%d}.{format_}"
    if format_ == "xlsx":
        target = tempfile.TemporaryFile()
        write_xlsx(sheets, target, language=language)
        target.seek(0)
        return FileResponse(target, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"])
    sheet, rows = sheets[0]
    writer = csv_chunks if format_ == "csv" else json_chunks
    response = StreamingHttpResponse(writer(sheet, rows, language=language), content_type=FORMATS[format_])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_list(request, kind: str):
    if kind == "alerts":
        return _alerts(request)
    if kind not in LIST_KINDS:
        raise Http404
    return _respond(request, kind, export_source(kind, request.user, request.GET), kind)


@login_required
def _alerts(request):
    return _respond(request, "alerts", export_source("alerts", request.user, request.GET), "alerts")


def export_transfers(request, reference: str):
    try:
        transfers = export_source("transfers", request.user, {"agreement": reference})
    except LookupError:
        raise Http404 from None
    return _respond(request, "transfers", transfers, f"transfers-{reference}")


def export_commitments(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    source = export_source("commitments", request.user, {"organisation": organisation.pk})
    return _respond(request, "commitments", source, f"commitments-{organisation.pk}")
