from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shiraka.core.formatting import format_amount
from shiraka.core.models import Cancellable, ReferencedTitle, TrackedModel, author_link, optional_link
from shiraka.core.money import MoneyField
from shiraka.organisations.models import Organisation, Person
from shiraka.territory.models import LocalisedName, Province, Region, name_fields


class Programme(LocalisedName, TrackedModel):
    class Kind(models.TextChoices):
        REGIONAL_DEVELOPMENT = "regional_development", _("regional development programme")
        STATE_REGION_CONTRACT = "state_region_contract", _("State–Region contract")
        INDH_PHASE = "indh_phase", _("INDH phase")
        NATIONAL = "national", _("national programme")
        PROVINCIAL = "provincial", _("provincial or prefectural programme")
        OTHER = "other", _("other programme")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_ar, name_fr = name_fields(255, "ar", "fr")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = optional_link(Region, _("region"))
    province = optional_link(Province, _("province"))
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class Agreement(ReferencedTitle, TrackedModel):
    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("framework agreement")
        SPECIFIC = "specific", _("specific agreement")
        PARTNERSHIP = "partnership", _("partnership agreement")
        AMENDMENT = "amendment", _("amendment")
        MEMORANDUM = "memorandum", _("memorandum of understanding")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        IN_EXECUTION = "in_execution", _("in execution")
        COMPLETED = "completed", _("completed")
        SUSPENDED = "suspended", _("suspended")
        CANCELLED = "cancelled", _("cancelled")

    # What the record's page shows in its history besides its own changes (core.history).
    history_related = (
        ("agreements.Partnership", "agreement"),
        ("agreements.Signatory", "agreement"),
        ("agreements.SigningAttendee", "agreement"),
        ("agreements.ScheduledContribution", "partnership__agreement"),
        ("agreements.Transfer", "partnership__agreement"),
    )

    reference = models.CharField(_("reference"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = optional_link(
        "self",
        _("parent agreement"),
        related_name="children",
        help_text=_(
            "The framework agreement of a specific agreement, or the agreement an amendment changes."
        ),
    )
    title_ar = models.CharField(_("title (Arabic)"), max_length=500, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    object_ar = models.TextField(_("object and objectives (Arabic)"), blank=True)
    object_fr = models.TextField(_("object and objectives (French)"), blank=True)
    programme = optional_link(Programme, _("programme"), related_name="agreements")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_place = models.CharField(_("place of signing"), max_length=255, blank=True)
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    total_amount = MoneyField(_("total amount (MAD)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    region = optional_link(Region, _("region"), related_name="agreements")
    province = optional_link(
        Province,
        _("province or prefecture"),
        related_name="agreements",
        help_text=_("Leave empty for an agreement covering a whole region."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    source_text = models.TextField(_("source text"), blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    # Normalised reference, titles and territory names, so search ignores diacritics and hamza forms.
    search_text = models.TextField(default="", blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["source_text", "search_text"])

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["signed_on"]),
            models.Index(fields=["region", "province"]),
        ]

    def build_search_text(self) -> str:
        from shiraka.core.text import search_document

        places = [
            getattr(self.region, "name_ar", ""),
            getattr(self.region, "name_fr", ""),
            getattr(self.province, "name_ar", ""),
            getattr(self.province, "name_fr", ""),
        ]
        return search_document(self.reference, self.title_ar, self.title_fr, self.signed_place, places=places)


class SigningAttendee(models.Model):
    """Who attended the signing without signing (e.g. «بحضور …»)."""

    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("description",)

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attendees")
    organisation = optional_link(Organisation, _("organisation"))
    description = models.CharField(_("as written"), max_length=255)
    # For lost-update checks when the row is corrected or removed (core.services.versioned_update).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("signing attendee")
        verbose_name_plural = _("signing attendees")

    def __str__(self) -> str:
        return self.description


class Signatory(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("person", "organisation")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("person")
    )
    organisation = optional_link(Organisation, _("on behalf of"))
    role = models.CharField(_("role as written"), max_length=255, blank=True)
    presided = models.BooleanField(
        _("presided over the signing"),
        default=False,
        help_text=_("The text names this official as presiding over the signing rather than signing."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="signatory_once_per_agreement")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class Partnership(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("organisation",)
    # The roles a partner may hold at once, each a flag.
    ROLE_FIELDS = ("is_funder", "is_project_owner", "is_delegated_owner", "is_technical_partner")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    is_funder = models.BooleanField(_("funder"), default=False)
    is_project_owner = models.BooleanField(_("project owner"), default=False)
    is_delegated_owner = models.BooleanField(_("delegated project owner"), default=False)
    is_technical_partner = models.BooleanField(_("technical partner"), default=False)
    committed_amount = MoneyField(
        _("committed amount (MAD)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the agreement does not specify this partner's share."),
    )
    commitment_source = models.CharField(
        _("source of the commitment figure"),
        max_length=500,
        blank=True,
        help_text=_("Where the amount comes from when it is not in the agreement's own text."),
    )
    obligations = models.TextField(_("obligations"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="partner_once_per_agreement")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.agreement.reference}"

    @property
    def roles(self) -> list[str]:
        labels = []
        for flag in self.ROLE_FIELDS:
            if getattr(self, flag):
                labels.append(str(self._meta.get_field(flag).verbose_name))
        return labels


class ScheduledContribution(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("due_on", "amount")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount (MAD)"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "due_on", "pk"]
        verbose_name = _("scheduled contribution")
        verbose_name_plural = _("scheduled contributions")
        indexes = [models.Index(fields=["due_on"]), models.Index(fields=["partnership", "due_on"])]

    def __str__(self) -> str:
        return " — ".join(
            [
                f"{capfirst(_('scheduled contribution'))} {format_amount(self.amount)}",
                f"{self.due_on:%Y-%m-%d}",
                str(self.partnership.organisation),
            ]
        )


def transfer_proof_path(instance, filename: str) -> str:
    return f"proofs/transfers/{instance.partnership_id}/{filename}"


class Transfer(Cancellable, TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("transferred_on", "amount", "reference")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="transfers")
    transferred_on = models.DateField(_("transferred on"))
    amount = MoneyField(_("amount (MAD)"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    proof = models.FileField(_("proof"), upload_to=transfer_proof_path, blank=True, max_length=300)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = author_link(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "transferred_on", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["transferred_on"])]

    def __str__(self) -> str:
        return " — ".join(
            [
                f"{capfirst(_('transfer'))} {format_amount(self.amount)}",
                f"{self.transferred_on:%Y-%m-%d}",
                str(self.partnership.organisation),
            ]
        )
