"""An import as the pages follow it: uploaded, checked (a dry run whose report is kept), then written
or refused. The file waits in the data folder between the check and the confirmation; a job's
progress lives in a small file beside it, because the import's transaction holds the database."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked")
        WRITING = "writing", _("being written")
        DONE = "done", _("written")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    file_name = models.CharField(_("file"), max_length=255)
    stored_name = models.CharField(max_length=255)
    language = models.CharField(max_length=8, default="ar")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    background = models.BooleanField(default=False)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def running(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.CHECKING, self.State.WRITING}
