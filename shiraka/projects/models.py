from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shiraka.agreements.models import Agreement
from shiraka.core.formatting import format_amount
from shiraka.core.models import Cancellable, ReferencedTitle, TrackedModel, author_link, optional_link
from shiraka.core.money import MoneyField
from shiraka.organisations.models import Organisation
from shiraka.territory.models import Commune, HealthFacilityType, Province, Region


class Category(models.TextChoices):
    """The fixed taxonomy, drawn from what the agreements actually fund."""

    PROXIMITY_HOSPITAL = "proximity_hospital", _("proximity hospital")
    HEALTH_CENTRE = "health_centre", _("health centre")
    EMERGENCY_UNIT = "emergency_unit", _("emergency unit")
    PSYCHIATRIC_UNIT = "psychiatric_unit", _("psychiatric unit")
    ADDICTION_CENTRE = "addiction_centre", _("addiction centre")
    YOUTH_HEALTH_SPACE = "youth_health_space", _("youth health space")
    WOMENS_REFERENCE_CENTRE = "womens_reference_centre", _("women's reference centre")
    UNIVERSITY_MEDICAL_CENTRE = "university_medical_centre", _("university medical centre")
    IMAGING_EQUIPMENT = "imaging_equipment", _("imaging and medical equipment")
    MOBILE_CARAVANS = "mobile_caravans", _("mobile caravans")
    STAFF_CONTRACTING = "staff_contracting", _("staff contracting")
    STAFF_HOUSING = "staff_housing", _("staff housing")
    PATIENT_TRANSPORT = "patient_transport", _("patient transport")
    FACILITY_UPGRADE = "facility_upgrade", _("upgrade of existing facilities")


class Project(ReferencedTitle, TrackedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        STUDIES = "studies", _("studies")
        TENDERING = "tendering", _("tendering")
        WORKS = "works", _("works")
        DELIVERED = "delivered", _("delivered")
        IN_SERVICE = "in_service", _("in service")
        SUSPENDED = "suspended", _("suspended")
        CANCELLED = "cancelled", _("cancelled")

    # What the record's page shows in its history besides its own changes (core.history).
    history_related = (
        ("projects.Milestone", "project"),
        ("projects.ProgressUpdate", "project"),
        ("projects.ProgressPhoto", "update__project"),
        ("projects.Contract", "project"),
        ("projects.Payment", "contract__project"),
        ("projects.ProjectFunding", "project"),
    )

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="projects")
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=500, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    facility_type = optional_link(HealthFacilityType, _("facility type"))
    region = optional_link(Region, _("region"), related_name="projects")
    province = optional_link(Province, _("province or prefecture"), related_name="projects")
    communes = models.ManyToManyField(
        Commune,
        blank=True,
        related_name="projects",
        verbose_name=_("communes"),
        help_text=_("The commune or communes where the project is built or delivered."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(36)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-18), MaxValueValidator(-1)],
    )
    owner = optional_link(Organisation, _("project owner"), related_name="owned_projects")
    delegated_owner = optional_link(
        Organisation, _("delegated project owner"), related_name="delegated_projects"
    )
    budget = MoneyField(_("budget (MAD)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    units = models.PositiveSmallIntegerField(
        _("number of units"),
        null=True,
        blank=True,
        help_text=_("e.g. two emergency units, four youth spaces"),
    )
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    capacity_note = models.CharField(_("capacity"), max_length=255, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    # Kept on the project by progress_record() so lists and weighted averages need no subquery.
    physical_progress = models.PositiveSmallIntegerField(
        _("physical progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_updated_on = models.DateField(_("progress updated on"), null=True, blank=True)
    search_text = models.TextField(default="", blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["agreement", "reference"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
            models.Index(fields=["region", "province"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(physical_progress__lte=100), name="progress_at_most_100"
            )
        ]

    def build_search_text(self) -> str:
        from shiraka.core.text import search_document

        places = [getattr(self.province, "name_ar", ""), getattr(self.province, "name_fr", "")]
        return search_document(self.reference, self.title_ar, self.title_fr, places=places)


class ProjectFunding(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("organisation", "amount")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name=_("partner"))
    amount = MoneyField(_("amount (MAD)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("project funding")
        verbose_name_plural = _("project funding")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="funding_once_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.project.reference} — {self.organisation} — {format_amount(self.amount) or '—'}"


class Milestone(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("kind",)

    class Kind(models.TextChoices):
        STUDIES = "studies", _("studies")
        TENDER = "tender", _("call for tenders")
        AWARD = "award", _("award")
        WORKS_ORDER = "works_order", _("works order")
        PROVISIONAL_ACCEPTANCE = "provisional_acceptance", _("provisional acceptance")
        FINAL_ACCEPTANCE = "final_acceptance", _("final acceptance")
        EQUIPMENT_DELIVERY = "equipment_delivery", _("equipment delivery")
        COMMISSIONING = "commissioning", _("commissioning")
        OPENING = "opening", _("opening")
        STAFFING = "staffing", _("staffing")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=30, choices=Kind.choices)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "planned_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.project.reference} — {self.get_kind_display()}"


class OpenMilestones(models.Model):
    """The planned date of a project's oldest milestone not achieved yet, for the projects that have
    one (a project without a row has none). A project is late when that date is before today: the
    late projects of a list are then read off one indexed date per project instead of every
    milestone (a count of the late ones at 20,000 agreements: 130 ms, against 40). Written by
    `shiraka.portfolio.milestones` in the transaction of each save or removal of a milestone, and
    for all projects by the bulk paths and `shiraka figures --refresh`; `--verify` proves it."""

    derived_from_rows = True  # core.cache: its writes come with those of its rows

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="open_milestones"
    )
    first_planned_on = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"{self.project_id}: {self.first_planned_on.isoformat()}"


class ProgressUpdate(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("reported_on", "physical_progress")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_updates")
    reported_on = models.DateField(_("date"))
    physical_progress = models.PositiveSmallIntegerField(_("physical progress (%)"))
    note = models.TextField(_("note"), blank=True)
    author = author_link(_("author"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-reported_on", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(physical_progress__lte=100), name="update_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.reference} — {self.reported_on:%Y-%m-%d} — {self.physical_progress} %"


def progress_photo_path(instance, filename: str) -> str:
    return f"photos/progress/{instance.update.project_id}/{filename}"


class ProgressPhoto(models.Model):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("caption",)
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=progress_photo_path, max_length=300)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    # For the lost-update check when a photo is removed (core.services.versioned_update).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["update", "pk"]
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Contract(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("kind", "reference", "amount")

    class Kind(models.TextChoices):
        WORKS = "works", _("works")
        GOODS = "goods", _("goods")
        SERVICES = "services", _("services")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reference = models.CharField(_("contract number"), max_length=80, blank=True)
    contractor = optional_link(Organisation, _("contractor"), related_name="contracts")
    contractor_name = models.CharField(_("contractor as written"), max_length=255, blank=True)
    amount = MoneyField(_("amount (MAD)"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duration (days)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "signed_on", "pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.project.reference} — {self.get_kind_display()} {self.reference} — {format_amount(self.amount)}"


class Payment(Cancellable, TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("paid_on", "amount")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(_("amount (MAD)"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return " — ".join(
            [
                f"{capfirst(_('payment'))} {format_amount(self.amount)}",
                f"{self.paid_on:%Y-%m-%d}",
                f"{self.contract.project.reference} {self.contract.reference}".strip(),
            ]
        )
