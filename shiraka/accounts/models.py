from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shiraka.agreements.models import Programme
from shiraka.core.models import optional_link
from shiraka.organisations.models import Organisation
from shiraka.territory.models import Province, Region


class Membership(models.Model):
    """A user's organisation and role; secretariats are scoped to a territory or a programme."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("administrator")
        SECRETARIAT = "secretariat", _("secretariat")
        FOCAL_POINT = "focal_point", _("partner focal point")
        PROJECT_EDITOR = "project_editor", _("project editor")
        VIEWER = "viewer", _("viewer")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = optional_link(Organisation, _("organisation"), related_name="members")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    region = optional_link(Region, _("region"))
    province = optional_link(Province, _("province or prefecture"))
    programme = optional_link(Programme, _("programme"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal key for the REST API: it acts with its owner's role and scope. Only a digest is
    kept; the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown in the owner's list so they can tell their tokens apart.
    prefix = models.CharField(_("begins with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
