from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shiraka.agreements.models import Agreement
from shiraka.core.models import TrackedModel, optional_link
from shiraka.organisations.models import Organisation, Person
from shiraka.projects.models import Project
from shiraka.territory.models import LocalisedName, Province, Region, name_fields


class Committee(LocalisedName, TrackedModel):
    class Kind(models.TextChoices):
        STEERING = "steering", _("steering committee")
        SUPERVISION = "supervision", _("supervision and follow-up committee")
        TECHNICAL = "technical", _("technical committee")

    # What the record's page shows in its history besides its own changes (core.history).
    history_related = (
        ("followup.CommitteeMember", "committee"),
        ("followup.Meeting", "committee"),
        ("followup.Decision", "committee"),
    )

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ar, name_fr = name_fields(255, "ar", "fr")
    region = optional_link(Region, _("region"))
    province = optional_link(Province, _("province or prefecture"))
    chair = optional_link(Person, _("chair"), related_name="chaired_committees")
    chair_role = models.CharField(_("chair's title as written"), max_length=255, blank=True)
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="committees", verbose_name=_("agreements followed")
    )
    mandate = models.TextField(_("mandate"), blank=True)
    history = HistoricalRecords(m2m_fields=[agreements])

    class Meta:
        ordering = ["name_fr", "name_ar", "pk"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")


class CommitteeMember(models.Model):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("person", "organisation")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    organisation = optional_link(Organisation, _("organisation"))
    person = optional_link(Person, _("person"))
    role = models.CharField(_("role"), max_length=255, blank=True)
    # For lost-update checks when the role is edited or the member removed (core.services.versioned_update).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="member_is_someone",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organisation)


def minutes_scan_path(instance, filename: str) -> str:
    return f"minutes/{instance.committee_id}/{filename}"


class Meeting(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("held_on", "place")
    # What the record's page shows in its history besides its own changes (core.history).
    history_related = (("followup.Attendance", "meeting"), ("followup.Decision", "meeting"))
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_scan = models.FileField(
        _("signed minutes (scan)"), upload_to=minutes_scan_path, blank=True, max_length=300
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "-held_on", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.committee} — {self.held_on:%Y-%m-%d}"


class Attendance(models.Model):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("person", "organisation")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = optional_link(Organisation, _("organisation"))
    person = optional_link(Person, _("person"))
    present = models.BooleanField(_("present"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return str(self.person or self.organisation)


class Decision(TrackedModel):
    # The fields that name a record in a page's history (core.history).
    history_label_fields = ("text",)

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    meeting = optional_link(Meeting, _("meeting"), on_delete=models.SET_NULL, related_name="decisions")
    text = models.TextField(_("decision"))
    responsible = optional_link(Organisation, _("responsible organisation"), related_name="decisions")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    agreement = optional_link(Agreement, _("agreement"), on_delete=models.SET_NULL, related_name="decisions")
    project = optional_link(Project, _("project"), on_delete=models.SET_NULL, related_name="decisions")
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "due_on", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # A committee's open and overdue decisions, counted for each committee a list shows.
            models.Index(fields=["committee", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]


def _row_text() -> models.TextField:
    # A kept alert holds the rules' rows as the database gives them: NULL where a kind has no value.
    return models.TextField(null=True)  # noqa: DJ001


class KeptAlert(models.Model):
    """One alert, in the columns the rules of `followup.alerts` give: written again for an agreement
    (or a decision) in the transaction of each write to it, and all of them once a day (ages, and so
    severities, change with the day). A page of alerts reads these rows instead of evaluating every
    rule over the whole portfolio."""

    derived_from_rows = True  # core.cache: its writes come with those of its rows

    kind = models.CharField(max_length=40)
    kind_rank = models.SmallIntegerField()
    severity = models.CharField(max_length=10)
    severity_rank = models.SmallIntegerField()
    since_missing = models.SmallIntegerField()
    object_id = models.BigIntegerField()
    label_ar = _row_text()
    label_fr = _row_text()
    # None for a decision taken by a committee on none of its agreements in particular.
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, null=True, related_name="+")
    agreement_reference = _row_text()
    region_id = models.BigIntegerField(null=True)
    province_id = models.BigIntegerField(null=True)
    since = models.DateField(null=True)
    amount = models.BigIntegerField(null=True)
    m1 = models.BigIntegerField(null=True)
    m2 = models.BigIntegerField(null=True)
    m3 = models.BigIntegerField(null=True)
    n1 = models.BigIntegerField(null=True)
    d1 = models.DateField(null=True)
    t1 = _row_text()
    t2 = _row_text()
    t3 = _row_text()
    t4 = _row_text()
    t5 = _row_text()
    t6 = _row_text()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="followup_keptalert_one_per_object")
        ]
        indexes = [
            # The alerts page's order: a page of the whole portfolio is read off this index.
            models.Index(
                fields=["kind_rank", "severity_rank", "since_missing", "since", "object_id"],
                name="followup_keptalert_order",
            ),
            # The counts by kind and severity of a scope, read off this index alone (what a scope
            # is made of is in it): 55 to 21 ms on PostgreSQL, 66 to 20 ms on SQLite, at 95,000 rows.
            models.Index(fields=["kind", "severity", "agreement", "n1"], name="followup_keptalert_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.severity})"


class KeptAlertCount(models.Model):
    """How many kept alerts an agreement has of each kind and severity, decisions aside: written
    again with its kept alerts, under the same lock (its figures' row). The whole portfolio's counts
    are then a sum over a few rows per agreement (a fourth as many as the alerts) and a count of
    the overdue decisions, which are written by decision and counted from their kept rows."""

    derived_from_rows = True

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    # The agreement's region, for the counts kept by region (`kept_alerts.portfolio_counts`).
    region_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=40)
    severity = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "severity"], name="followup_keptalertcount_one_per_group"
            )
        ]
        indexes = [models.Index(fields=["region_id"], name="followup_keptalertcount_region")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.kind} {self.severity}: {self.count}"


class KeptAlertsDay(models.Model):
    """The day the kept alerts were computed for (one row): another day means computing them again."""

    derived_from_rows = True

    day = models.DateField()

    def __str__(self) -> str:
        return self.day.isoformat()
