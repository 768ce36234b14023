"""The import pages: the templates to download, the upload, the check's report (what each row would
create or change, every refused row with its sheet, line and column), the confirmation. Large files
are checked and written by the worker while the page shows their progress (htmx polling)."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shiraka.core.text import reader_language
from shiraka.exchange.columns import TEMPLATE_LABELS, TEMPLATES
from shiraka.exchange.imports import ImportReport
from shiraka.exchange.jobs import job_create, job_start, may_import, progress_of
from shiraka.exchange.models import ImportJob
from shiraka.exchange.templates import write_template

from ..kit.views import is_htmx
from .forms import ImportUploadForm

SHOWN_ROWS = 500  # rows of the report listed on the page; the counts cover them all
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer(request):
    if not may_import(request.user):
        raise PermissionDenied


@login_required
def import_start(request):
    _importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = job_create(user=request.user, upload=form.cleaned_data["file"], language=reader_language())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            job_start(job, write=False)
            return redirect("web:import_job", job_id=job.pk)
    templates = [(kind, TEMPLATE_LABELS[kind]) for kind in TEMPLATES]
    jobs = ImportJob.objects.filter(user=request.user)[:10]
    return render(request, "web/exchange/start.html", {"form": form, "templates": templates, "jobs": jobs})


@login_required
def import_template(request, kind: str):
    _importer(request)
    if kind not in TEMPLATES:
        raise Http404
    target = tempfile.TemporaryFile()
    write_template(kind, target, language=reader_language())
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=f"shiraka-{kind}.xlsx", content_type=XLSX_TYPE)


def _own_job(request, job_id) -> ImportJob:
    _importer(request)
    return get_object_or_404(ImportJob, pk=job_id, user=request.user)


def _job_context(job: ImportJob) -> dict:
    report = ImportReport.from_dict(job.report) if job.report else ImportReport()
    done, total = progress_of(job)
    return {
        "job": job,
        "report": report,
        "counts": report.counts(),
        "outcomes": [o for o in report.outcomes if o.action != "unchanged"][:SHOWN_ROWS],
        "errors": report.errors[:SHOWN_ROWS],
        "more_errors": max(len(report.errors) - SHOWN_ROWS, 0),
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
        "can_confirm": job.state == ImportJob.State.CHECKED and not report.errors,
    }


@login_required
def import_job(request, job_id):
    job = _own_job(request, job_id)
    return render(request, "web/exchange/job.html", _job_context(job))


@login_required
def import_progress(request, job_id):
    job = _own_job(request, job_id)
    if not job.running and is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"  # the page shows the report once the job is over
        return response
    return render(request, "web/exchange/_progress.html", _job_context(job))


@login_required
@require_POST
def import_confirm(request, job_id):
    job = _own_job(request, job_id)
    if job.state == ImportJob.State.CHECKED and not job.report.get("errors"):
        job_start(job, write=True)
    return redirect("web:import_job", job_id=job.pk)
