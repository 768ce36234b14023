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


class AgreementFigures(DueFigures):
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
    # What a budget-weighted mean of physical progress needs, summable over many agreements.
    progress_weighted_sum = models.FloatField(null=True)
    progress_weight = models.FloatField(null=True)
    progress_plain_sum = models.FloatField(null=True)

    class Meta:
        verbose_name = _("agreement figures")
        verbose_name_plural = _("agreement figures")
        indexes = [models.Index(fields=["next_due_on"]), models.Index(fields=["due_as_of"])]

    def __str__(self):
        return f"{self.agreement_id}"
