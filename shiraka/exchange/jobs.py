"""An import as the pages run it: the upload is kept in the data folder, checked (a dry run whose
report is kept on the job), then written on confirmation. Small files run in the request; large ones
in the background worker (django-tasks, `shiraka db_worker`), with their progress in a small file
beside the upload, which the page polls: the import's transaction holds the database meanwhile."""

import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shiraka.accounts.access import role_of
from shiraka.accounts.models import Membership
from shiraka.core.uploads import max_upload_bytes

from .imports import ImportReport, RowError, import_workbook
from .models import ImportJob

logger = logging.getLogger(__name__)
State = ImportJob.State
Role = Membership.Role
# Who meets the import page: whoever may write something. Each row is then authorised by
# shiraka.accounts.access like the form that writes the same record.
IMPORTERS = {Role.ADMINISTRATOR, Role.SECRETARIAT, Role.FOCAL_POINT, Role.PROJECT_EDITOR}


def may_import(user) -> bool:
    return role_of(user) in IMPORTERS


def background_bytes() -> int:
    """Files larger than this (about 3,000 rows) are imported by the worker, not in the request."""
    return getattr(settings, "SHIRAKA_IMPORT_BACKGROUND_BYTES", 200_000)


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_create(*, user, upload, language: str) -> ImportJob:
    """Keep the uploaded file and open its job. ValidationError: too large or empty."""
    size = upload.size
    if size > max_upload_bytes():
        raise ValidationError(
            _("This file is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": f"{size / 1024 / 1024:.1f}", "limit": max_upload_bytes() // (1024 * 1024)},
        )
    name = Path(upload.name or "import").name[:200]
    suffix = ".csv" if name.lower().endswith(".csv") else ".xlsx"
    job = ImportJob(user=user, file_name=name, language=language, background=size > background_bytes())
    job.stored_name = f"{job.pk}{suffix}"
    with (_folder() / job.stored_name).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    job.save()
    return job


def _progress_path(job: ImportJob) -> Path:
    return _folder() / f"{job.pk}.progress"


def progress_of(job: ImportJob) -> tuple[int, int]:
    try:
        done, total = _progress_path(job).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return 0, 0


def job_run(job_id, *, write: bool) -> ImportJob:
    """Check (write=False) or write the job's file as its user; the report is kept on the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.state = State.WRITING if write else State.CHECKING
    job.save(update_fields=["state"])
    progress = _progress_path(job)

    def step(done: int, total: int) -> None:
        progress.write_text(f"{done} {total}")

    try:
        with translation.override(job.language), (_folder() / job.stored_name).open("rb") as file:
            report = import_workbook(file, job.user, dry_run=not write, progress=step)
    except Exception:  # a bug must not leave the page waiting forever: the job says it failed
        logger.exception("import %s failed", job.pk)
        with translation.override(job.language):
            report = ImportReport(errors=[RowError("", 0, "", _("The import failed: nothing was written."))])
        job.state = State.FAILED
    else:
        job.state = (
            (State.DONE if report.written else State.REFUSED)
            if write
            else (State.REFUSED if report.errors else State.CHECKED)
        )
    job.report = report.to_dict()
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "report", "finished_at"])
    if job.state != State.CHECKED:
        _discard(job)
    return job


def _discard(job: ImportJob) -> None:
    for path in (_folder() / job.stored_name, _progress_path(job)):
        path.unlink(missing_ok=True)


def job_start(job: ImportJob, *, write: bool) -> ImportJob:
    """Run now, or hand the job to the worker when its file is large. A write is claimed first, so
    two confirmations of one check (a double click, two tabs) write once."""
    if write and not ImportJob.objects.filter(pk=job.pk, state=State.CHECKED).update(state=State.QUEUED):
        job.refresh_from_db()
        return job
    if not job.background:
        return job_run(job.pk, write=write)
    from .tasks import run_import

    job.state = State.QUEUED
    job.save(update_fields=["state"])
    _progress_path(job).unlink(missing_ok=True)
    run_import.enqueue(str(job.pk), write)
    job.refresh_from_db()
    return job
