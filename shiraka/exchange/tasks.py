"""Background jobs (django-tasks; `shiraka db_worker` runs them with the database backend)."""

from django_tasks import task

from .jobs import job_run


@task()
def run_import(job_id: str, write: bool) -> str:
    return job_run(job_id, write=write).state
