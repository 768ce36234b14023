"""Kept figures: each agreement's and each partnership's money and project figures, written by
`shiraka.portfolio.figures` in the same transaction as every save of the rows they sum, so that a
dashboard, region, programme or partner figure is a sum over one row per agreement instead of a
recomputation over every schedule line, transfer, project and payment.

They are a cache with a proof, not a source: `shiraka figures --verify` recomputes them from the
money rows. Amounts due depend on the day: each row says on which day its `due` was computed
(`due_as_of`) and when the next scheduled contribution falls due (`next_due_on`); a reader asking
about another day has the rows concerned computed again first."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import Agreement, Partnership
from shiraka.core.money import MoneyField


class DueFigures(models.Model):
    """What is scheduled, due on `due_as_of`, transferred and late, and when the next contribution
    falls due (after which `due` is outdated)."""

    scheduled = MoneyField(_("scheduled"))
    due = MoneyField(_("due to date"))
    transferred = MoneyField(_("transferred"))
    arrears = MoneyField(_("arrears"))
    due_as_of = models.DateField()
    next_due_on = models.DateField(null=True)

    class Meta:
        abstract = True


class ProgressWeights(models.Model):
    """What a budget-weighted mean of physical progress needs, summable over many rows."""

    progress_weighted_sum = models.FloatField(null=True)
    progress_weight = models.FloatField(null=True)
    progress_plain_sum = models.FloatField(null=True)

    class Meta:
        abstract = True


class PartnershipFigures(DueFigures):
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    # The commitment as the latest signed amendment naming the partner leaves it (None: not given).
    committed = MoneyField(_("committed"), null=True)

    class Meta:
        verbose_name = _("partnership figures")
        verbose_name_plural = _("partnership figures")

    def __str__(self):
        return f"{self.partnership_id}"


class AgreementFigures(DueFigures, ProgressWeights):
    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    # As the agreement's signed amendments leave it.
    total = MoneyField(_("total"), null=True)
    committed = MoneyField(_("committed"))
    unallocated = MoneyField(_("unallocated"))
    unspecified_partners = models.PositiveIntegerField(default=0)
    budget = MoneyField(_("budget"))
    paid = MoneyField(_("paid"))
    projects = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("agreement figures")
        verbose_name_plural = _("agreement figures")
        indexes = [
            models.Index(fields=["next_due_on"]),
            models.Index(fields=["due_as_of"]),
            # A list sorted by arrears or commitment reads its page off these, in either direction,
            # instead of sorting every agreement (`portfolio.selectors.agreement_page_rows`).
            models.Index(fields=["arrears", "agreement"], name="agreement_figures_arrears"),
            models.Index(fields=["committed", "agreement"], name="agreement_figures_committed"),
        ]

    def __str__(self):
        return f"{self.agreement_id}"


class QuarterProgress(models.Model):
    """The physical progress reported on an agreement's projects in one quarter: the sum of the
    percentages and how many updates, so that a mean by quarter over many agreements is a sum over a
    few rows per agreement instead of a pass over every progress update."""

    # No constraint in the database: a writer holding the agreement's row must not wait for the one
    # refreshing these rows, which never changes which agreement they belong to.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="quarter_progress", db_constraint=False
    )
    quarter = models.DateField()
    progress_sum = models.FloatField()
    updates = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("progress by quarter")
        verbose_name_plural = _("progress by quarter")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "quarter"], name="one_progress_row_per_quarter")
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.quarter}"


class ProjectGroup(ProgressWeights):
    """An agreement's projects of one category, or in one status: how many, their budget and what a
    budget-weighted mean of their progress needs, so that projects by category or status over many
    agreements are sums over a few rows per agreement."""

    class Dimension(models.TextChoices):
        CATEGORY = "category", _("category")
        STATUS = "status", _("status")

    # No constraint in the database, as for QuarterProgress.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="project_groups", db_constraint=False
    )
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=40)
    projects = models.PositiveIntegerField()
    budget = MoneyField(_("budget"))

    class Meta:
        verbose_name = _("projects of an agreement by category or status")
        verbose_name_plural = _("projects of an agreement by category or status")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "dimension", "key"], name="one_row_per_project_group"
            )
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.dimension} {self.key}"
